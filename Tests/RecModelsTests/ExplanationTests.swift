import RecCore
import Testing
@testable import RecModels

/// Why-this-item for every model: the parts add up to the score the list ranks by wherever the model's score
/// is a sum, and a what-if user given a trained user's own items gets that user's list.
@Suite struct ExplanationTests {
    let train = clusteredMatrix()
    var sequences: UserSequences { shuffledSequences(train) }

    func model(_ kind: ModelKind, _ params: [String: String]? = nil) throws -> any TrainedModel {
        try kind.train(train, params: params ?? contractParams[kind]!, context: TrainingContext(sequences: sequences))
    }

    /// A user's training items in time order (the sequence the models were given).
    func history(_ u: Int) -> [Int32] { Array(sequences.items(ofUser: u)) }
    func seen(_ u: Int) -> ExclusionSet { ExclusionSet(sorted: train.items(ofUser: u)) }

    static func close(_ a: Float, _ b: Float, _ tolerance: Float = 1e-4) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    @Test(arguments: ModelKind.allCases)
    func everyExplanationIsOfTheListsItemAndScore(_ kind: ModelKind) throws {
        let m = try model(kind)
        for u in [0, 1, 5, 17] {
            let list = m.recommend(user: u, k: 5, exclude: seen(u))
            let explained = m.explain(list, for: .trained(u, history: history(u)))
            #expect(explained.map(\.item) == list.map(\.item))
            for (e, s) in zip(explained, list) {
                #expect(Self.close(e.score, s.score), "\(kind) user \(u) item \(s.item): explained score \(e.score), listed \(s.score)")
                if let total = e.reproducedScore {
                    #expect(Self.close(total, e.score), "\(kind) user \(u) item \(s.item): parts give \(total), score \(e.score)")
                }
            }
        }
    }

    /// The decomposition is exact (no correction term) for every model whose score is a sum over the history.
    @Test(arguments: [(ModelKind.pop, [String: String]()), (.itemknn, contractParams[.itemknn]!), (.ease, contractParams[.ease]!),
                      (.als, ["factors": "8", "iterations": "4", "regularization": "0.1"]),
                      (.als, ["factors": "8", "iterations": "4", "regularization": "0.1", "alpha": "2", "solver": "cholesky"]),
                      (.sid, ["factors": "8", "iterations": "4", "regularization": "0.1", "levels": "2", "codes": "4", "beam": "2"]),
                      (.sid, ["factors": "8", "iterations": "4", "regularization": "0.1", "levels": "2", "codes": "4", "prefix_score": "mean"]),
                      (.rank, contractParams[.rank]!), (.sidgen, contractParams[.sidgen]!)])
    func contributionsSumToTheModelScore(_ kind: ModelKind, _ params: [String: String]) throws {
        let m = try model(kind, params)
        for u in 0..<(train.userCount - 1) {
            let items: [Int32] = [0, 5, 11, 20, 35]
            let scores = m.scores(user: u, items: items)
            for (e, score) in zip(m.explain(items, for: .trained(u, history: history(u))), scores) {
                #expect(!e.terms.contains { $0.name.contains("fold-in") }, "\(kind) \(params) user \(u): the stored factor is not the fold-in")
                #expect(e.basis == .additive)
                #expect(Self.close(e.score, score), "\(kind) user \(u) item \(e.item): explained \(e.score), scored \(score)")
                #expect(Self.close(e.reproducedScore!, score), "\(kind) user \(u) item \(e.item): parts \(e.reproducedScore!), score \(score)")
                if kind == .itemknn || kind == .ease || kind == .als {
                    #expect(e.terms.isEmpty && Set(e.contributions.map(\.item)).isSubset(of: Set(history(u))))
                }
            }
        }
    }

    @Test func popularityIsItsCountAndRank() throws {
        let m = try model(.pop)
        let counts = train.itemCounts()
        func before(_ a: Int32, _ b: Int32) -> Bool {
            let x = counts[Int(a)], y = counts[Int(b)]
            return x != y ? x > y : a < b
        }
        let order = (0..<Int32(train.itemCount)).sorted(by: before)
        for e in m.explain([order[0], order[7]], for: .whatIf([])) {
            guard case .popularity(let count, let rank, let items)? = e.detail else { Issue.record("no popularity detail"); continue }
            #expect(count == Float(counts[Int(e.item)]) && items == train.itemCount)
            #expect(order[rank - 1] == e.item)
        }
    }

    @Test func bprSplitsItsScoreIntoBiasAndFactorsAndShowsSimilarities() throws {
        let m = try model(.bpr)
        let e = m.explain([3], for: .trained(2, history: history(2)))[0]
        #expect(e.basis == .similarity && e.terms.map(\.name) == ["item bias", "user · item factors"])
        #expect(Self.close(e.reproducedScore!, e.score))
        #expect(e.contributions.count == history(2).count && e.contributions.allSatisfy { abs($0.value) <= 1.0001 })
    }

