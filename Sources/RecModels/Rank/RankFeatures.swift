import Foundation
import RecCore

/// The ranker's features of (user, candidate): each retriever's score and reciprocal rank, item popularity
/// and recency, semantic-ID prefix overlap with the user's recent items, and category affinity.
///
/// Reciprocal rank is 1 / (1 + position) in that retriever's list, 0 when the item is missing from it.
/// Popularity is log(1 + training users); recency log(1 + days from the item's last training interaction
/// to the latest one). Prefix overlap is the longest shared prefix with any of the last three training
/// items, over the code levels. Category affinity is the mean, over the item's categories, of the share
/// of the user's training items in that category (0 without categories). `knn_recent` is Σ over the last
/// five training items a (weights 0.6ʲ, newest first) of ItemKNN's sim(a, i); `item_transition` the
/// `CodeTransitions` path term with the recent items themselves as context (the `sid` term uses codes).
struct RankFeatures: Sendable {
    static let names = ["als_score", "als_rr", "knn_score", "knn_rr", "sid_score", "sid_rr", "popularity", "recency",
                        "prefix_overlap", "category_affinity", "sources", "knn_recent", "item_transition"]
    /// Recent items compared for prefix overlap.
    static let recentItems = 3

    let popularity: [Float]
    let recency: [Float]
    let categories: ItemCategories?

    init(train: InteractionMatrix, sequences: UserSequences?, categories: ItemCategories?) {
        popularity = train.itemCounts().map { logf(1 + Float($0)) }
        var last = [Double](repeating: -.infinity, count: train.itemCount)
        var latest = -Double.infinity
        if let sequences {
            for (n, item) in sequences.items.enumerated() where Int(item) < train.itemCount {
                last[Int(item)] = max(last[Int(item)], sequences.timestamps[n])
                latest = max(latest, sequences.timestamps[n])
            }
        }
        if latest.isFinite {
            let days = last.map { $0.isFinite ? (latest - $0) / 86_400 : -1 }
            let oldest = days.max() ?? 0
            recency = days.map { logf(1 + Float($0 < 0 ? oldest : $0)) }
        } else {
            recency = [Float](repeating: 0, count: train.itemCount)
        }
        self.categories = categories.flatMap { $0.itemCount == train.itemCount ? $0 : nil }
    }

    /// Feature rows (row-major, one per candidate in `candidates.items` order).
    func rows(user: _RankUser, candidates: RankCandidates, sid: SemanticIDRetriever, knn: ItemKNN) -> [Float] {
        let history = user.history
        let d = Self.names.count
        let items = candidates.items
        var out = [Float](repeating: 0, count: items.count * d)
        let positions = candidates.lists.map { list in
            Dictionary(list.enumerated().map { ($1.item, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let sidScores = sid.scores(user.sid, items: items)
        let recent = Array(user.sid.recent.suffix(Self.recentItems))
        let levels = sid.semanticIDs.levels
        var share = [Float](repeating: 0, count: categories?.categoryCount ?? 0)
        if let categories, !history.isEmpty {
            for i in history { for c in categories.categories(of: Int(i)) { share[Int(c)] += 1 } }
            for c in share.indices { share[c] /= Float(history.count) }
        }
        var recentSimilarity: [Int32: Float] = [:]
        var weight: Float = 1
        for a in user.sid.recent.suffix(5).reversed() {
            for n in knn.neighbors.rowStart[Int(a)]..<knn.neighbors.rowStart[Int(a) + 1] {
                recentSimilarity[knn.neighbors.columns[n], default: 0] += weight * knn.neighbors.values[n]
            }
            weight *= 0.6
        }
        let itemTransitions = sid.itemTransitions.query(recent: user.sid.recent[...])
        let f = sid.scorer
        withExtendedLifetime(f.itemFactors) { user.sid.factor.withUnsafeBufferPointer { qb in
            let q = qb.baseAddress!
            for (r, item) in items.enumerated() {
                let i = Int(item)
                let base = r * d
                out[base] = Kernels.dot(q, f.itemFactors.row(i), count: f.itemFactors.stride)
                out[base + 2] = candidates.knnScores[i]
                out[base + 4] = sidScores[r]
                var sources: Float = 0
                for (s, slot) in [(0, 1), (1, 3), (2, 5)] {
                    if let p = positions[s][item] { out[base + slot] = 1 / (1 + Float(p)); sources += 1 }
                }
                out[base + 6] = popularity[i]
                out[base + 7] = recency[i]
                var overlap = 0
                let path = sid.semanticIDs.path(of: i)
                for a in recent {
                    let other = sid.semanticIDs.path(of: Int(a))
                    var l = 0
                    while l < levels && path[path.startIndex + l] == other[other.startIndex + l] { l += 1 }
                    overlap = max(overlap, l)
                }
                out[base + 8] = Float(overlap) / Float(levels)
                if let categories {
                    let cs = categories.categories(of: i)
                    if !cs.isEmpty { out[base + 9] = cs.reduce(0) { $0 + share[Int($1)] } / Float(cs.count) }
                }
                out[base + 10] = sources
                out[base + 11] = recentSimilarity[item] ?? 0
                out[base + 12] = itemTransitions.pathTerm(item: i)
            }
        } }
        return out
    }

    func artifactArrays() -> [String: ArtifactArray] {
        var arrays = ["features.popularity": ArtifactArray(column: popularity), "features.recency": ArtifactArray(column: recency)]
        if let categories {
            arrays["categories.lengths"] = ArtifactArray(column: (0..<categories.itemCount).map { Float(categories.start[$0 + 1] - categories.start[$0]) })
            arrays["categories.items"] = ArtifactArray(column: categories.categories.map { Float($0) })
            arrays["categories.count"] = ArtifactArray(column: [Float(categories.categoryCount)])
        }
        return arrays
    }

    init(artifact: ModelArtifact) throws {
        popularity = try artifact.array("features.popularity", rows: artifact.itemCount, cols: 1).values
        recency = try artifact.array("features.recency", rows: artifact.itemCount, cols: 1).values
        if artifact.arrays["categories.count"] != nil {
            let count = Int(try artifact.array("categories.count", rows: 1, cols: 1).values[0])
            let lengths = try artifact.array("categories.lengths", rows: artifact.itemCount, cols: 1).values
            let cats = try artifact.array("categories.items", cols: 1).values.map { Int32($0) }
            var start = [0]
            for l in lengths { start.append(start.last! + Int(l)) }
            guard start.last == cats.count, cats.allSatisfy({ $0 >= 0 && Int($0) < count }) else {
                throw ModelError.corruptArtifact("rank categories do not add up to their lengths or exceed \(count) categories")
            }
            categories = ItemCategories(start: start, categories: cats, categoryCount: count)
        } else {
            categories = nil
        }
    }
}
