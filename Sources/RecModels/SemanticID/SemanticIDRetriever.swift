import RecCore

/// The `sid` model: beam search over semantic IDs of ALS item factors, with a learned code-transition term.
///
/// Training: ALS on the training matrix gives user and item factors; RQ-KMeans codes the raw item factors
/// (not normalised: their length carries popularity); a `PrefixTrie` holds the valid paths; and
/// `CodeTransitions` counts code pairs of consecutive items in each user's time-ordered sequence. For a
/// user, `_BeamSearch` keeps the best `beam` prefixes level by level and ranks the items under the kept
/// leaves by score(u, i) = xᵤ · yᵢ + w · Σ_l term_l(i) (w = `transition`). `beam = 0` scores every item
/// with the same formula (the exhaustive control: ALS plus the transition term, no beam).
///
/// With `space = NAME` the codes are not its own: they are the stored semantic IDs of a catalog space
/// (content, aligned, imported …), passed in at training and kept in the artifact. Their codebooks live in
/// another embedding space than the ALS query, so a prefix is scored by q · m̄, the mean ALS item factor of
/// the items under it (computed once); for its own codes the residual form Σ_l q · c_l is kept.
/// `balanced = true` makes its own codes capacity-constrained (no code over 1.25 · n / K items).
public struct SemanticIDRetriever: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        public var als = ALS.Configuration()
        public var levels = 3
        public var codes = 256
        public var kmeansIterations = 25
        public var quantizerSeed: UInt64 = 1
        /// Prefixes kept per level (0: no beam, every item scored).
        public var beam = 32
        /// w: weight of the transition term against the factor score (0.2: best of 0-0.5 on ML-100k's valid rows).
        public var transitionWeight: Float = 0.2
        public var transitions = CodeTransitions.Configuration()
        /// The catalog space whose stored semantic IDs the beam searches (nil: RQ-KMeans of its own ALS factors).
        public var space: String?
        /// Own codes only: capacity-constrained k-means per level (`ResidualQuantizer.Configuration.balance`).
        public var balanced = false
        /// Own codes only: score prefixes by q · m̄ (mean item factor under them) as a space's codes are,
        /// instead of the residual sum Σ_l q · c_l (`prefix_score=mean`; the comparison for `space`).
        public var meanPrefixScore = false
        /// The capacity `balanced` uses: no code holds more than this × items / K items.
        public static let balancedCapacity = 1.25

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            als = try ALS.Configuration(&p)
            levels = try p.int("levels", default: levels, range: 1...8)
            codes = try p.int("codes", default: codes, range: 1...65_536)
            kmeansIterations = try p.int("kmeans_iterations", default: kmeansIterations, range: 1...1000)
            quantizerSeed = try p.seed("quantizer_seed", default: quantizerSeed)
            beam = try p.int("beam", default: beam, range: 0...1_000_000)
            transitionWeight = try p.float("transition", default: transitionWeight)
            transitions.window = try p.int("window", default: transitions.window, range: 1...100)
            transitions.decay = try p.float("decay", default: transitions.decay)
            transitions.history = try p.int("history", default: transitions.history, range: 1...1000)
            transitions.smoothing = try p.float("smoothing", default: transitions.smoothing, minimum: 0.001)
            transitions.contextLevel = try p.int("context_level", default: transitions.contextLevel, range: 0...8)
            transitions.lift = try p.float("lift", default: transitions.lift)
            space = try p.name("space")
            balanced = try p.choice("balanced", default: "false", among: ["false", "true"]) == "true"
            meanPrefixScore = try p.choice("prefix_score", default: "residual", among: ["residual", "mean"]) == "mean"
            if let space, balanced {
                throw ModelError.badParameter(model: p.model, name: "balanced", value: "true",
                                              expected: "false with space=\(space): that space's codes are stored; balance them with recscope sid build --space \(space) --balanced")
            }
        }

        public var params: [String: String] {
            als.params.merging([
                "levels": String(levels), "codes": String(codes), "kmeans_iterations": String(kmeansIterations),
                "quantizer_seed": String(quantizerSeed), "beam": String(beam), "transition": _param(transitionWeight),
                "window": String(transitions.window), "decay": _param(transitions.decay), "history": String(transitions.history),
                "smoothing": _param(transitions.smoothing), "context_level": String(transitions.contextLevel),
                "lift": _param(transitions.lift),
            ].merging(extra) { a, _ in a }) { a, _ in a }
        }

        /// `space` and `balanced` appear only when set, so models stored before they existed still match.
        var extra: [String: String] {
            var out: [String: String] = [:]
            if let space { out["space"] = space }
            if balanced { out["balanced"] = "true" }
            if meanPrefixScore { out["prefix_score"] = "mean" }
            return out
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    public let configuration: Configuration
    let scorer: _FactorScorer
    public let semanticIDs: SemanticIDs
    public let trie: PrefixTrie
    public let transitions: CodeTransitions
    /// For codes from another space: per level, the mean ALS item factor of each trie node's items (nil for
    /// its own codes, scored residual by residual).
    let prefixMeans: [DenseMatrix]?
    /// The same counts with the recent items themselves as context (a feature for `rank`).
    public let itemTransitions: CodeTransitions
    /// The training sequences the transitions were counted from (empty rows when no order was given).
    let sequences: UserSequences
    /// ALS's user half-step against the item factors, for what-if users and explanations.
    let foldIn: _FactorFoldIn
    public var transitionWeight: Float { configuration.transitionWeight }

    /// Trains ALS, codes its item factors (or takes `stored[c.space]` when `c.space` is set), and counts
    /// transitions in `sequences` (none when nil).
    public init(train: InteractionMatrix, sequences: UserSequences?, stored: [String: SemanticIDs] = [:],
                configuration c: Configuration = Configuration(), progress: TrainingProgress? = nil) throws {
        if let sequences, sequences.userCount != train.userCount {
            throw ModelError.infeasible("sid: the sequences cover \(sequences.userCount) users, the training matrix \(train.userCount)")
        }
        var spaceIDs: SemanticIDs?
        if let space = c.space {
            guard let ids = stored[space] else {
                throw ModelError.infeasible("sid space=\(space): no semantic IDs of space '\(space)' were given; build them with recscope sid build --space \(space)")
            }
            guard ids.itemCount == train.itemCount else {
                throw ModelError.infeasible("sid space=\(space): the semantic IDs of '\(space)' cover \(ids.itemCount) items, the training matrix \(train.itemCount); rebuild them with recscope sid build --space \(space)")
            }
            spaceIDs = ids
        }
        let als = try ALS(train: train, configuration: c.als, progress: progress)
        let ids = spaceIDs ?? ResidualQuantizer.fit(
            embeddings: als.itemFactors,
            configuration: .init(levels: c.levels, codes: c.codes, iterations: c.kmeansIterations, seed: c.quantizerSeed,
                                 threads: c.als.threads, balance: c.balanced ? Configuration.balancedCapacity : nil))
        self.init(configuration: c, scorer: als.scorer, ids: ids,
                  sequences: sequences ?? UserSequences(start: [Int](repeating: 0, count: train.userCount + 1), items: [], timestamps: []),
                  userCount: train.userCount, itemCount: train.itemCount)
    }

    init(configuration c: Configuration, scorer: _FactorScorer, ids: SemanticIDs, sequences: UserSequences,
         userCount: Int, itemCount: Int) {
        self.userCount = userCount
        self.itemCount = itemCount
        configuration = c
        params = c.params
        self.scorer = scorer
        semanticIDs = ids
        trie = PrefixTrie(ids)
        prefixMeans = c.space == nil && !c.meanPrefixScore ? nil : Self.prefixMeans(trie: trie, factors: scorer.itemFactors)
        self.sequences = sequences
        foldIn = _FactorFoldIn(itemFactors: scorer.itemFactors, regularization: c.als.regularization, alpha: c.als.alpha)
        transitions = CodeTransitions(sequences: sequences, trie: trie, configuration: c.transitions)
        var itemLevel = c.transitions
        itemLevel.contextLevel = ids.levels
        itemTransitions = CodeTransitions(sequences: sequences, trie: trie, configuration: itemLevel)
    }

    public init(artifact: ModelArtifact) throws {
        var p = ModelParameters(artifact.params, model: "sid")
        let c = try Configuration(&p)
        let scorer = try _FactorScorer(artifact: artifact)
        let codes = try artifact.array("codes", rows: artifact.itemCount)
        let levels = codes.cols
        var books: [DenseMatrix] = []
        for l in 0..<levels {
            // Its own codes quantise the item factors; a space's codes keep that space's dimension.
            books.append(try artifact.array("codebook.\(l)", cols: c.space == nil ? scorer.itemFactors.cols : nil).matrix)
        }
        let pathCodes = codes.values.map { Int32($0) }
        for (n, code) in pathCodes.enumerated() where code < 0 || Int(code) >= books[n % levels].rows {
            throw ModelError.corruptArtifact("sid item \(n / levels) has code \(code) at level \(n % levels), outside its codebook")
        }
        let lengths = try artifact.array("sequence.lengths", rows: artifact.userCount, cols: 1).values
        let items = try artifact.array("sequence.items", cols: 1).values
        var start = [0]
        for l in lengths { start.append(start.last! + Int(l)) }
        guard start.last == items.count, items.allSatisfy({ $0 >= 0 && Int($0) < artifact.itemCount }) else {
            throw ModelError.corruptArtifact("sid sequences do not add up to their lengths or name items outside 0..<\(artifact.itemCount)")
        }
        self.init(configuration: c, scorer: scorer, ids: SemanticIDs(codebooks: books, codes: pathCodes),
                  sequences: UserSequences(start: start, items: items.map { Int32($0) }, timestamps: [Double](repeating: 0, count: items.count)),
                  userCount: artifact.userCount, itemCount: artifact.itemCount)
    }

    public func artifact() -> ModelArtifact {
        var arrays = scorer.artifactArrays()
        for (l, book) in semanticIDs.codebooks.enumerated() { arrays["codebook.\(l)"] = ArtifactArray(book) }
        arrays["codes"] = ArtifactArray(rows: itemCount, cols: semanticIDs.levels, values: semanticIDs.codes.map { Float($0) })
        arrays["sequence.lengths"] = ArtifactArray(column: (0..<userCount).map { Float(sequences.start[$0 + 1] - sequences.start[$0]) })
        arrays["sequence.items"] = ArtifactArray(column: sequences.items.map { Float($0) })
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }

    /// Per level, each trie node's mean item factor m̄ = (1/|items|) Σ yᵢ over the items under it.
    /// - Complexity: O(levels · items · d).
    static func prefixMeans(trie: PrefixTrie, factors: DenseMatrix) -> [DenseMatrix] {
        let d = factors.cols
        return (0..<trie.levels).map { l in
            var means = DenseMatrix(rows: trie.nodeCount(level: l), cols: d)
            for node in 0..<trie.nodeCount(level: l) {
                let row = means.mutableRow(node)
                let items = trie.items(under: node, level: l)
                for item in items {
                    let y = factors.row(Int(item))
                    for j in 0..<d { row[j] += y[j] }
                }
                let scale = 1 / Float(items.count)
                for j in 0..<d { row[j] *= scale }
            }
            return means
        }
    }

    /// ALS user factors (the beam's query vectors) and item factors (what the codes quantise).
    public var userFactors: DenseMatrix { scorer.userFactors }
    public var itemFactors: DenseMatrix { scorer.itemFactors }

    /// The user's training items in time order (empty when no order was given).
    public func sequence(of user: Int) -> ArraySlice<Int32> { sequences.items(ofUser: user) }

    /// xᵤ · yᵢ + w · Σ transition terms of i's path.
    @inline(__always)
    func fullScore(query: UnsafePointer<Float>, item: Int, transitions t: CodeTransitions.Query) -> Float {
        let f = scorer.itemFactors
        return Kernels.dot(query, f.row(item), count: f.stride) + transitionWeight * t.pathTerm(item: item)
    }

    /// What the beam reads of a user: the ALS query vector (`itemFactors.stride` floats) and the recent items,
    /// oldest first, whose codes give the transition context.
    struct _Query {
        let factor: [Float]
        let recent: [Int32]
    }

    /// A trained user's stored factor and training sequence, or, for a what-if user, the ALS fold-in of their
    /// items and the items themselves; nil when the user has no history (popularity answers).
    func query(for user: ExplainedUser) -> _Query? {
        if let u = user.index, scorer.isKnown(u), let factor = scorer.storedFactor(user) {
            return _Query(factor: factor, recent: Array(sequences.items(ofUser: u)))
        }
        guard !user.items.isEmpty else { return nil }
        return _Query(factor: foldIn.factor(items: user.items, y: scorer.itemFactors), recent: user.items)
    }

    func query(ofTrained user: Int) -> _Query? { query(for: ExplainedUser(index: user, items: [])) }

    func withQuery<R>(_ q: _Query, _ body: (UnsafePointer<Float>, CodeTransitions.Query) -> R) -> R {
        let t = transitions.query(recent: q.recent[...])
        return withExtendedLifetime(scorer.itemFactors) { q.factor.withUnsafeBufferPointer { body($0.baseAddress!, t) } }
    }

    /// The beam search for `user`, level by level (`beam` overrides the trained width; 0 = every prefix).
    public func trace(user: Int, k: Int, exclude: ExclusionSet, beam: Int? = nil) -> BeamTrace {
        guard let q = query(ofTrained: user) else {
            return BeamTrace(personalised: false, beam: 0, passes: 0, transitionWeight: transitionWeight, levels: [],
                             items: scorer.ranking.top(k: k, exclude: exclude), itemsScored: 0)
        }
        let width = beam ?? configuration.beam
        return withQuery(q) { q, t in
            _BeamSearch(model: self, query: q, transitions: t, exclude: exclude)
                .run(beam: width == 0 ? trie.widestLevel : width, k: max(0, k), record: true)
        }
    }

    /// The beam search alone at width `beam` (no trace recorded): what `recommend` runs, for timing.
    public func search(user: Int, k: Int, exclude: ExclusionSet, beam: Int) -> BeamTrace {
        guard let q = query(ofTrained: user) else { return trace(user: user, k: k, exclude: exclude) }
        return withQuery(q) { q, t in
            _BeamSearch(model: self, query: q, transitions: t, exclude: exclude).run(beam: max(1, beam), k: max(0, k), record: false)
        }
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard let q = query(ofTrained: user) else { return scorer.ranking.top(k: k, exclude: exclude) }
        return recommend(q, k: k, exclude: exclude)
    }

    func recommend(_ q: _Query, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard k > 0 else { return [] }
        let beam = configuration.beam
        return withQuery(q) { q, t in
            if beam == 0 || beam >= trie.widestLevel {
                var scores = [Float](repeating: 0, count: itemCount)
                for i in 0..<itemCount { scores[i] = fullScore(query: q, item: i, transitions: t) }
                return TopK.select(scores: scores, k: k, exclude: exclude)
            }
            return _BeamSearch(model: self, query: q, transitions: t, exclude: exclude).run(beam: beam, k: k, record: false).items
        }
    }

    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard let q = query(ofTrained: user) else { return scorer.ranking.scores(items: items) }
        return scores(q, items: items)
    }

    func scores(_ q: _Query, items: [Int32]) -> [Float] {
        withQuery(q) { q, t in items.map { fullScore(query: q, item: Int($0), transitions: t) } }
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { scorer.similarItems(to: item, k: k) }
}

extension SemanticIDRetriever: RegisteredModel {
    public static let kind = ModelKind.sid
    public static var needs: TrainingNeeds { [.sequences, .semanticIDs] }

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> SemanticIDRetriever {
        try SemanticIDRetriever(train: matrix, sequences: context.sequences, stored: context.semanticIDs,
                                configuration: configuration, progress: progress)
    }

    public static func semanticIDSpaces(_ configuration: Configuration) -> [String] {
        configuration.space.map { [$0] } ?? []
    }
}
