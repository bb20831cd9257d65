import RecCore

/// The `sidgen` model: generative retrieval over semantic IDs (TIGER, Rajput et al. 2023; OneRec): a user's
/// history is the sequence of its items' code tokens (`CodeVocabulary`), a decoder-only transformer (the
/// blocks, kernels and training loop of `sasrec`) learns to emit the next item's codes token by token, and
/// a list is written by beam search constrained to the codes items have (`CodeDecoder`).
///
/// The codes are a stored space's (`space=NAME`: content, als, aligned, imported …) or, without one, RQ-KMeans
/// of its own ALS item factors, as `sid` builds them. Training is next-token cross-entropy over every code
/// token at every position, early-stopped on the valid rows' NDCG@10 of the decoded lists.
public struct SemanticIDGenerator: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        /// The transformer; `max_len` counts items (each is `levels` tokens).
        public var network: TransformerHyperparameters
        /// Prefixes kept per level when decoding (at least the list's length).
        public var beam = 32
        /// The beam of the decode that judges each epoch on the valid rows (nil: `beam`). On MovieLens-100k
        /// (aligned codes) 16 trains in 55 s instead of 185 s, but its noisier judgement stops 20 epochs
        /// earlier: test NDCG@10 0.0611 instead of 0.0659.
        public var validBeam: Int?
        /// The catalog space whose stored semantic IDs are generated (nil: RQ-KMeans of its own ALS factors).
        public var space: String?
        /// Own codes only: levels, codes per level, k-means iterations and seed.
        public var levels = 3
        public var codes = 256
        public var kmeansIterations = 25
        public var quantizerSeed: UInt64 = 1

        /// The defaults, chosen on MovieLens-100k's valid rows with its own codes: max_len 20 and lr 0.002
        /// reached test NDCG@10 0.0596 after 618 s; max_len 10 and lr 0.005 learn faster (valid NDCG@10 0.075 by
        /// epoch 54) at half the tokens. Every setting first sits about 15 epochs on a plateau (each level's
        /// marginal, valid NDCG@10 near 0.002) before it reads the history: `min_epochs` keeps early stopping
        /// off it.
        public static var defaultNetwork: TransformerHyperparameters {
            var h = TransformerHyperparameters()
            h.maxLen = 10
            h.learningRate = 0.005
            h.minEpochs = 25
            return h
        }

        public init() { network = Self.defaultNetwork }
        public init(_ p: inout ModelParameters) throws {
            network = try TransformerHyperparameters(&p, defaults: Self.defaultNetwork)
            beam = try p.int("beam", default: beam, range: 1...1_000_000)
            validBeam = p.has("valid_beam") ? try p.int("valid_beam", default: beam, range: 10...1_000_000) : nil
            space = try p.name("space")
            levels = try p.int("levels", default: levels, range: 1...8)
            codes = try p.int("codes", default: codes, range: 1...65_536)
            kmeansIterations = try p.int("kmeans_iterations", default: kmeansIterations, range: 1...1000)
            quantizerSeed = try p.seed("quantizer_seed", default: quantizerSeed)
        }

        public var params: [String: String] {
            var out = network.params.merging(["beam": String(beam)]) { a, _ in a }
            if let validBeam { out["valid_beam"] = String(validBeam) }
            if let space { out["space"] = space } else {
                out.merge(["levels": String(levels), "codes": String(codes), "kmeans_iterations": String(kmeansIterations),
                           "quantizer_seed": String(quantizerSeed)]) { a, _ in a }
            }
            return out
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    public let configuration: Configuration
    let decoder: CodeDecoder
    /// Each user's last `max_len` training items.
    let recent: RecentItems
    let ranking: _PopularityRanking
    /// Each item's code tokens' embeddings summed, unit length (`similarItems`).
    let itemVectors: DenseMatrix
    /// The epoch whose weights were kept and its validation NDCG@10 (0 and nil once loaded).
    public let bestEpoch: Int
    public let validationNDCG: Double?

    /// The semantic-ID paths decoding is constrained to.
    public var trie: PrefixTrie { decoder.vocabulary.trie }
    /// Generated levels (the semantic levels, plus the disambiguation level when codes collide).
    public var generatedLevels: Int { decoder.vocabulary.levels }

    init(train: InteractionMatrix, configuration c: Configuration, context: TrainingContext, progress: TrainingProgress?) throws {
        let ids: SemanticIDs
        if let space = c.space {
            guard let stored = context.semanticIDs[space] else {
                throw ModelError.infeasible("sidgen space=\(space): no semantic IDs of space '\(space)' were given; build them with recscope sid build --space \(space)")
            }
            guard stored.itemCount == train.itemCount else {
                throw ModelError.infeasible("sidgen space=\(space): the semantic IDs of '\(space)' cover \(stored.itemCount) items, the training matrix \(train.itemCount); rebuild them with recscope sid build --space \(space)")
            }
            ids = stored
        } else {
            let als = try ALS(train: train, configuration: ALS.Configuration())
            ids = ResidualQuantizer.fit(embeddings: als.itemFactors,
                                        configuration: .init(levels: c.levels, codes: c.codes, iterations: c.kmeansIterations,
                                                             seed: c.quantizerSeed, threads: c.network.threads, balance: nil))
        }
        let vocabulary = CodeVocabulary(ids)
        let histories = SequenceInputs.histories(train: train, context: context)
        var trainedOn = histories, validation = SequenceInputs.validation(context, users: train.userCount)
        if !validation.contains(where: { $0 >= 0 }) { (trainedOn, validation) = SequenceInputs.holdingOutLast(histories) }
        let shape = Self.shape(c.network, vocabulary: vocabulary)
        let objective = CodeSequenceObjective(maxItems: c.network.maxLen, beam: c.validBeam ?? c.beam, vocabulary: vocabulary, shape: shape,
                                              histories: trainedOn, validation: validation)
        let fitted = SequenceTrainer(kind: .sidgen, hyper: c.network, shape: shape, causal: true, objective: objective).train(progress: progress)
        self.init(configuration: c, decoder: CodeDecoder(network: fitted.network, vocabulary: vocabulary, maxItems: c.network.maxLen),
                  recent: RecentItems(histories, keep: c.network.maxLen), ranking: _PopularityRanking(train: train), userCount: train.userCount,
                  bestEpoch: fitted.epoch, validationNDCG: fitted.ndcg)
    }

    init(configuration c: Configuration, decoder: CodeDecoder, recent: RecentItems, ranking: _PopularityRanking, userCount: Int,
         bestEpoch: Int, validationNDCG: Double?) {
        configuration = c
        params = c.params
        self.decoder = decoder
        self.userCount = userCount
        itemCount = decoder.vocabulary.itemCount
        self.recent = recent
        self.ranking = ranking
        itemVectors = Self.itemVectors(decoder)
        self.bestEpoch = bestEpoch
        self.validationNDCG = validationNDCG
    }

    static func itemVectors(_ decoder: CodeDecoder) -> DenseMatrix {
        let v = decoder.vocabulary, e = decoder.network.weights.t[TransformerWeights.embedding]
        var out = DenseMatrix(rows: v.itemCount, cols: e.cols)
        withExtendedLifetime(e) {
            for i in 0..<v.itemCount {
                let row = out.mutableRow(i)
                for token in v.tokens(of: Int32(i)) { Kernels.axpy(1, e.row(Int(token)), row, count: e.stride) }
                let norm = Kernels.norm(UnsafePointer(row), count: e.stride)
                if norm > 0 { Kernels.scale(row, by: 1 / norm, count: e.stride) }
            }
        }
        return out
    }

    /// The network over code tokens: positions for `max_len` items and the next item's codes but its last.
    static func shape(_ h: TransformerHyperparameters, vocabulary v: CodeVocabulary) -> TransformerShape {
        TransformerShape(items: v.tokenCount, tokens: v.tokenCount, dim: h.dim, heads: h.heads, layers: h.layers,
                         ffn: h.ffnWidth, maxLen: (h.maxLen + 1) * v.levels - 1)
    }

    func window(_ user: Int) -> ArraySlice<Int32>? { recent.of(user) }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard let w = window(user), let decoded = decoder.decode(history: w, k: k, beam: configuration.beam, exclude: exclude) else {
            return ranking.top(k: k, exclude: exclude)
        }
        return decoded.items
    }

    /// How the list of `user` was written, level by level (nil without history).
    public func decodeTrace(user: Int, k: Int, exclude: ExclusionSet) -> DecodeTrace? {
        guard let w = window(user) else { return nil }
        return decoder.decode(history: w, k: k, beam: configuration.beam, exclude: exclude, trace: true)?.trace
    }

    /// Each item's log probability of being generated next (teacher-forced over its codes).
    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard let w = window(user) else { return ranking.scores(items: items) }
        return decoder.logProbabilities(history: w, items: items)
    }

    /// Items by the cosine of their code vectors (the sum of their tokens' embeddings, the ones the output
    /// layer scores with): items sharing a prefix share terms, so they come first.
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < itemCount, k > 0 else { return [] }
        return withExtendedLifetime(itemVectors) {
            Retrieval.topK(query: itemVectors.row(item), items: itemVectors.view, k: k, exclude: _excluding(item))
        }
    }

    public func artifact() -> ModelArtifact {
        var arrays = recent.artifactArrays.merging(decoder.vocabulary.artifactArrays) { a, _ in a }
        arrays.merge(decoder.network.weights.artifactArrays(decoder.network.shape)) { a, _ in a }
        arrays["popularity"] = ranking.artifactArray
        return ModelArtifact(kind: .sidgen, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }

    public init(artifact: ModelArtifact) throws {
        var p = ModelParameters(artifact.params, model: ModelKind.sidgen.rawValue)
        let c = try Configuration(&p)
        let vocabulary = try CodeVocabulary(artifact: artifact)
        let shape = Self.shape(c.network, vocabulary: vocabulary)
        let network = TransformerNetwork(shape: shape, causal: true, weights: try TransformerWeights(artifact: artifact, shape: shape))
        self.init(configuration: c, decoder: CodeDecoder(network: network, vocabulary: vocabulary, maxItems: c.network.maxLen),
                  recent: try RecentItems(artifact: artifact), ranking: try _PopularityRanking(artifact: artifact), userCount: artifact.userCount, bestEpoch: 0, validationNDCG: nil)
    }
}

