import RecCore

extension TransformerNetwork {
    /// The scored items' embeddings (the `[mask]` row left out).
    var itemEmbeddings: DenseMatrix {
        let e = weights.t[TransformerWeights.embedding]
        guard e.rows != shape.items else { return e }
        var out = DenseMatrix(rows: shape.items, cols: shape.dim)
        out.mutableBaseAddress().update(from: e.baseAddress, count: shape.items * e.stride)
        return out
    }

    /// Each window's hidden state at its last position (no dropout): the query its items are scored by.
    func representations(_ windows: [[Int32]], threads: Int) -> DenseMatrix {
        var out = DenseMatrix(rows: windows.count, cols: shape.dim)
        let chunk = 64
        var start = 0
        while start < windows.count {
            var batch = SequenceBatch()
            for w in windows[start..<min(windows.count, start + chunk)] {
                batch.append(tokens: w, targets: [Int32](repeating: -1, count: w.count), maxLen: shape.maxLen)
            }
            let hidden = lastHidden(batch, threads: threads)
            out.mutableBaseAddress().advanced(by: start * out.stride)
                .update(from: hidden.baseAddress, count: hidden.rows * hidden.stride)
            start += batch.sequences
        }
        return out
    }
}

/// Why a transformer ranked items as it did for one user: the last block's attention from the scoring
/// position over the user's recent items, per head.
public struct AttentionTrace: Sendable, Hashable {
    /// The window read, oldest first (BERT4Rec's last entry is `[mask]`, shown as −1).
    public let items: [Int32]
    /// `heads[h][t]`: head h's weight on position t (each head's weights sum to 1).
    public let heads: [[Float]]

    /// The weights averaged over heads.
    public var mean: [Float] {
        guard let first = heads.first else { return [] }
        return first.indices.map { t in heads.reduce(0) { $0 + $1[t] } / Float(heads.count) }
    }
}

/// Models that can show which of a user's recent items their scores attend to (`sasrec`, `bert4rec`).
public protocol AttentionExplaining: TrainedModel {
    /// The last block's attention from the scoring position over the user's window; nil without history.
    func attention(user: Int) -> AttentionTrace?
    /// The cosine of two items' embeddings (the ones the output layer scores with).
    func itemSimilarity(_ a: Int, _ b: Int) -> Float
}

/// What SASRec and BERT4Rec share once trained: the network, each user's window of recent training items,
/// and popularity for users without history. A user's scores are one forward pass over their window and
/// one scan of the item embeddings with the fused top-k.
struct SequenceRecommenderCore: Sendable {
    let network: TransformerNetwork
    /// Each user's last `maxLen` training items.
    let recent: RecentItems
    let ranking: _PopularityRanking
    let itemEmbeddings: DenseMatrix
    let unitItems: DenseMatrix

    var masked: Bool { !network.causal }
    var userCount: Int { recent.userCount }
    var itemCount: Int { network.shape.items }

    init(network: TransformerNetwork, recent: RecentItems, ranking: _PopularityRanking) {
        self.network = network
        self.recent = recent
        self.ranking = ranking
        itemEmbeddings = network.itemEmbeddings
        var unit = itemEmbeddings
        for r in 0..<unit.rows {
            let p = unit.mutableRow(r)
            let norm = Kernels.norm(UnsafePointer(p), count: unit.stride)
            if norm > 0 { Kernels.scale(p, by: 1 / norm, count: unit.stride) }
        }
        unitItems = unit
    }

    /// The window a user's scores are read from: the last `maxLen` items (SASRec), or the last `maxLen − 1`
    /// and `[mask]` (BERT4Rec).
    static func servingWindow(_ history: [Int32], maxLen: Int, masked: Bool, items: Int) -> [Int32] {
        masked ? Array(history.suffix(maxLen - 1)) + [Int32(items)] : Array(history.suffix(maxLen))
    }

    func window(_ user: Int) -> [Int32]? {
        guard let items = recent.of(user) else { return nil }
        return Self.servingWindow(Array(items), maxLen: network.shape.maxLen, masked: masked, items: itemCount)
    }

