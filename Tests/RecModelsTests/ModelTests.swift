import RecCore
import Testing
@testable import RecModels

@Suite struct ModelTests {
    let tiny = InteractionMatrix(userCount: 4, itemCount: 5,
                                 users: [0, 0, 1, 1, 1, 2, 2, 3],
                                 items: [0, 1, 0, 1, 2, 2, 3, 4])

    @Test func popularityCountsUsersAndBreaksTiesByIndex() {
        let m = Popularity(train: tiny)
        // counts: item0 2, item1 2, item2 2, item3 1, item4 1
        #expect(m.recommend(user: 9, k: 5, exclude: .none).map(\.item) == [0, 1, 2, 3, 4])
        #expect(m.recommend(user: 0, k: 2, exclude: ExclusionSet(sorted: [0])).map(\.item) == [1, 2])
        let recent = InteractionMatrix(userCount: 4, itemCount: 5, users: [3, 2], items: [4, 3])
        let windowed = Popularity(train: tiny, counting: recent)
        #expect(windowed.recommend(user: 0, k: 3, exclude: .none).map(\.item) == [3, 4, 0])
    }

    @Test func itemKNNIsShrunkCosineWithPrunedNeighbours() {
        let m = ItemKNN(train: tiny, configuration: { var c = ItemKNN.Configuration(); c.neighbors = 1; c.shrink = 1; return c }())
        // items 0 and 1 share users {0, 1}: cos = 2 / (√2·√2 + 1) = 2/3; item 2 with item 0: 1/(√2·√2 + 1) = 1/3.
        let s = m.similarItems(to: 0, k: 5)
        #expect(s.count == 1 && s[0].item == 1 && abs(s[0].score - 2.0 / 3) < 1e-6)
        // Item 2's best neighbour is item 3 (1/(√2·1 + 1) ≈ 0.414 beats 1/3 for items 0 and 1), and item 3's is
        // item 2; so user 2 (items {2, 3}) scores each of them 0.414 and nothing else.
        let scores = m.scores(user: 2, items: [0, 1, 2, 3, 4])
        let w = Float(1 / (2.0.squareRoot() + 1))
        #expect(scores[0] == 0 && scores[1] == 0 && scores[4] == 0)
        #expect(abs(scores[2] - w) < 1e-6 && abs(scores[3] - w) < 1e-6)
    }

    @Test func itemKNNOrientationsDifferInWhoVotes() throws {
        func knn(_ orient: String) throws -> ItemKNN {
            var p = ModelParameters(["k": "2", "shrink": "1", "orient": orient], model: "itemknn")
            return ItemKNN(train: tiny, configuration: try ItemKNN.Configuration(&p))
        }
        // k = 2: N(0) = {1 (2/3), 2 (1/3)}, N(1) = {0 (2/3), 2 (1/3)}, N(2) = {3 (0.414), 0 (1/3, ties by index)}.
        // User 0 has {0, 1}. History: both vote for item 2 (1/3 each). Candidate: of item 2's neighbours only
        // item 0 is the user's, so 1/3.
        let history = try knn("history"), candidate = try knn("candidate")
        #expect(abs(history.scores(user: 0, items: [2])[0] - 2.0 / 3) < 1e-6)
        #expect(abs(candidate.scores(user: 0, items: [2])[0] - 1.0 / 3) < 1e-6)
        // Item 3 is in nobody's N but 2's (N(3) = {2}): history gives it nothing from {0, 1}; candidate neither.
        #expect(history.scores(user: 0, items: [3])[0] == 0 && candidate.scores(user: 0, items: [3])[0] == 0)
        // The neighbours themselves are the same either way; the orientation is stored and survives a round trip.
        #expect(history.similarItems(to: 2, k: 5) == candidate.similarItems(to: 2, k: 5))
        #expect(candidate.params["orient"] == "candidate" && history.params["orient"] == nil)
        let loaded = try ItemKNN(artifact: candidate.artifact())
        #expect(loaded.scores(user: 0, items: [0, 1, 2, 3, 4]) == candidate.scores(user: 0, items: [0, 1, 2, 3, 4]))
        #expect(loaded.recommend(history: [1], k: 5, exclude: .none) == candidate.recommend(history: [1], k: 5, exclude: .none))
    }

    @Test func easeMatchesTheClosedFormInDoublePrecision() throws {
        let lambda = 0.5
        let m = try EASE(train: tiny, configuration: { var c = EASE.Configuration(); c.lambda = Float(lambda); return c }())
        let n = 5
        var g = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for u in 0..<4 {
            for a in tiny.items(ofUser: u) { for b in tiny.items(ofUser: u) { g[Int(a)][Int(b)] += 1 } }
        }
        for i in 0..<n { g[i][i] += lambda }
        // Gauss-Jordan in Double.
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for k in 0..<n {
            let p = g[k][k]
            for j in 0..<n { g[k][j] /= p; inv[k][j] /= p }
            for i in 0..<n where i != k {
                let f = g[i][k]
                for j in 0..<n { g[i][j] -= f * g[k][j]; inv[i][j] -= f * inv[k][j] }
            }
        }
        for i in 0..<n {
            for j in 0..<n {
                let want = i == j ? 0 : -inv[i][j] / inv[j][j]
                #expect(abs(Double(m.weights[i, j]) - want) < 1e-4, "B[\(i), \(j)]")
            }
        }
    }