extension SemanticIDGenerator: RegisteredModel {
    public static var kind: ModelKind { .sidgen }
    public static var needs: TrainingNeeds { [.sequences, .validation, .semanticIDs] }

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> Self {
        try Self(train: matrix, configuration: configuration, context: context, progress: progress)
    }

    public static func semanticIDSpaces(_ configuration: Configuration) -> [String] { configuration.space.map { [$0] } ?? [] }
}

/// `sidgen`'s objective: next-token prediction over the code tokens of each user's recent items, judged by
/// the NDCG@10 of the decoded lists on the valid rows.
struct CodeSequenceObjective: SequenceObjective {
    let maxItems: Int
    let beam: Int
    let vocabulary: CodeVocabulary
    let shape: TransformerShape
    let histories: [[Int32]]
    let validation: [Int32]

    var trainable: [Int] { histories.indices.filter { !histories[$0].isEmpty } }
    var validUsers: [Int] { validation.indices.filter { validation[$0] >= 0 && !histories[$0].isEmpty } }

    /// Each user's last `maxItems + 1` items as tokens; every token predicts the next one. Positions line up
    /// with item boundaries: the last input token reads position `maxLen − 1`.
    func batch(_ users: [Int], seed: UInt64) -> SequenceBatch {
        var batch = SequenceBatch()
        for u in users {
            let window = histories[u].suffix(maxItems + 1)
            let tokens = vocabulary.tokens(of: window)
            batch.append(tokens: Array(tokens.dropLast()), targets: Array(tokens.dropFirst()),
                         firstPosition: (maxItems + 1 - window.count) * vocabulary.levels, maxLen: shape.maxLen)
        }
        return batch
    }

    func candidates(_ batch: SequenceBatch, seed: UInt64) -> [Int32]? { nil }

    func validationNDCG(_ network: TransformerNetwork, users: [Int], threads: Int) -> Double {
        let decoder = CodeDecoder(network: network, vocabulary: vocabulary, maxItems: maxItems)
        var gains = [Double](repeating: 0, count: users.count)
        gains.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer.baseAddress!)
            Parallel.forEachSlice(count: users.count, threads: threads) { slice in
                for n in slice {
                    let u = users[n]
                    let list = decoder.decode(history: histories[u], k: 10, beam: beam, exclude: ExclusionSet(unsorted: histories[u]))?.items ?? []
                    if let rank = list.firstIndex(where: { $0.item == validation[u] }) { out.value[n] = 1 / Double(rank + 2).log2() }
                }
            }
        }
        return gains.reduce(0, +) / Double(users.count)
    }
}
