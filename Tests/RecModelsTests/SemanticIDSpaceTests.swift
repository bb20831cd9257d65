import RecCore
import Testing
@testable import RecModels

/// `sid` with `space=NAME` (codes from a stored space, prefixes scored by mean item factors) and `balanced`.
@Suite struct SemanticIDSpaceTests {
    let train = clusteredMatrix()
    var sequences: UserSequences { shuffledSequences(train) }

    func configuration(_ extra: [String: String] = [:]) throws -> SemanticIDRetriever.Configuration {
        var p = ModelParameters(contractParams[.sid]!.merging(["codes": "6", "transition": "0.5"]) { _, b in b }
                                    .merging(extra) { _, b in b }, model: "sid")
        let c = try SemanticIDRetriever.Configuration(&p)
        try p.finish()
        return c
    }

    func sid(_ extra: [String: String] = [:], stored: [String: SemanticIDs] = [:]) throws -> SemanticIDRetriever {
        try SemanticIDRetriever(train: train, sequences: sequences, stored: stored, configuration: try configuration(extra))
    }

    /// One level of two codes in a 5-dimensional space foreign to ALS: items by parity, which the taste
    /// clusters (items ≡ c mod 3) cut across.
    var parity: SemanticIDs {
        let book = DenseMatrix(rows: 2, cols: 5) { r, c in Float(r * 5 + c) }
        return SemanticIDs(codebooks: [book], codes: (0..<Int32(train.itemCount)).map { $0 % 2 })
    }

    func history(_ u: Int) -> ExclusionSet { ExclusionSet(sorted: train.items(ofUser: u)) }

    @Test func theDefaultCodesItsOwnALSFactorsAndScoresPrefixesResidualByResidual() throws {
        let m = try sid()
        #expect(m.prefixMeans == nil && m.params["space"] == nil && m.params["balanced"] == nil)
        // The reference: the same ALS and RQ-KMeans run by hand.
        let c = try configuration()
        let als = try ALS(train: train, configuration: c.als)
        let reference = ResidualQuantizer.fit(embeddings: als.itemFactors,
                                              configuration: .init(levels: c.levels, codes: c.codes, iterations: c.kmeansIterations,
                                                                   seed: c.quantizerSeed, threads: c.als.threads))
        #expect(m.semanticIDs.codes == reference.codes)
        for u in 0..<(train.userCount - 1) {
            let q = m.userFactors.rowArray(u)
            let trace = m.trace(user: u, k: 5, exclude: history(u))
            for level in trace.levels {
                for p in level.kept + level.pruned {
                    var sum: Float = 0
                    for (l, code) in p.codes.enumerated() {
                        let centroid = reference.codebooks[l].rowArray(Int(code))
                        sum += Kernels.dot(q, centroid)
                    }
                    #expect(abs(p.centroidScore - sum) <= 1e-4 * max(1, abs(sum)))
                }
            }
        }
    }

    @Test func aStoredSpacesCodesDecideWhichItemsANarrowBeamReaches() throws {
        // No transition term, so the kept prefix is the one whose mean factor scores best.
        let m = try sid(["space": "parity", "beam": "1", "transition": "0"], stored: ["parity": parity])
        #expect(m.semanticIDs.codes == parity.codes && m.params["space"] == "parity")
        var ownMixes = false
        let own = try sid(["beam": "1", "transition": "0"])
        for u in 0..<(train.userCount - 1) {
            let list = m.recommend(user: u, k: 5, exclude: history(u))
            #expect(list.count == 5)
            // One level, beam 1: every item comes from the one parity whose mean factor scores best.
            let parities = Set(list.map { $0.item % 2 })
            #expect(parities.count == 1)
            let q = m.userFactors.rowArray(u)
            func meanScore(_ p: Int32) -> Float {
                let items = (0..<Int32(train.itemCount)).filter { $0 % 2 == p }
                var mean = [Float](repeating: 0, count: m.itemFactors.cols)
                for i in items { for (j, v) in m.itemFactors.rowArray(Int(i)).enumerated() { mean[j] += v / Float(items.count) } }
                return Kernels.dot(q, mean)
            }
            let best: Int32 = meanScore(1) > meanScore(0) ? 1 : 0
            #expect(parities.first == best)
            let trace = m.trace(user: u, k: 5, exclude: history(u))
            #expect(trace.levels[0].kept.map(\.codes) == [[best]])
            #expect(abs(trace.levels[0].kept[0].centroidScore - meanScore(best)) <= 1e-4)
            if Set(own.recommend(user: u, k: 5, exclude: history(u)).map { $0.item % 2 }).count > 1 { ownMixes = true }
        }
        #expect(ownMixes, "its own codes ignore parity, so some user's list mixes both")
    }