    @Test func sidShowsTheCodePathPrefixScoresAndTransitionFromTheLastItem() throws {
        let m = try model(.sid) as! SemanticIDRetriever
        let u = 4
        let e = m.explain(m.recommend(user: u, k: 1, exclude: seen(u)), for: .trained(u, history: history(u)))[0]
        guard case .semanticPath(let path)? = e.detail else { Issue.record("no semantic path"); return }
        #expect(path.levels.map(\.code) == Array(m.semanticIDs.path(of: Int(e.item))))
        #expect(path.lastItem == history(u).last)
        let transition = e.terms.first { $0.name.hasPrefix("transition") }!.value
        #expect(Self.close(transition, path.transitionScore))
    }

    @Test func rankNamesItsFeaturesAndRetrievers() throws {
        let m = try model(.rank)
        let e = m.explain(m.recommend(user: 3, k: 1, exclude: seen(3)), for: .trained(3, history: history(3)))[0]
        guard case .ranker(let r)? = e.detail else { Issue.record("no ranker detail"); return }
        #expect(r.features.count == e.terms.count && r.candidate && e.link == .logistic)
        #expect(r.sources.map(\.retriever) == ["als", "itemknn", "sid"] && r.sources.contains { $0.rank != nil })
    }

    @Test(arguments: [ModelKind.sasrec, .bert4rec])
    func transformersShowTheirAttentionOverTheWindow(_ kind: ModelKind) throws {
        let m = try model(kind)
        let e = m.explain([2, 9], for: .trained(6, history: history(6)))
        for x in e {
            #expect(x.basis == .attention && x.reproducedScore == nil)
            let sum = x.contributions.reduce(Float(0)) { $0 + $1.value }
            #expect(sum > 0 && sum <= 1.0001)
            guard case .attention(let trace)? = x.detail else { Issue.record("no attention"); continue }
            #expect(trace.items.filter { $0 >= 0 }.allSatisfy(history(6).contains))
        }
    }

    // MARK: what-if users

    @Test(arguments: ModelKind.allCases)
    func whatIfListsHonourKAndExclusionsAndAreRanked(_ kind: ModelKind) throws {
        let m = try model(kind)
        let items: [Int32] = [1, 4, 7, 10]
        for k in [0, 3, 10] {
            let list = m.recommend(history: items, k: k, exclude: ExclusionSet(unsorted: items))
            #expect(list.count == k)
            #expect(!list.contains { items.contains($0.item) })
            #expect(zip(list, list.dropFirst()).allSatisfy { ScoredItem.ranksBefore($0, $1) })
            for (e, s) in zip(m.explain(list, for: .whatIf(items)), list) {
                #expect(Self.close(e.score, s.score), "\(kind) what-if item \(s.item): explained \(e.score), listed \(s.score)")
                if let total = e.reproducedScore { #expect(Self.close(total, e.score), "\(kind) what-if item \(s.item)") }
            }
        }
        let pop = Popularity(train: train).recommend(user: 0, k: 6, exclude: .none)
        #expect(m.recommend(history: [], k: 6, exclude: .none) == pop, "\(kind): an empty what-if user gets popularity")
    }

    /// Models that score from the items alone give a trained user's own list to a what-if user with their items.
    @Test(arguments: [ModelKind.pop, .itemknn, .ease, .sasrec, .bert4rec, .sidgen])
    func whatIfWithAUsersOwnItemsIsTheirList(_ kind: ModelKind) throws {
        let m = try model(kind)
        for u in 0..<(train.userCount - 1) {
            #expect(m.recommend(history: history(u), k: 8, exclude: seen(u)) == m.recommend(user: u, k: 8, exclude: seen(u)), "\(kind) user \(u)")
        }
    }

    /// ALS folds a user in with the user half-step against the trained item factors; for a user's own items that
    /// reproduces the stored factor, so the scores agree within 1e-4 (α = 0: the shared inverse; α > 0: Cholesky).
    @Test(arguments: [["factors": "8", "iterations": "4", "regularization": "0.1"],
                      ["factors": "8", "iterations": "4", "regularization": "0.1", "alpha": "2", "solver": "cholesky"]])
    func alsFoldInOfAUsersOwnItemsScoresAsTheirTrainedFactor(_ params: [String: String]) throws {
        let m = try ALS(train: train, configuration: { var p = ModelParameters(params, model: "als"); return try ALS.Configuration(&p) }())
        let all = (0..<Int32(train.itemCount)).map { $0 }
        for u in 0..<(train.userCount - 1) {
            let x = m.foldedInFactor(history: history(u))
            let folded = m.scorer.scores(query: x, items: all)
            let trained = m.scores(user: u, items: all)
            #expect(zip(folded, trained).allSatisfy { abs($0 - $1) <= 1e-4 }, "user \(u): max gap \(zip(folded, trained).map { abs($0 - $1) }.max()!)")
        }
    }
}
