import RecCore

/// Item embeddings for semantic IDs: from content, from collaborative filtering, or both.
public enum ItemEmbeddings {
    /// The embedding spaces RecScope builds itself (imported ones have user-chosen names).
    public enum Space: String, CaseIterable, Sendable {
        case content, als, aligned
    }

    /// Content embeddings: the `ContentFeatures` TF-IDF matrix reduced to `dimension` by randomized SVD.
    ///
    /// Row i is U·Σ restricted to the top `dimension` singular directions (the TF-IDF row projected on
    /// them), then L2-normalised so k-means groups items by cosine. When the catalogue supports fewer
    /// directions than asked (tiny catalogues), the remaining columns are zero. Items with no content
    /// get a zero row.
    /// - Complexity: O(q · nnz · d) for the SVD (q = 2·4 + 2 passes over the TF-IDF matrix).
    public static func content(_ items: [ItemContent], dimension: Int, seed: UInt64,
                               features: ContentFeatures = ContentFeatures(), threads: Int = 1) -> DenseMatrix {
        precondition(dimension > 0, "the embedding dimension must be positive")
        let tfidf = features.matrix(items)
        var out = DenseMatrix(rows: items.count, cols: dimension)
        let rank = min(dimension, tfidf.rows, tfidf.cols)
        guard rank > 0 else { return out }
        let svd = RandomizedSVD.decompose(tfidf, rank: rank, seed: seed, threads: threads).scaledU
        for i in 0..<items.count {
            out.mutableRow(i).update(from: svd.row(i), count: rank)
        }
        return out.normalizedRows()
    }

    /// Collaborative embeddings: the item factors of ALS trained on `train` (raw, not normalised: their
    /// length carries popularity, which retrieval from these codes wants).
    public static func collaborative(train: InteractionMatrix, dimension: Int, seed: UInt64,
                                     threads: Int = 1) throws -> DenseMatrix {
        var configuration = ALS.Configuration()
        configuration.factors = dimension
        configuration.seed = seed
        configuration.threads = threads
        return try ALS(train: train, configuration: configuration).itemFactors
    }

    /// Aligned embeddings: content ĉ and collaborative â, each row L2-normalised, concatenated as
    /// e = [√(1 − w)·ĉ, √w·â], so ⟨eᵢ, eⱼ⟩ = (1 − w)·cos(cᵢ, cⱼ) + w·cos(aᵢ, aⱼ): a blend of content and
    /// co-consumption similarity with weight w on the latter (w = 0 is content, w = 1 is normalised ALS).
    /// The concatenation is then reduced back to `dimension` columns by randomized SVD (its top principal
    /// directions, uncentred), so every space has the same size. Both inputs must cover the same items.
    /// Normalising the ALS rows drops their length, and with it popularity: better codes for browsing,
    /// usually worse for retrieval than raw ALS factors.
    public static func aligned(content: DenseMatrix, collaborative: DenseMatrix, weight w: Float,
                               dimension: Int, seed: UInt64, threads: Int = 1) -> DenseMatrix {
        precondition(content.rows == collaborative.rows,
                     "aligned embeddings need the same items: content has \(content.rows), collaborative \(collaborative.rows)")
        precondition(w >= 0 && w <= 1, "the alignment weight must be in [0, 1], got \(w)")
        let c = content.normalizedRows(), a = collaborative.normalizedRows()
        let wc = (1 - w).squareRoot(), wa = w.squareRoot()
        var joined = DenseMatrix(rows: c.rows, cols: c.cols + a.cols)
        for i in 0..<c.rows {
            let row = joined.mutableRow(i)
            let ci = c.row(i), ai = a.row(i)
            for j in 0..<c.cols { row[j] = wc * ci[j] }
            for j in 0..<a.cols { row[c.cols + j] = wa * ai[j] }
        }
        let rank = min(dimension, joined.rows, joined.cols)
        if rank == joined.cols && rank == dimension { return joined }
        let reduced = RandomizedSVD.decompose(joined, rank: rank, seed: seed, threads: threads).scaledU
        var out = DenseMatrix(rows: c.rows, cols: dimension)
        for i in 0..<c.rows { out.mutableRow(i).update(from: reduced.row(i), count: rank) }
        return out
    }
}