    @Test func easeRefusesCatalogsTooLargeForADenseItemMatrix() {
        let wide = InteractionMatrix(userCount: 1, itemCount: 50_000, users: [0], items: [7])
        #expect(throws: ModelError.self) { try ModelKind.ease.train(wide) }
        #expect(throws: ModelError.self) { try ModelKind.ease.train(tiny, params: ["max_items": "4"]) }
        #expect(throws: ModelError.self) { try ModelKind.ease.train(tiny, params: ["memory_gb": "0"]) }
        #expect(EASE.memoryEstimate(items: 40_000) > 8 << 30)
    }

    @Test func alsConjugateGradientApproachesTheExactSolve() throws {
        let train = clusteredMatrix()
        var c = ALS.Configuration()
        c.factors = 6; c.iterations = 6; c.alpha = 5; c.regularization = 0.1
        c.cgSteps = 6
        let cg = try ALS(train: train, configuration: c)
        c.solver = "cholesky"
        let exact = try ALS(train: train, configuration: c)
        let a = cg.userFactors.toArray(), b = exact.userFactors.toArray()
        let diff = zip(a, b).map { abs($0 - $1) }.max()!, scale = b.map(abs).max()!
        #expect(diff < 0.05 * scale, "CG and Cholesky factors differ by \(diff) (scale \(scale))")
    }

    @Test func alsAndBPRLossesGoDown() throws {
        let train = clusteredMatrix(users: 60, items: 30)
        final class Losses: @unchecked Sendable { var values: [Double] = [] }
        let als = Losses(), bpr = Losses()
        _ = try ModelKind.als.train(train, params: ["factors": "8", "iterations": "5", "alpha": "3"]) { als.values.append($0.loss!) }
        _ = try ModelKind.bpr.train(train, params: ["factors": "8", "epochs": "30", "lr": "0.05"]) { bpr.values.append($0.loss!) }
        #expect(als.values.count == 5 && als.values.last! < als.values.first!)
        #expect(bpr.values.count == 30 && bpr.values.last! < bpr.values.first!)
    }

    @Test func parametersNameWhatWasExpected() {
        do {
            _ = try ModelKind.als.train(tiny, params: ["factors": "many"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("factors=many") && "\(error)".contains("integer"))
        }
        #expect(throws: ModelError.self) { try ModelKind(named: "svd") }
        #expect(throws: ModelError.self) { try ModelKind.pop.train(tiny, params: ["window_days": "7"]) }
    }
}

@Suite struct ResolvedParameterTests {
    @Test(arguments: ModelKind.allCases)
    func resolvedParametersAreWhatTrainingStores(_ kind: ModelKind) throws {
        let train = clusteredMatrix()
        let model = try kind.train(train, params: contractParams[kind]!)
        #expect(try kind.resolvedParams(contractParams[kind]!) == model.params)
        #expect(try kind.resolvedParams([:]) != model.params || contractParams[kind]!.isEmpty)
    }
}

@Suite struct BPRSamplingTests {
    /// The bit set (small catalogs) and the binary search (large ones) answer "has u seen j" alike.
    @Test func seenBitsAndBinarySearchAgree() {
        let m = clusteredMatrix()
        let bits = m.userCount * m.itemCount
        var seen = [UInt64](repeating: 0, count: bits / 64 + 1)
        for u in 0..<m.userCount {
            for j in m.items(ofUser: u) { let b = u * m.itemCount + Int(j); seen[b >> 6] |= 1 << UInt64(b & 63) }
        }
        let owner = [Int32](repeating: 0, count: m.nonZeroCount)
        owner.withUnsafeBufferPointer { o in
            m.itemIndices.withUnsafeBufferPointer { items in
                m.rowStart.withUnsafeBufferPointer { rows in
                    seen.withUnsafeBufferPointer { s in
                        let withBits = BPR._Triples(owner: o.baseAddress!, items: items.baseAddress!, rowStart: rows.baseAddress!,
                                                    interactions: m.nonZeroCount, itemCount: m.itemCount, seen: s.baseAddress!)
                        let searching = BPR._Triples(owner: o.baseAddress!, items: items.baseAddress!, rowStart: rows.baseAddress!,
                                                     interactions: m.nonZeroCount, itemCount: m.itemCount, seen: nil)
                        for u in 0..<m.userCount {
                            for j in 0..<Int32(m.itemCount) {
                                #expect(withBits.has(u, j) == m.contains(user: u, item: j))
                                #expect(searching.has(u, j) == m.contains(user: u, item: j))
                            }
                        }
                    }
                }
            }
        }
    }
}