    /// A trained user's stored window, or the window of a what-if user's items; nil without history.
    func window(_ user: ExplainedUser) -> [Int32]? {
        if let u = user.index, let w = window(u) { return w }
        guard !user.items.isEmpty else { return nil }
        return Self.servingWindow(user.items, maxLen: network.shape.maxLen, masked: masked, items: itemCount)
    }

    func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        recommend(window: window(user), k: k, exclude: exclude)
    }

    func recommend(window w: [Int32]?, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard let w else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        let query = network.representations([w], threads: 1)
        return withExtendedLifetime((query, itemEmbeddings)) {
            Retrieval.topK(query: query.row(0), items: itemEmbeddings.view, k: k, exclude: exclude)
        }
    }

    func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        var out = [[ScoredItem]](repeating: [], count: users.count)
        var known: [Int] = [], windows: [[Int32]] = []
        for (n, u) in users.enumerated() {
            if let w = window(u) { known.append(n); windows.append(w) } else { out[n] = ranking.top(k: k, exclude: exclude(u)) }
        }
        guard !known.isEmpty, k > 0 else { return out }
        let queries = network.representations(windows, threads: 1)
        let lists = BatchedRetrieval.topK(queries: queries, items: itemEmbeddings, k: k,
                                          exclude: known.map { exclude(users[$0]) }, threads: 1)
        for (q, n) in known.enumerated() { out[n] = lists[q] }
        return out
    }

    func scores(user: Int, items: [Int32]) -> [Float] { scores(window: window(user), items: items) }

    func scores(window w: [Int32]?, items: [Int32]) -> [Float] {
        guard let w else { return ranking.scores(items: items) }
        let query = network.representations([w], threads: 1)
        return withExtendedLifetime((query, itemEmbeddings)) {
            items.map { Kernels.dot(query.row(0), itemEmbeddings.row(Int($0)), count: itemEmbeddings.stride) }
        }
    }

    func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < unitItems.rows, k > 0 else { return [] }
        return withExtendedLifetime(unitItems) {
            Retrieval.topK(query: unitItems.row(item), items: unitItems.view, k: k, exclude: _excluding(item))
        }
    }

    func itemSimilarity(_ a: Int, _ b: Int) -> Float {
        guard a >= 0, b >= 0, a < unitItems.rows, b < unitItems.rows else { return 0 }
        return withExtendedLifetime(unitItems) { Kernels.dot(unitItems.row(a), unitItems.row(b), count: unitItems.stride) }
    }

    /// The last block's attention from the scoring position over the user's window; nil without history.
    func attention(user: Int) -> AttentionTrace? { attention(window: window(user)) }

    func attention(window w: [Int32]?) -> AttentionTrace? {
        guard let w, network.shape.layers > 0 else { return nil }
        var batch = SequenceBatch()
        batch.append(tokens: w, targets: [Int32](repeating: -1, count: w.count), maxLen: network.shape.maxLen)
        let cache = network.forward(batch, dropout: 0, seed: 0, threads: 1)
        let n = w.count, probs = cache.blocks.last!.probs
        let heads = (0..<network.shape.heads).map { h in Array(probs[(h * n + n - 1) * n ..< (h * n + n) * n]) }
        return AttentionTrace(items: w.map { $0 == Int32(itemCount) ? -1 : $0 }, heads: heads)
    }

    // MARK: artifacts

    func artifactArrays() -> [String: ArtifactArray] {
        var out = recent.artifactArrays.merging(network.weights.artifactArrays(network.shape)) { a, _ in a }
        out["popularity"] = ranking.artifactArray
        return out
    }

    init(artifact: ModelArtifact, hyper: TransformerHyperparameters, masked: Bool) throws {
        let shape = hyper.shape(items: artifact.itemCount, masked: masked)
        let network = TransformerNetwork(shape: shape, causal: !masked, weights: try TransformerWeights(artifact: artifact, shape: shape))
        self.init(network: network, recent: try RecentItems(artifact: artifact), ranking: try _PopularityRanking(artifact: artifact))
    }
}
