import Foundation
import RecCatalog
import Synchronization
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// The catalog-backed recommendation source on the bundled sample data, with the cheap models only.
@Suite(.serialized) struct CatalogRecommendationSourceTests {
    @Test func listsOnTheSampleCatalog() throws {
        let (catalog, folder) = try CatalogDataSourceTests.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = CatalogRecommendationSource(catalog: catalog)
        let log = try catalog.interactionLog()
        let lines = Mutex<[String]>([])
        for model in [ModelKind.pop, .itemknn] {
            let info = try source.prepare(model: model) { line in lines.withLock { $0.append(line) } }
            #expect(info.origin == .trained)
        }
        #expect(lines.withLock { !$0.isEmpty })

        // Seen items (train and valid of the loo split) never come back; K is honoured; retrieval is timed.
        let users = Array(log.userIDs.prefix(40))
        var hitUser: (user: String, model: ModelKind, title: String)?
        for user in users {
            let u = log.userIDs.firstIndex(of: user)!
            let profile = try source.history(user: user, recent: 10_000)
            let test = profile.test
            #expect(test.count == 1, "leave-one-out holds out one test item of user \(user)")
            let all = Set(log.users.indices.filter { Int(log.users[$0]) == u }.map { log.itemIDs[Int(log.items[$0])] })
            let seen = all.subtracting(test.map(\.id))
            for model in [ModelKind.pop, .itemknn] {
                let list = try source.recommend(user: user, model: model, k: 20, excludeSeen: true)
                #expect(list.items.count == 20)
                #expect(list.seconds > 0)
                #expect(list.items.allSatisfy { !seen.contains($0.id) }, "\(model) recommends a seen item to user \(user)")
                if hitUser == nil, let t = test.first, list.items.prefix(10).contains(where: { $0.id == t.id }) {
                    hitUser = (user, model, t.title)
                }
            }
            let included = try source.recommend(user: user, model: .pop, k: 5, excludeSeen: false)
            #expect(included.items.count == 5)
        }

        // Under leave-one-out, Recall@10 is the share of test users whose test item is in their top 10.
        var hits = 0, tested = 0
        for user in log.userIDs {
            guard let test = try source.history(user: user, recent: 0).test.first else { continue }
            tested += 1
            if try source.recommend(user: user, model: .pop, k: 10, excludeSeen: true).items.contains(where: { $0.id == test.id }) {
                hits += 1
            }
        }
        let recall = try #require(try source.metrics(model: .pop, k: 10).values["recall@10"])
        #expect(abs(recall - Double(hits) / Double(tested)) < 1e-9)

        // A second source on the same catalog loads the models stored by the first.
        let again = CatalogRecommendationSource(catalog: catalog)
        #expect(try again.prepare(model: .pop) { _ in }.origin == .stored)

        // The Compare pane marks the held-out test item in the list that holds it.
        let hit = try #require(hitUser, "no user among the first 40 has the test item in a top 10")
        let keys = "4 : \"user \(hit.user)\" Enter" + (hit.model == .pop ? "" : " b")
        let screens = play(try Key.parseScript(keys), width: 120, height: 40,
                           dataSource: CatalogDataSource(catalog: catalog), recommendations: again)
        let row = screens.last!.split(separator: "\n").first { $0.contains("◆") && $0.contains(hit.title.prefix(12)) && $0.contains("│  ") }
        #expect(row != nil, "no ◆ row for \(hit.title) in\n\(screens.last!)")
    }

    /// A run imported with `import-run` is one more model of the catalog source: listed after the trainable ones,
    /// prepared from storage (never trained), with lists, metrics, similar items and a lens like any model.
    @Test func importedRunsAreModelsOfTheCatalog() throws {
        let (catalog, folder) = try CatalogDataSourceTests.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = try catalog.interactionLog()
        let user = log.userIDs[0]
        let items = Array(log.itemIDs.suffix(5))
        let path = folder + "/run.tsv"
        try items.enumerated().map { "\(user)\t\($0.element)\t\(Double(10 - $0.offset))" }.joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        _ = try ExternalRuns.importRun(into: catalog, name: "tool", path: path)
        let source = CatalogRecommendationSource(catalog: catalog)
        #expect(source.modelKinds == ModelKind.allCases + [.external("tool")])
        let info = try source.prepare(model: .external("tool")) { _ in }
        #expect(info.origin == .stored && info.model == .external("tool"))
        let list = try source.recommend(user: user, model: .external("tool"), k: 10, excludeSeen: false)
        #expect(list.items.map(\.id) == items)
        #expect(try source.recommend(user: log.userIDs[1], model: .external("tool"), k: 10, excludeSeen: false).items.isEmpty)
        let metrics = try source.metrics(model: .external("tool"), k: 10)
        #expect(metrics.values.keys.contains { $0.hasPrefix("ndcg") })
        #expect(try source.similarItems(item: items[0], model: .external("tool"), k: 3).map(\.id) == Array(items[1...3]))
        let lens = try source.lens(models: [.external("tool")], k: 10)
        #expect(lens.models.map(\.model) == [.external("tool")])
    }
}
