import Foundation
import Testing
import ExplorerTestSupport
import RecWorkbench
import RecModels
@testable import ExplorerApp
import RecCatalog
import RecCore
import TUIKit

/// The SQLite-backed data source keeps the same contract as the in-memory reference.
@Suite(.serialized) struct CatalogDataSourceTests {
    static let sampleData: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("sample-data").path
    }()

    static func sampleCatalog() throws -> (Catalog, String) {
        let folder = NSTemporaryDirectory() + "/recscope-cds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = try Catalog(path: folder + "/sample.sqlite")
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [sampleData]))
        return (catalog, folder)
    }

    @Test func sampleCatalogHonoursTheContract() throws {
        let (catalog, folder) = try Self.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CatalogDataSource(catalog: catalog)
        let problems = try ExplorerDataSourceContract.violations(of: source)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let summary = try source.summary()
        #expect(summary.users == 2000 && summary.items == 3000 && summary.interactions == 96_807)
        #expect(summary.activity.reduce(0) { $0 + $1.count } == 96_807)
    }

    @Test func answersMatchTheCatalog() throws {
        let (catalog, folder) = try Self.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CatalogDataSource(catalog: catalog)
        let first = try source.users(PageRequest(offset: 0, limit: 3, sort: .id))
        #expect(first.rows.map(\.id) == ["1", "2", "3"])
        #expect(first.total == 2000)
        let busiest = try source.users(PageRequest(offset: 0, limit: 1, sort: .interactionsDescending)).rows[0]
        #expect(busiest.interactions == 755)
        #expect(busiest.topCategories.count == 3)
        let sessions = try source.sessions(ofUser: busiest.id, limit: 1000)
        #expect(sessions.reduce(0) { $0 + $1.itemCount } == busiest.interactions)
        let items = try source.sessionItems(session: sessions[0].id, limit: 100)
        #expect(items.count == sessions[0].itemCount)
        #expect(zip(items, items.dropFirst()).allSatisfy { $0.time <= $1.time })
        let top = try source.items(PageRequest(offset: 0, limit: 1, sort: .popularityDescending)).rows[0]
        #expect(top.popularity == 980)
        let detail = try #require(try source.itemDetail(id: top.id, userLimit: 5))
        #expect(detail.userCount == 980)
        #expect(detail.recent.count == 5)
        #expect(detail.attributes.contains { $0.name == "description" })
        // Search input reaches SQL only as data: quotes and SQL text find nothing and break nothing.
        #expect(try source.search("'; DROP TABLE items; --", limit: 10).isEmpty)
        #expect(try catalog.counts().items == 3000)
        let hits = try source.search(String(top.title.prefix(6)), limit: 5)
        #expect(hits.contains { $0.kind == .item && $0.id == top.id })
        #expect(try source.itemDetail(id: "no such item", userLimit: 5) == nil)
        #expect(try source.sessionItems(session: "x'; --", limit: 5).isEmpty)
    }

    /// Stored semantic IDs reach the explorer: the contract holds with a space, and the tree's counts,
    /// rows and paths match what was saved.
    @Test func codeTreeOfStoredSemanticIDs() throws {
        let (catalog, folder) = try Self.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CatalogDataSource(catalog: catalog)
        #expect(try source.semanticIDSpaces().isEmpty)
        #expect(try source.codeTree(space: "aligned") == nil)
        // Item idx i gets path (i % 7, i / 7 % 5): 3000 items over 35 full paths.
        let codes = (0..<3000).flatMap { [Int32($0 % 7), Int32($0 / 7 % 5)] }
        let ids = SemanticIDs(codebooks: [DenseMatrix(rows: 7, cols: 2), DenseMatrix(rows: 5, cols: 2)], codes: codes)
        try catalog.saveSemanticIDs(StoredSemanticIDs(codebooks: ids.codebooks, codes: ids.codes, disambiguation: ids.disambiguation),
                                    space: "aligned")
        #expect(try source.semanticIDSpaces() == ["aligned"])
        let problems = try ExplorerDataSourceContract.violations(of: source)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let tree = try #require(try source.codeTree(space: "aligned"))
        #expect(try source.codeTree(space: "aligned") === tree)
        #expect(tree.tree.children(of: tree.tree.root).map { tree.tree.itemCount(of: $0) } == [429, 429, 429, 429, 428, 428, 428])
        #expect(tree.tree.nodeCount == 1 + 7 + 35)
        let rows = try source.items(PageRequest(offset: 0, limit: 3000, sort: .id)).rows
        let idx = try catalog.itemListing().ids
        for n in [0, 1, 8, 2999] {
            let row = try #require(rows.first { $0.id == idx[n] })
            #expect(tree.items[n] == row)
            #expect(tree.tree.pathString(of: n) == ids.pathString(of: n))
        }
    }

    /// `b` in the Tree pane builds the aligned space's semantic IDs into the catalog and shows their tree.
    @Test func bBuildsSemanticIDsFromTheTreePane() throws {
        let (catalog, folder) = try Self.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var session = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog), width: 120, height: 40, mode: .inline)
        session.receive(.char("6"))
        #expect(session.state.tree.tree == nil && session.state.tree.spaces == [])
        var canvas = Canvas(width: 120, height: 40)
        session.draw(on: &canvas)
        #expect(canvas.text.contains("Press b to build them now"))
        session.receive(.char("b"))
        #expect(session.state.tree.failure == nil, "\(session.state.tree.failure ?? "")")
        #expect(try catalog.semanticIDSpaces() == ["aligned"])
        let shown = try #require(session.state.tree.tree)
        #expect(shown.space == "aligned" && shown.tree.itemCount(of: shown.tree.root) == 3000)
        let stored = try #require(try catalog.loadSemanticIDs(space: "aligned"))
        #expect(shown.tree.pathString(of: 7) == SemanticIDs(stored).pathString(of: 7))
        #expect(!session.state.tree.isBuilding && !session.state.tree.isLoading)
    }

    /// `R` (or `:refresh`) reloads the catalog: users, items and counts another writer added since show up.
    @Test func refreshShowsWhatAnImportAddedSince() throws {
        let (catalog, folder) = try Self.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var session = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog), width: 80, height: 24, mode: .inline)
        #expect(session.state.users.total == 2000)
        #expect(session.state.summary?.interactions == 96_807)
        let extra = folder + "/extra.inter"
        try "user_id:token\titem_id:token\ttimestamp:float\nnew-user\t1\t1700000000\nnew-user\tnew-item\t1700000001\n"
            .write(toFile: extra, atomically: true, encoding: .utf8)
        _ = try Catalog(path: catalog.path).importFiles(ImportRequest(format: .recbole, paths: [extra]))
        session.receive(.char("j"))
        #expect(session.state.users.total == 2000, "nothing reloads until asked")
        session.receive(.char("R"))
        #expect(session.state.users.total == 2001)
        #expect(session.state.items.list.total == 3001)
        #expect(session.state.summary?.interactions == 96_809)
        #expect(session.state.message?.hasPrefix("Reloaded") == true)
        for key in try Key.parseScript(": \"refresh\" Enter") { session.receive(key) }
        #expect(session.state.message?.hasPrefix("Reloaded") == true)
    }
}
