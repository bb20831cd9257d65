import Foundation
import RecCore

/// The `rank` model: candidates from several retrievers, merged, then ordered by a learned ranker (GRank's
/// generate → rank).
///
/// Retrievers: ALS (the `sid` model's own factors), ItemKNN and the `sid` beam, `candidates` items each,
/// over the items the user has not trained on. The ranker (`PairwiseRanker`) reads `RankFeatures` and is
/// fitted on labels the retrievers never saw: a split's valid rows when the training context has them
/// (`labels = valid`), else each user's last training item, held out from retrievers trained for the
/// purpose and then retrained on everything (`labels = holdout`). score(u, i) = σ(w · f̂(u, i)) ∈ (0, 1)
/// for a candidate, and σ(w · f̂) − 1 ∈ (−1, 0) otherwise, so candidates always come first and items past
/// them (only asked for when k exceeds the candidates) are still ordered by the ranker.
public struct GenerateRank: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        /// Items each retriever proposes.
        public var candidates = 50
        /// `auto` (valid rows when given, else holdout), `valid` or `holdout`.
        public var labels = "auto"
        public var l2: Float = 1
        public var iterations = 20
        /// Seeds the held-out item when the training context has no time order.
        public var seed: UInt64 = 42
        public var sid = SemanticIDRetriever.Configuration()
        public var itemknn = ItemKNN.Configuration()

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            candidates = try p.int("candidates", default: candidates, range: 1...100_000)
            labels = try p.choice("labels", default: labels, among: ["auto", "valid", "holdout"])
            l2 = try p.float("l2", default: l2)
            iterations = try p.int("iterations", default: iterations, range: 0...1000)
            seed = try p.seed()
            var s = p.nested("sid")
            sid = try SemanticIDRetriever.Configuration(&s)
            try s.finish()
            var k = p.nested("itemknn")
            itemknn = try ItemKNN.Configuration(&k)
            try k.finish()
        }

        public var params: [String: String] {
            var out = ["candidates": String(candidates), "labels": labels, "l2": _param(l2), "iterations": String(iterations),
                       "seed": String(seed)]
            for (k, v) in sid.params { out["sid." + k] = v }
            for (k, v) in itemknn.params { out["itemknn." + k] = v }
            return out
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    public let configuration: Configuration
    public let sid: SemanticIDRetriever
    public let itemKNN: ItemKNN
    public let ranker: PairwiseRanker
    let features: RankFeatures
    /// How the ranker did on its own training groups (nil for a loaded model).
    public private(set) var fitReport: FitReport?

    /// What fitting the ranker saw: groups (users whose label was among the candidates) out of labels.
    public struct FitReport: Sendable, Equatable {
        public let labels: Int
        public let groups: Int
        public let pairs: Int
        public let pairwiseAccuracy: Double
        public let source: String
    }

    public init(train: InteractionMatrix, context: TrainingContext = .none, configuration c: Configuration = Configuration(),
                progress: TrainingProgress? = nil) throws {
        userCount = train.userCount
        itemCount = train.itemCount
        configuration = c
        params = c.params
        let source: String
        switch c.labels {
        case "valid":
            guard context.validation != nil else {
                throw ModelError.infeasible("rank labels=valid needs a split's valid rows: train on a split (--split loo), or use labels=holdout")
            }
            source = "valid"
        case "holdout": source = "holdout"
        default: source = context.validation == nil ? "holdout" : "valid"
        }
        let sequences = context.sequences
        let sid = try SemanticIDRetriever(train: train, sequences: sequences, stored: context.semanticIDs, configuration: c.sid,
                                          progress: progress)
        let knn = ItemKNN(train: train, configuration: c.itemknn)
        let features = RankFeatures(train: train, sequences: sequences, categories: context.itemCategories)
        var labelled: (retrievers: (SemanticIDRetriever, ItemKNN, RankFeatures), labels: [[Int32]], history: InteractionMatrix)
        if source == "valid", let v = context.validation {
            labelled = ((sid, knn, features), (0..<train.userCount).map { Array(v.items(ofUser: $0)) }, train)
        } else {
            let (kept, dropped) = Self.holdout(train: train, sequences: sequences, seed: c.seed)
            let m = kept.matrix(itemCount: train.itemCount)
            let ordered = sequences == nil ? nil : kept
            labelled = ((try SemanticIDRetriever(train: m, sequences: ordered, stored: context.semanticIDs, configuration: c.sid),
                         ItemKNN(train: m, configuration: c.itemknn),
                         RankFeatures(train: m, sequences: ordered, categories: context.itemCategories)), dropped, m)
        }
        let (lsid, lknn, lfeatures) = labelled.retrievers
        var groups: [RankingGroup] = []
        var labels = 0
        for u in 0..<train.userCount where !labelled.labels[u].isEmpty && _isKnown(u, history: labelled.history) {
            guard let user = _RankUser(trained: u, sid: lsid, history: labelled.history) else { continue }
            let seen = ExclusionSet(sorted: user.history)
            let positives = labelled.labels[u].filter { !seen.contains($0) }
            labels += positives.count
            let cands = Self.candidates(user: user, sid: lsid, knn: lknn, n: c.candidates, seen: seen)
            let rows = lfeatures.rows(user: user, candidates: cands, sid: lsid, knn: lknn)
            for p in positives {
                guard let row = cands.items.firstIndex(of: p) else { continue }
                groups.append(RankingGroup(dimension: RankFeatures.names.count, features: rows, positive: row))
            }
        }
        let ranker = PairwiseRanker.fit(groups, l2: Double(c.l2), iterations: c.iterations)
        self.sid = sid
        self.itemKNN = knn
        self.features = features
        self.ranker = ranker
        fitReport = FitReport(labels: labels, groups: groups.count, pairs: groups.reduce(0) { $0 + $1.count - 1 },
                              pairwiseAccuracy: ranker.pairwiseAccuracy(groups), source: source)
    }

    /// Each user's last training item held out (by time when sequences are given, else one seeded random item).
    static func holdout(train: InteractionMatrix, sequences: UserSequences?, seed: UInt64) -> (UserSequences, [[Int32]]) {
        if let sequences {
            let (kept, dropped) = sequences.droppingLast(1)
            return (kept, dropped)
        }
        var rng = SeededGenerator(seed: seed)
        var start = [0], items: [Int32] = [], dropped = [[Int32]](repeating: [], count: train.userCount)
        for u in 0..<train.userCount {
            var row = Array(train.items(ofUser: u))
            if row.count > 1 { dropped[u] = [row.remove(at: rng.nextIndex(below: row.count))] }
            items.append(contentsOf: row)
            start.append(items.count)
        }
        return (UserSequences(start: start, items: items, timestamps: [Double](repeating: 0, count: items.count)), dropped)
    }

    /// The merged candidates of `user`: each retriever's top `n` outside `seen`, in source order, no repeats.
    static func candidates(user: _RankUser, sid: SemanticIDRetriever, knn: ItemKNN, n: Int, seen: ExclusionSet) -> RankCandidates {
        var knnScores = [Float](repeating: 0, count: knn.itemCount)
        knnScores.withUnsafeMutableBufferPointer { knn.score(items: user.history, values: user.values, into: $0) }
        let lists = [sid.scorer.recommend(query: user.sid.factor, k: n, exclude: seen),
                     TopK.select(scores: knnScores, k: n, exclude: seen),
                     sid.recommend(user.sid, k: n, exclude: seen)]
        return RankCandidates(lists: lists, knnScores: knnScores)
    }

    init(artifact: ModelArtifact, configuration c: Configuration) throws {
        func sub(_ kind: ModelKind, _ prefix: String) -> ModelArtifact {
            var arrays: [String: ArtifactArray] = [:]
            for (k, v) in artifact.arrays where k.hasPrefix(prefix + ".") { arrays[String(k.dropFirst(prefix.count + 1))] = v }
            var params: [String: String] = [:]
            for (k, v) in artifact.params where k.hasPrefix(prefix + ".") { params[String(k.dropFirst(prefix.count + 1))] = v }
            return ModelArtifact(kind: kind, params: params, userCount: artifact.userCount, itemCount: artifact.itemCount, arrays: arrays)
        }
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        configuration = c
        params = artifact.params
        sid = try SemanticIDRetriever(artifact: sub(.sid, "sid"))
        itemKNN = try ItemKNN(artifact: sub(.itemknn, "itemknn"))
        features = try RankFeatures(artifact: artifact)
        let w = try artifact.array("ranker.weights", rows: 1, cols: RankFeatures.names.count).values
        let mean = try artifact.array("ranker.mean", rows: 1, cols: w.count).values
        let scale = try artifact.array("ranker.scale", rows: 1, cols: w.count).values
        ranker = PairwiseRanker(weights: w, mean: mean, scale: scale)
        fitReport = nil
    }

    public init(artifact: ModelArtifact) throws {
        var p = ModelParameters(artifact.params, model: "rank")
        try self.init(artifact: artifact, configuration: try Configuration(&p))
    }

    public func artifact() -> ModelArtifact {
        var arrays = features.artifactArrays()
        for (k, v) in sid.artifact().arrays { arrays["sid." + k] = v }
        for (k, v) in itemKNN.artifact().arrays { arrays["itemknn." + k] = v }
        arrays["ranker.weights"] = ArtifactArray(rows: 1, cols: ranker.dimension, values: ranker.weights)
        arrays["ranker.mean"] = ArtifactArray(rows: 1, cols: ranker.dimension, values: ranker.mean)
        arrays["ranker.scale"] = ArtifactArray(rows: 1, cols: ranker.dimension, values: ranker.scale)
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }

    /// What the retrievers and features read of `user`: a trained user's stored rows, or a what-if user's
    /// items (the ALS part folded in); nil without history.
    func rankUser(_ user: ExplainedUser) -> _RankUser? {
        if let u = user.index, _isKnown(u, history: itemKNN.history) { return _RankUser(trained: u, sid: sid, history: itemKNN.history) }
        guard let q = sid.query(for: .whatIf(user.items)) else { return nil }
        let items = Array(Set(user.items)).sorted()
        return _RankUser(sid: q, history: items, values: [Float](repeating: 1, count: items.count))
    }

    /// Every stage of one recommendation, with its time: what the explorer shows.
    public func stages(user: Int, k: Int, exclude: ExclusionSet) -> RankStages {
        stages(ExplainedUser(index: user, items: []), k: k, exclude: exclude)
    }

    /// Every stage of one recommendation for a trained or what-if user.
    public func stages(_ user: ExplainedUser, k: Int, exclude: ExclusionSet) -> RankStages {
        guard let user = rankUser(user) else {
            return RankStages(sources: [], merged: 0, items: sid.scorer.ranking.top(k: k, exclude: exclude), seconds: [:], personalised: false)
        }
        var seconds: [String: Double] = [:]
        let seen = ExclusionSet(sorted: user.history)
        let (cands, generate) = Stopwatch.time { Self.candidates(user: user, sid: sid, knn: itemKNN, n: configuration.candidates, seen: seen) }
        seconds["generate"] = generate
        let (scored, rank) = Stopwatch.time { () -> [ScoredItem] in
            let rows = features.rows(user: user, candidates: cands, sid: sid, knn: itemKNN)
            return cands.items.indices.map { r in
                ScoredItem(item: cands.items[r], score: _sigmoid(ranker.score(rows[(r * ranker.dimension)..<((r + 1) * ranker.dimension)])))
            }
        }
        seconds["rank"] = rank
        var top = TopK(k: max(0, k))
        for s in scored where !exclude.contains(s.item) { top.insert(item: s.item, score: s.score) }
        var items = top.sorted()
        if items.count < k {
            let taken = Set(cands.items)
            let rest = (0..<Int32(itemCount)).filter { !taken.contains($0) && !exclude.contains($0) }
            let extra = outsideScores(user: user, items: rest, cands: cands)
            var more = TopK(k: k - items.count)
            for (i, s) in zip(rest, extra) { more.insert(item: i, score: s) }
            items += more.sorted()
        }
        return RankStages(sources: zip(Self.retrieverNames, cands.lists).map { RankStages.Source(name: $0, items: $1) }, merged: cands.items.count,
                          items: items, seconds: seconds, personalised: true)
    }

    /// The retrievers, in the order their candidates are merged.
    static let retrieverNames = ["als", "itemknn", "sid"]

    func outsideScores(user: _RankUser, items: [Int32], cands: RankCandidates) -> [Float] {
        let outside = RankCandidates(items: items, lists: cands.lists, knnScores: cands.knnScores)
        let rows = features.rows(user: user, candidates: outside, sid: sid, knn: itemKNN)
        return items.indices.map { r in _sigmoid(ranker.score(rows[(r * ranker.dimension)..<((r + 1) * ranker.dimension)])) - 1 }
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard k > 0 || !_isKnown(user, history: itemKNN.history) else { return [] }
        return stages(user: user, k: k, exclude: exclude).items
    }

    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard let user = rankUser(ExplainedUser(index: user, items: [])) else { return sid.scorer.ranking.scores(items: items) }
        return featureRows(user: user, items: items).map { r in
            r.candidate ? _sigmoid(ranker.score(r.features[...])) : _sigmoid(ranker.score(r.features[...])) - 1
        }
    }

    /// The feature row of each of `items` for `user`, and whether a retriever proposed it.
    func featureRows(user: _RankUser, items: [Int32]) -> [(features: [Float], candidate: Bool)] {
        let cands = Self.candidates(user: user, sid: sid, knn: itemKNN, n: configuration.candidates, seen: ExclusionSet(sorted: user.history))
        let position = Dictionary(uniqueKeysWithValues: cands.items.enumerated().map { ($1, $0) })
        let outside = items.filter { position[$0] == nil }
        let d = ranker.dimension
        let rows = features.rows(user: user, candidates: cands, sid: sid, knn: itemKNN)
        let outsideRows = features.rows(user: user, candidates: RankCandidates(items: outside, lists: cands.lists, knnScores: cands.knnScores),
                                        sid: sid, knn: itemKNN)
        let outsidePosition = Dictionary(outside.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return items.map { i in
            if let r = position[i] { return (Array(rows[(r * d)..<((r + 1) * d)]), true) }
            let r = outsidePosition[i]!
            return (Array(outsideRows[(r * d)..<((r + 1) * d)]), false)
        }
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { sid.similarItems(to: item, k: k) }
}

/// What rank's retrievers and features read of one user: sid's query (ALS factor and recent items) and the
/// user's training row (ItemKNN's input, ascending).
struct _RankUser {
    let sid: SemanticIDRetriever._Query
    let history: [Int32]
    let values: [Float]

    init(sid: SemanticIDRetriever._Query, history: [Int32], values: [Float]) {
        self.sid = sid
        self.history = history
        self.values = values
    }

    /// A trained user as `sid` and the training matrix `history` know them; nil when `sid` has no factor for them.
    init?(trained u: Int, sid: SemanticIDRetriever, history: InteractionMatrix) {
        guard let q = sid.query(ofTrained: u) else { return nil }
        self.init(sid: q, history: Array(history.items(ofUser: u)), values: Array(history.values(ofUser: u)))
    }
}

/// The retrievers' lists for one user and their merged, duplicate-free items (ALS, ItemKNN, sid order).
struct RankCandidates {
    let items: [Int32]
    let lists: [[ScoredItem]]
    let knnScores: [Float]

    init(lists: [[ScoredItem]], knnScores: [Float]) {
        var seen = Set<Int32>(), items: [Int32] = []
        for list in lists { for s in list where seen.insert(s.item).inserted { items.append(s.item) } }
        self.init(items: items, lists: lists, knnScores: knnScores)
    }

    init(items: [Int32], lists: [[ScoredItem]], knnScores: [Float]) {
        self.items = items
        self.lists = lists
        self.knnScores = knnScores
    }
}

/// What `GenerateRank` did for one user: each source's candidates, the merged count, the final order, times.
public struct RankStages: Sendable, Hashable {
    public struct Source: Sendable, Hashable {
        public let name: String
        public let items: [ScoredItem]
    }
    public let sources: [Source]
    /// Distinct candidates after merging.
    public let merged: Int
    /// The final list, by ranker score.
    public let items: [ScoredItem]
    /// Seconds per stage: `generate` (all retrievers) and `rank` (features and ranker).
    public let seconds: [String: Double]
    public let personalised: Bool

    public init(sources: [Source], merged: Int, items: [ScoredItem], seconds: [String: Double], personalised: Bool) {
        self.sources = sources
        self.merged = merged
        self.items = items
        self.seconds = seconds
        self.personalised = personalised
    }
}

@inline(__always) func _sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

extension GenerateRank: RegisteredModel {
    public static let kind = ModelKind.rank
    public static var needs: TrainingNeeds { [.sequences, .validation, .itemCategories, .semanticIDs] }

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> GenerateRank {
        try GenerateRank(train: matrix, context: context, configuration: configuration, progress: progress)
    }

    public static func semanticIDSpaces(_ configuration: Configuration) -> [String] {
        configuration.sid.space.map { [$0] } ?? []
    }
}
