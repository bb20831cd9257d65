import RecCore
import Testing
@testable import RecModels

/// An imported run as a model: named ext:NAME, never trained, serving its stored lists exactly.
@Suite struct ExternalRunTests {
    let train = clusteredMatrix()

    /// ItemKNN's top 10 of every user but the last, stored as a run.
    func run() throws -> (run: ExternalRun, lists: [[ScoredItem]]) {
        let knn = try ModelKind.itemknn.train(train, params: contractParams[.itemknn]!)
        var start = [0], items: [Int32] = [], scores: [Float] = []
        var lists: [[ScoredItem]] = []
        for u in 0..<train.userCount {
            let list = u == train.userCount - 1 ? [] : knn.recommend(user: u, k: 10, exclude: ExclusionSet(sorted: train.items(ofUser: u)))
            lists.append(list)
            items += list.map(\.item)
            scores += list.map(\.score)
            start.append(items.count)
        }
        return (try ExternalRun(name: "knn", userCount: train.userCount, itemCount: train.itemCount, listStart: start,
                                items: items, scores: scores, params: ["source": "knn.trec"]), lists)
    }

    @Test func namesParseAndPrintAsExtName() throws {
        #expect(try ModelKind(named: "ext:RecBole-BPR_1") == .external("RecBole-BPR_1"))
        #expect(try ModelKind(named: "EXT:x") == .external("x"))
        #expect(ModelKind.external("x").rawValue == "ext:x" && ModelKind(rawValue: "ext:x") == .external("x"))
        #expect(ModelKind(rawValue: "ext:") == nil && ModelKind(rawValue: "ext:a b") == nil && ModelKind(rawValue: "ext:a.b") == nil)
        #expect(!ModelKind.allCases.contains(.external("x")) && !ModelKind.external("x").isTrainable && ModelKind.als.isTrainable)
        #expect(throws: ModelError.self) { try ModelKind(named: "ext:a/b") }
        let error = #expect(throws: ModelError.self) { try ModelKind.external("x").train(train) }
        #expect("\(error!)".contains("ext:x is an imported run") && "\(error!)".contains("recscope import-run --name x FILE"))
    }

    @Test func servesItsStoredListsAndEmptyListsForUnlistedUsers() throws {
        let (run, lists) = try run()
        #expect(run.kind == .external("knn") && run.name == "ext:knn" && run.listedUsers == train.userCount - 1)
        for u in 0..<train.userCount {
            #expect(run.recommend(user: u, k: 10, exclude: .none) == lists[u])
            #expect(run.recommend(user: u, k: 4, exclude: .none) == Array(lists[u].prefix(4)))
            let skip = ExclusionSet(unsorted: lists[u].prefix(2).map(\.item))
            #expect(run.recommend(user: u, k: 10, exclude: skip) == Array(lists[u].dropFirst(2)))
        }
        #expect(run.recommend(user: train.userCount + 5, k: 10, exclude: .none).isEmpty)
        #expect(run.recommend(history: [1, 2], k: 10, exclude: .none).isEmpty)
        let listed = lists[0].map(\.item)
        #expect(run.scores(user: 0, items: listed) == lists[0].map(\.score))
        let unlisted = (0..<Int32(train.itemCount)).first { !listed.contains($0) }!
        #expect(run.scores(user: 0, items: [unlisted]) == [-.infinity])
        let why = run.explain([listed[0]], for: .trained(0, history: []))
        #expect(why[0].score == lists[0][0].score && why[0].reproducedScore == lists[0][0].score)
    }

    @Test func rebuildsExactlyFromItsArtifact() throws {
        let (run, _) = try run()
        let artifact = run.artifact()
        #expect(artifact.kind == .external("knn") && artifact.params == ["source": "knn.trec"])
        let loaded = try ModelKind.external("knn").load(artifact)
        #expect(loaded.artifact() == artifact)
        for u in 0..<train.userCount { #expect(loaded.recommend(user: u, k: 10, exclude: .none) == run.recommend(user: u, k: 10, exclude: .none)) }
        #expect(throws: ModelError.self) { try ModelKind.external("other").load(artifact) }
    }

    @Test func similarItemsCountSharedLists() throws {
        let (run, lists) = try run()
        let item = lists[0][0].item
        var together: [Int32: Float] = [:]
        for list in lists where list.contains(where: { $0.item == item }) {
            for e in list where e.item != item { together[e.item, default: 0] += 1 }
        }
        let expected = together.map { ScoredItem(item: $0.key, score: $0.value) }.sorted(by: ScoredItem.ranksBefore)
        #expect(run.similarItems(to: Int(item), k: 5) == Array(expected.prefix(5)))
        #expect(!run.similarItems(to: Int(item), k: 1000).contains { $0.item == item })
    }

    @Test func outOfOrderOrRepeatedListsAreRefused() {
        #expect(throws: ModelError.self) {
            try ExternalRun(name: "x", userCount: 1, itemCount: 3, listStart: [0, 2], items: [0, 1], scores: [0.1, 0.9])
        }
        #expect(throws: ModelError.self) {
            try ExternalRun(name: "x", userCount: 1, itemCount: 3, listStart: [0, 2], items: [1, 1], scores: [0.9, 0.1])
        }
        #expect(throws: ModelError.self) {
            try ExternalRun(name: "x", userCount: 1, itemCount: 3, listStart: [0, 1], items: [3], scores: [0.9])
        }
    }
}
