import RecCore
import Testing
@testable import RecModels

/// The contract every model honours (cf. implicit's `RecommenderBaseTestMixin`): run once per kind.
@Suite struct ContractTests {
    let train = clusteredMatrix()

    func model(_ kind: ModelKind) throws -> any TrainedModel {
        try kind.train(train, params: contractParams[kind]!)
    }

    func history(_ u: Int) -> ExclusionSet { ExclusionSet(sorted: train.items(ofUser: u)) }

    func isRanked(_ list: [ScoredItem]) -> Bool {
        zip(list, list.dropFirst()).allSatisfy { ScoredItem.ranksBefore($0, $1) }
    }

    @Test(arguments: ModelKind.allCases)
    func excludesSeenItemsAndHonoursK(_ kind: ModelKind) throws {
        let m = try model(kind)
        #expect(m.name == kind.rawValue && m.userCount == train.userCount && m.itemCount == train.itemCount)
        for u in 0..<train.userCount {
            let seen = history(u)
            for k in [0, 1, 5, 10] {
                let list = m.recommend(user: u, k: k, exclude: seen)
                #expect(list.count == min(k, train.itemCount - seen.sortedItems.count))
                #expect(!list.contains { seen.contains($0.item) }, "\(kind) recommended a seen item to user \(u)")
                #expect(Set(list.map(\.item)).count == list.count)
                #expect(isRanked(list), "\(kind) list for user \(u) is not score desc, index asc")
            }
        }
    }

    @Test(arguments: ModelKind.allCases)
    func kLargerThanTheCatalogReturnsEveryEligibleItem(_ kind: ModelKind) throws {
        let m = try model(kind)
        let seen = history(0)
        let list = m.recommend(user: 0, k: 10 * train.itemCount, exclude: seen)
        #expect(list.count == train.itemCount - seen.sortedItems.count)
        #expect(isRanked(list))
        let similar = m.similarItems(to: 3, k: 10 * train.itemCount)
        #expect(!similar.contains { $0.item == 3 } && isRanked(similar))
    }

    @Test(arguments: ModelKind.allCases)
    func unknownAndEmptyUsersGetPopularity(_ kind: ModelKind) throws {
        let m = try model(kind)
        let pop = Popularity(train: train).recommend(user: 0, k: 7, exclude: .none)
        for u in [train.userCount, train.userCount + 100, train.userCount - 1] {  // the last user has no history
            #expect(m.recommend(user: u, k: 7, exclude: .none) == pop, "\(kind) user \(u)")
            #expect(m.recommend(users: [u], k: 7, exclude: { _ in .none }) == [pop])
            #expect(m.scores(user: u, items: [0, 1]) == Popularity(train: train).scores(user: u, items: [0, 1]))
        }
    }

    @Test(arguments: ModelKind.allCases)
    func isDeterministicAndRebuildsExactlyFromItsArtifact(_ kind: ModelKind) throws {
        let a = try model(kind), b = try model(kind)
        #expect(a.artifact() == b.artifact(), "\(kind) trained twice with the same seed differs")
        let loaded = try kind.load(a.artifact())
        #expect(loaded.artifact() == a.artifact())
        for u in 0..<train.userCount {
            let list = a.recommend(user: u, k: 10, exclude: history(u))
            #expect(loaded.recommend(user: u, k: 10, exclude: history(u)) == list)
            #expect(b.recommend(user: u, k: 10, exclude: history(u)) == list)
        }
        #expect(loaded.similarItems(to: 5, k: 6) == a.similarItems(to: 5, k: 6))
    }

    @Test(arguments: ModelKind.allCases)
    func batchedRecommendAndCandidateScoresAgreeWithSingleUser(_ kind: ModelKind) throws {
        let m = try model(kind)
        let users = Array(0..<train.userCount) + [train.userCount + 3]
        let batch = m.recommend(users: users, k: 8) { $0 < train.userCount ? history($0) : .none }
        for (n, u) in users.enumerated() {
            let single = m.recommend(user: u, k: 8, exclude: u < train.userCount ? history(u) : .none)
            #expect(batch[n].map(\.item) == single.map(\.item), "\(kind) user \(u)")
            let scored = m.scores(user: u, items: single.map(\.item))
            for (s, x) in zip(single, scored) { #expect(abs(s.score - x) <= 1e-4 * max(1, abs(x))) }
        }
    }

    @Test(arguments: ModelKind.allCases)
    func unknownParametersAreRefusedByName(_ kind: ModelKind) {
        #expect(throws: ModelError.self) { try kind.train(train, params: ["no_such_param": "1"]) }
    }
}
