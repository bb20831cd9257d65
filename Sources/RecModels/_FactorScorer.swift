import RecCore

/// Scoring for matrix-factorisation models: score(u, i) = xᵤ · yᵢ, through the SIMD core's retrieval.
///
/// One user is a `Retrieval.topK` scan of the item factors; a batch of users is one
/// `BatchedRetrieval.topK` pass. Similar items are by cosine of item factors (a scan of the normalised
/// item factors). Users with no training history get the popularity ranking.
struct _FactorScorer: Sendable {
    let userFactors: DenseMatrix
    let itemFactors: DenseMatrix
    /// Item factors scaled to unit length (zero rows stay zero), for `similarItems`.
    let unitItems: DenseMatrix
    /// Training interactions per user; 0 means "not personalised".
    let historyLengths: [Float]
    let ranking: _PopularityRanking

    init(userFactors: DenseMatrix, itemFactors: DenseMatrix, historyLengths: [Float], ranking: _PopularityRanking) {
        precondition(userFactors.cols == itemFactors.cols, "user and item factors differ in width")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.historyLengths = historyLengths
        self.ranking = ranking
        var unit = itemFactors
        let s = unit.stride
        for r in 0..<unit.rows {
            let p = unit.mutableRow(r)
            let norm = Kernels.norm(UnsafePointer(p), count: s)
            if norm > 0 { Kernels.scale(p, by: 1 / norm, count: s) }
        }
        unitItems = unit
    }

    func isKnown(_ user: Int) -> Bool {
        user >= 0 && user < userFactors.rows && historyLengths[user] > 0
    }

    func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard isKnown(user) else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        return withExtendedLifetime(userFactors) {
            Retrieval.topK(query: userFactors.row(user), items: itemFactors.view, k: k, exclude: exclude)
        }
    }

    func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        var out = [[ScoredItem]](repeating: [], count: users.count)
        let known = users.indices.filter { isKnown(users[$0]) }
        for n in users.indices where !isKnown(users[n]) {
            out[n] = ranking.top(k: k, exclude: exclude(users[n]))
        }
        guard !known.isEmpty, k > 0 else { return out }
        var queries = DenseMatrix(rows: known.count, cols: userFactors.cols)
        for (q, n) in known.enumerated() {
            queries.mutableRow(q).update(from: userFactors.row(users[n]), count: userFactors.stride)
        }
        let lists = BatchedRetrieval.topK(queries: queries, items: itemFactors, k: k,
                                          exclude: known.map { exclude(users[$0]) }, threads: 1)
        for (q, n) in known.enumerated() { out[n] = lists[q] }
        return out
    }

    func scores(user: Int, items: [Int32]) -> [Float] {
        guard isKnown(user) else { return ranking.scores(items: items) }
        let s = itemFactors.stride
        return withExtendedLifetime((userFactors, itemFactors)) {
            items.map { Kernels.dot(userFactors.row(user), itemFactors.row(Int($0)), count: s) }
        }
    }

    func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < unitItems.rows, k > 0 else { return [] }
        return withExtendedLifetime(unitItems) {
            Retrieval.topK(query: unitItems.row(item), items: unitItems.view, k: k, exclude: _excluding(item))
        }
    }

    func artifactArrays() -> [String: ArtifactArray] {
        ["user_factors": ArtifactArray(userFactors), "item_factors": ArtifactArray(itemFactors),
         "history.lengths": ArtifactArray(column: historyLengths), "popularity": ranking.artifactArray]
    }

    init(artifact: ModelArtifact) throws {
        let users = try artifact.array("user_factors", rows: artifact.userCount)
        let items = try artifact.array("item_factors", rows: artifact.itemCount, cols: users.cols)
        let lengths = try artifact.array("history.lengths", rows: artifact.userCount, cols: 1)
        self.init(userFactors: users.matrix, itemFactors: items.matrix, historyLengths: lengths.values,
                  ranking: try _PopularityRanking(artifact: artifact))
    }
}