    @Test func aWideBeamOverAStoredSpaceStillRanksByTheFullScore() throws {
        let m = try sid(["space": "parity", "beam": "2"], stored: ["parity": parity])
        for u in 0..<(train.userCount - 1) {
            let all = m.scores(user: u, items: (0..<Int32(train.itemCount)).map { $0 })
            #expect(m.recommend(user: u, k: 10, exclude: history(u)) == TopK.select(scores: all, k: 10, exclude: history(u)))
        }
    }

    @Test func aStoredModelKeepsTheCodesItWasTrainedWith() throws {
        let m = try sid(["space": "parity", "beam": "1"], stored: ["parity": parity])
        let loaded = try ModelKind.sid.load(m.artifact())
        let back = try #require(loaded as? SemanticIDRetriever)
        #expect(back.semanticIDs.codes == parity.codes && back.semanticIDs.dimension == 5)
        #expect(back.params == m.params && back.prefixMeans != nil)
        for u in 0..<train.userCount {
            #expect(back.recommend(user: u, k: 5, exclude: history(u)) == m.recommend(user: u, k: 5, exclude: history(u)))
            #expect(back.trace(user: u, k: 5, exclude: history(u)) == m.trace(user: u, k: 5, exclude: history(u)))
        }
        let own = try sid(["balanced": "true"])
        let ownBack = try #require(try ModelKind.sid.load(own.artifact()) as? SemanticIDRetriever)
        #expect(ownBack.params["balanced"] == "true" && ownBack.semanticIDs.codes == own.semanticIDs.codes)
    }

    @Test func meanPrefixScoresOnItsOwnCodesKeepTheCodesAndScoreByMeans() throws {
        let residual = try sid(["beam": "1"]), mean = try sid(["beam": "1", "prefix_score": "mean"])
        #expect(mean.semanticIDs.codes == residual.semanticIDs.codes && mean.params["prefix_score"] == "mean")
        let means = try #require(mean.prefixMeans)
        for u in 0..<(train.userCount - 1) {
            let q = mean.userFactors.rowArray(u)
            for level in mean.trace(user: u, k: 5, exclude: history(u)).levels {
                for p in level.kept {
                    let node = try #require(mean.trie.node(of: p.codes))
                    #expect(abs(p.centroidScore - Kernels.dot(q, means[level.level].rowArray(node))) <= 1e-4)
                }
            }
        }
    }

    @Test func balancedCodesCapEveryCode() throws {
        let m = try sid(["balanced": "true"])
        let k = m.semanticIDs.codesPerLevel[0]
        let cap = ResidualQuantizer.capacity(items: train.itemCount, codes: k, balance: SemanticIDRetriever.Configuration.balancedCapacity)
        for l in 0..<m.semanticIDs.levels {
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<train.itemCount { counts[Int(m.semanticIDs.codes[i * m.semanticIDs.levels + l])] += 1 }
            #expect(counts.max()! <= cap)
        }
    }

    @Test func theErrorsSayWhatToDo() throws {
        #expect(throws: ModelError.infeasible("sid space=content: no semantic IDs of space 'content' were given; build them with recscope sid build --space content")) {
            try sid(["space": "content"])
        }
        let short = SemanticIDs(codebooks: [DenseMatrix(rows: 2, cols: 3)], codes: [0, 1, 0])
        #expect(throws: ModelError.infeasible("sid space=short: the semantic IDs of 'short' cover 3 items, the training matrix 36; rebuild them with recscope sid build --space short")) {
            try sid(["space": "short"], stored: ["short": short])
        }
        #expect {
            try sid(["space": "parity", "balanced": "true"], stored: ["parity": parity])
        } throws: { error in
            "\(error)".contains("false with space=parity") && "\(error)".contains("recscope sid build --space parity --balanced")
        }
        #expect(try ModelKind.sid.semanticIDSpaces(["space": "aligned"]) == ["aligned"])
        #expect(try ModelKind.rank.semanticIDSpaces(["sid.space": "content"]) == ["content"])
        #expect(try ModelKind.sid.semanticIDSpaces([:]).isEmpty)
    }

    @Test func rankReadsItsSidSpaceFromTheContext() throws {
        var params = contractParams[.rank]!
        params["sid.space"] = "parity"
        params["sid.levels"] = nil
        let ctx = TrainingContext(sequences: sequences, semanticIDs: ["parity": parity])
        let r = try #require(try ModelKind.rank.train(train, params: params, context: ctx) as? GenerateRank)
        #expect(r.sid.semanticIDs.codes == parity.codes)
    }
}
