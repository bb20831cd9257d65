import RecCore

/// Training popularity (users per item) and its ranking: every model's answer for a user it cannot
/// personalise (unknown index, or no training history).
struct _PopularityRanking: Sendable {
    let counts: [Float]
    /// Items by count descending, index ascending.
    let order: [Int32]
    /// Each item's place in `order`, from 0.
    let places: [Int32]

    init(counts: [Float]) {
        self.counts = counts
        order = (0..<Int32(counts.count)).sorted {
            counts[Int($0)] != counts[Int($1)] ? counts[Int($0)] > counts[Int($1)] : $0 < $1
        }
        var places = [Int32](repeating: 0, count: counts.count)
        for (n, i) in order.enumerated() { places[Int(i)] = Int32(n) }
        self.places = places
    }

    /// The item's rank in the popularity order, from 1.
    func rank(of item: Int32) -> Int { Int(places[Int(item)]) + 1 }

    init(train: InteractionMatrix) {
        self.init(counts: train.itemCounts().map { Float($0) })
    }

    /// The `k` most popular items outside `exclude`, through `TopK` (so the tie rule is the shared one).
    /// - Complexity: O(k + |exclude| log |exclude| + k log k): walks the precomputed order.
    func top(k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard k > 0 else { return [] }
        var top = TopK(k: k)
        var kept = 0
        for i in order where !exclude.contains(i) {
            top.insert(item: i, score: counts[Int(i)])
            kept += 1
            if kept == k { break }
        }
        return top.sorted()
    }

    func scores(items: [Int32]) -> [Float] { items.map { counts[Int($0)] } }

    var artifactArray: ArtifactArray { ArtifactArray(column: counts) }

    init(artifact: ModelArtifact) throws {
        self.init(counts: try artifact.array("popularity", rows: artifact.itemCount, cols: 1).values)
    }
}

/// Ranks a dense score vector (index = item) with the SIMD core's `TopK`.
@inline(__always)
func _topK(_ scores: UnsafeBufferPointer<Float>, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
    guard k > 0 else { return [] }
    return TopK.select(scores: scores, k: k, exclude: exclude)
}

/// The same `exclude` set plus one item (for similar-item queries, which never return the query item).
func _excluding(_ item: Int) -> ExclusionSet { ExclusionSet(sorted: [Int32(item)]) }

/// Whether `user` can be personalised: a known index with at least one training interaction.
@inline(__always)
func _isKnown(_ user: Int, history: InteractionMatrix) -> Bool {
    user >= 0 && user < history.userCount && history.rowLength(user) > 0
}
