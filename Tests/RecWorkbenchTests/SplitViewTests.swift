import Foundation
import Testing
import RecCatalog
import RecCore
import RecEval
import RecModels
@testable import RecWorkbench

/// The workbench gives a catalog and the same interactions held in memory the same splits, models and lists.
@Suite struct SplitViewTests {
    /// The catalog's interactions and items, copied into a `MemoryStore`.
    static func memoryCopy(of catalog: Catalog) throws -> MemoryStore {
        MemoryStore(name: "copy", log: try catalog.interactionLog(), items: try catalog.itemListing())
    }

    @Test func aViewHoldsEveryInteractionOnceInTimeOrder() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let view = try bench.view("loo")
        let log = bench.log
        let trainRows: Int = view.history.map(\.count).reduce(0, +)
        let heldOutRows: Int = view.heldOut.map(\.count).reduce(0, +)
        #expect(trainRows + heldOutRows == log.count)
        #expect(view.train.nonZeroCount <= trainRows)
        for u in 0..<log.userCount {
            // Leave-one-out: the last interaction is the test item, the one before it valid.
            let rows = (0..<log.count).filter { Int(log.users[$0]) == u }
            guard rows.count >= 3 else { continue }
            #expect(view.heldOut[u].map(\.item) == rows.suffix(2).map { log.items[$0] })
            #expect(view.heldOut[u].map(\.role) == [.valid, .test])
            #expect(view.history[u] == rows.dropLast(2).map { log.items[$0] })
            #expect(view.seen(u).sortedItems == Array(Set(rows.dropLast().map { log.items[$0] })).sorted())
        }
    }

    @Test func aMemoryStoreGivesTheCatalogsSplitAndModels() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onDisk = try ModelWorkbench(catalog: catalog)
        let inMemory = try ModelWorkbench(store: try Self.memoryCopy(of: catalog))
        #expect(try onDisk.split("loo").roles == inMemory.split("loo").roles)
        // rank reads the most beyond the matrix (sequences, valid rows, categories); small so it trains fast.
        let small = ["candidates": "10", "sid.factors": "8", "sid.iterations": "3", "sid.codes": "8"]
        for (kind, params) in [(ModelKind.pop, [:]), (.itemknn, [:]), (.rank, small)] {
            let a = try onDisk.train(kind, params: params, split: "loo").model
            let b = try inMemory.train(kind, params: params, split: "loo").model
            for u in stride(from: 0, to: onDisk.log.userCount, by: 97) {
                #expect(a.recommend(user: u, k: 10, exclude: .none) == b.recommend(user: u, k: 10, exclude: .none),
                        "\(kind) differs for user \(u)")
            }
        }
        // The memory store keeps nothing: a model is trained again, never loaded.
        #expect(try inMemory.stored(.pop, params: [:], split: "loo") == nil)
        #expect(try onDisk.stored(.pop, params: [:], split: "loo") != nil)
    }

    @Test func usersAndItemsAreLookedUpByExternalID() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bench = try ModelWorkbench(catalog: catalog)
        let id = bench.log.userIDs[5]
        #expect(try bench.user(id) == 5)
        #expect(try bench.item(bench.log.itemIDs[7]) == 7)
        #expect(throws: WorkbenchError.self) { try bench.user("no such user") }
        do { _ = try bench.user("nobody") } catch { #expect("\(error)".contains("expected a user id from the imported data, e.g.")) }
    }
}
