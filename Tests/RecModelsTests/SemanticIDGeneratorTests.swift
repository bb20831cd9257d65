import RecCore
import Testing
@testable import RecModels

/// `sidgen`: a transformer over semantic-ID tokens, decoded by beam search constrained to the trie.
@Suite struct SemanticIDGeneratorTests {
    static let items = SequenceModelTests.items

    /// Two-level codes for the cycle's 24 items: (i / 6, i % 6), or with `collide`, (i / 6, (i % 6) / 2), so
    /// items share full paths in pairs and the disambiguation code becomes a third generated level.
    static func codes(collide: Bool = false) -> SemanticIDs {
        var codes: [Int32] = []
        for i in 0..<items { codes += [Int32(i / 6), Int32(collide ? (i % 6) / 2 : i % 6)] }
        return SemanticIDs(codebooks: [DenseMatrix(rows: 4, cols: 2), DenseMatrix(rows: collide ? 3 : 6, cols: 2)], codes: codes)
    }

    static let params = ["dim": "16", "heads": "2", "layers": "1", "max_len": "2", "dropout": "0", "lr": "0.005",
                         "epochs": "40", "batch": "8", "patience": "10", "threads": "2", "space": "planted", "beam": "8"]

    static func trained(collide: Bool = false, users: Int = 96, params extra: [String: String] = [:]) throws
        -> (model: SemanticIDGenerator, train: InteractionMatrix, next: [Int32]) {
        var (train, context, next) = SequenceModelTests.cycle(users: users)
        context.semanticIDs = ["planted": codes(collide: collide)]
        let model = try ModelKind.sidgen.train(train, params: params.merging(extra) { $1 }, context: context)
        return (try #require(model as? SemanticIDGenerator), train, next)
    }

    static func seen(_ train: InteractionMatrix, _ u: Int) -> ExclusionSet { ExclusionSet(unsorted: Array(train.items(ofUser: u))) }

    /// With colliding codes, so the item is only named by its third, disambiguating, token.
    @Test func theModelWritesTheNextItemsCode() throws {
        let (model, train, next) = try Self.trained(collide: true)
        #expect(model.generatedLevels == 3 && model.trie.levels == 3)
        var hits = 0
        for u in 0..<train.userCount where model.recommend(user: u, k: 1, exclude: Self.seen(train, u)).first?.item == next[u] { hits += 1 }
        #expect(Double(hits) / Double(train.userCount) > 0.9, "\(hits) of \(train.userCount) next items first")
    }

    @Test func decodingWithTheCacheGivesTheFullForwardsHiddenState() throws {
        let (model, _, _) = try Self.trained(params: ["epochs": "2"])
        let decoder = model.decoder, levels = decoder.vocabulary.levels
        let history: [Int32] = [3, 4, 5, 6], next: [Int32] = [7, 8]
        let (tokens, first) = decoder.input(history)
        let (cache, _) = decoder.network.prefill(tokens, firstPosition: first)
        var caches = [DecodingCache(layers: decoder.network.shape.layers)]
        let appended = decoder.vocabulary.tokens(of: next)
        // Every code of the next item but its last: the positions a decode reads.
        for (n, token) in appended.prefix(levels - 1).enumerated() {
            let hidden = decoder.network.extend(cache, &caches, tokens: [token], position: decoder.maxItems * levels + n)
            // The reference: the whole sequence through the batch forward, read at its last row.
            var batch = SequenceBatch()
            let all = tokens + appended.prefix(n + 1)
            batch.append(tokens: all, targets: [Int32](repeating: -1, count: all.count), firstPosition: first, maxLen: decoder.network.shape.maxLen)
            let reference = decoder.network.forward(batch, dropout: 0, seed: 0, threads: 1).output.rowArray(all.count - 1)
            let got = hidden.rowArray(0)
            #expect(zip(got, reference).allSatisfy { abs($0 - $1) <= 1e-4 }, "token \(n)")
        }
    }

    @Test func constrainedDecodingNeverWritesACodeNoItemHas() throws {
        let (model, train, _) = try Self.trained(collide: true, params: ["epochs": "3"])
        let trie = model.trie
        for u in 0..<train.userCount {
            let seen = Self.seen(train, u)
            let trace = try #require(model.decodeTrace(user: u, k: 10, exclude: seen))
            for step in trace.steps {
                for c in step.kept { #expect(trie.node(of: c.codes) != nil, "user \(u) kept \(c.codes)") }
                for c in step.blocked { #expect(trie.node(of: c.codes) == nil, "user \(u) blocked a valid \(c.codes)") }
            }
            #expect(trace.items.count == 10 && trace.items.allSatisfy { !seen.contains($0.item) })
            #expect(Set(trace.items.map(\.item)).count == trace.items.count)
        }
    }

    @Test func theTriePrunesWithNoLoss() throws {
        let (model, train, _) = try Self.trained(collide: true, params: ["epochs": "3"])
        let decoder = model.decoder
        for u in 0..<train.userCount {
            let seen = Self.seen(train, u)
            let history = Array(model.window(u)!)
            // Every unseen item's probability under teacher forcing, with no beam and no trie.
            let candidates = (0..<Int32(Self.items)).filter { !seen.contains($0) }
            let logp = decoder.logProbabilities(history: history, items: candidates)
            let best = candidates.indices.max { (logp[$0], candidates[$1]) < (logp[$1], candidates[$0]) }!
            // A beam as wide as the widest level keeps every prefix: its first item is that best item.
            let wide = try #require(decoder.decode(history: history, k: 1, beam: model.trie.widestLevel, exclude: seen))
            #expect(wide.items.first?.item == candidates[best], "user \(u)")
            #expect(abs(wide.items.first!.score - logp[best]) <= 1e-4)
            // Unconstrained greedy decoding: the argmax code at each level, trie ignored.
            let input = decoder.input(history)
            let (cache, start) = decoder.network.prefill(input.tokens, firstPosition: input.first)
            var hidden = start
            var caches = [DecodingCache(layers: decoder.network.shape.layers)]
            var path: [Int32] = []
            for level in 0..<decoder.vocabulary.levels {
                let scores = hidden.withUnsafeBufferPointer { decoder.logSoftmax($0.baseAddress!, level: level) }
                let code = Int32(scores.indices.max { (scores[$0], $1) < (scores[$1], $0) }!)
                path.append(code)
                if level + 1 < decoder.vocabulary.levels {
                    hidden = decoder.network.extend(cache, &caches, tokens: [Int32(decoder.vocabulary.offsets[level]) + code],
                                                    position: decoder.maxItems * decoder.vocabulary.levels + level).rowArray(0)
                }
            }
            // When greedy lands on an unseen item, the constrained beam finds it: first with width 1, listed with 8.
            if let node = model.trie.node(of: path), let item = model.trie.items(under: node, level: path.count - 1).first, !seen.contains(item) {
                #expect(decoder.decode(history: history, k: 1, beam: 1, exclude: seen)?.items.first?.item == item)
                #expect(decoder.decode(history: history, k: 8, beam: 8, exclude: seen)?.items.contains { $0.item == item } == true)
            }
        }
    }

    @Test func scoresAreTheDecodedLogProbabilities() throws {
        let (model, train, _) = try Self.trained(params: ["epochs": "3"])
        let list = model.recommend(user: 5, k: 5, exclude: Self.seen(train, 5))
        let scores = model.scores(user: 5, items: list.map(\.item))
        for (s, item) in zip(scores, list) { #expect(abs(s - item.score) <= 1e-4) }
    }

    @Test func oneAndTwoThreadsTrainTheSameModelAndItReloads() throws {
        let (one, train, _) = try Self.trained(users: 40, params: ["epochs": "3", "dropout": "0.2", "threads": "1"])
        let (two, _, _) = try Self.trained(users: 40, params: ["epochs": "3", "dropout": "0.2", "threads": "2"])
        #expect(one.artifact() == two.artifact())
        let loaded = try ModelKind.sidgen.load(one.artifact())
        for u in 0..<train.userCount {
            #expect(loaded.recommend(user: u, k: 5, exclude: Self.seen(train, u)) == one.recommend(user: u, k: 5, exclude: Self.seen(train, u)))
        }
    }

    @Test func ownCodesWithoutASpaceAndPopularityWithoutHistory() throws {
        let (train, context, _) = SequenceModelTests.cycle(users: 48)
        var params = Self.params
        params.removeValue(forKey: "space")
        params["epochs"] = "2"
        params["codes"] = "4"
        let model = try #require(try ModelKind.sidgen.train(train, params: params, context: context) as? SemanticIDGenerator)
        #expect(model.trie.itemCount == Self.items)
        #expect(model.recommend(user: train.userCount + 3, k: 3, exclude: .none).count == 3)
        #expect(throws: ModelError.self) {
            try ModelKind.sidgen.train(train, params: Self.params, context: context)  // space=planted, not given
        }
    }
}
