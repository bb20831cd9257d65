import RecCore

/// Pairwise User unFairness (PUF; Rampisela et al., "Measuring Individual User Fairness with User Similarity
/// and Effectiveness Disparity", ECIR 2026): similar users should get similarly effective recommendations.
///
/// PUF = Σ_{u<v} s(u, v) · |E(u) − E(v)| / Σ_{u<v} s(u, v) over the evaluated users, where s is the Jaccard
/// similarity of the two users' training items (|Hᵤ ∩ Hᵥ| / |Hᵤ ∪ Hᵥ|, the similarity the paper uses) and E a
/// per-user effectiveness in [0, 1] (PUF-NDCG: NDCG@K; PUF-Prec: Precision@K). PUF is in [0, 1]: 0 when every
/// pair of similar users is served equally well, 1 when every similar pair differs by the whole range. Pairs
/// with no common item weigh nothing; NaN when no two evaluated users share an item.
///
/// This is our reading of the paper: its repository holds no code, and the published text available to us
/// (abstract and appendix) names the similarity and the variants but not the normalisation, which we take as
/// the similarity-weighted mean so that the value keeps the range of E. `docs/METRICS.md` says so too.
public enum PairwiseUserUnfairness {
    /// PUF of each effectiveness vector (each aligned with `users`) in one pass over the similar pairs.
    /// - Complexity: O(Σᵢ dᵢ²) for dᵢ the number of evaluated users with item i in training, + O(pairs · vectors).
    public static func compute(train: InteractionMatrix, users: [Int], effectiveness: [[Double]],
                               threads: Int = 1) -> [Double] {
        let m = users.count
        precondition(effectiveness.allSatisfy { $0.count == m }, "one effectiveness value per evaluated user")
        guard m > 1, !effectiveness.isEmpty else { return effectiveness.map { _ in .nan } }
        // Postings of each item over the evaluated users' positions, ascending.
        var postings = [[Int32]](repeating: [], count: train.itemCount)
        for (a, u) in users.enumerated() {
            for item in train.items(ofUser: u) { postings[Int(item)].append(Int32(a)) }
        }
        let sizes = users.map { Double(train.rowLength($0)) }
        let vectors = effectiveness.count
        // Effectiveness transposed (one row of `vectors` values per user), so a pair reads one contiguous row.
        var rows = [Double](repeating: 0, count: m * vectors)
        for v in 0..<vectors { for a in 0..<m { rows[a * vectors + v] = effectiveness[v][a] } }
        // Per user position: the weighted differences towards later positions and the weights, summed in
        // position order afterwards so the result does not depend on the thread count.
        var numerators = [Double](repeating: 0, count: m * vectors)
        var weights = [Double](repeating: 0, count: m)
        rows.withUnsafeBufferPointer { e in
            sizes.withUnsafeBufferPointer { size in
                numerators.withUnsafeMutableBufferPointer { num in
                    weights.withUnsafeMutableBufferPointer { den in
                        let shared = UncheckedSendable((e, size, num, den))
                        Parallel.forEachSlice(count: m, threads: threads) { range in
                            let (e, size, num, den) = shared.value
                            let common = UnsafeMutablePointer<Int32>.allocate(capacity: m)
                            common.initialize(repeating: 0, count: m)
                            let sums = UnsafeMutablePointer<Double>.allocate(capacity: vectors)
                            defer { common.deallocate(); sums.deallocate() }
                            var touched: [Int32] = []
                            for a in range {
                                for item in train.items(ofUser: users[a]) {
                                    postings[Int(item)].withUnsafeBufferPointer { holders in
                                        var p = holders.count - 1
                                        while p >= 0, Int(holders[p]) > a {
                                            let b = Int(holders[p])
                                            if common[b] == 0 { touched.append(holders[p]) }
                                            common[b] &+= 1
                                            p -= 1
                                        }
                                    }
                                }
                                var weight = 0.0
                                for v in 0..<vectors { sums[v] = 0 }
                                let mine = a &* vectors
                                for b in touched {
                                    let c = Double(common[Int(b)])
                                    common[Int(b)] = 0
                                    let s = c / (size[a] + size[Int(b)] - c)
                                    weight += s
                                    let theirs = Int(b) &* vectors
                                    for v in 0..<vectors { sums[v] += s * abs(e[mine &+ v] - e[theirs &+ v]) }
                                }
                                touched.removeAll(keepingCapacity: true)
                                den[a] = weight
                                for v in 0..<vectors { num[mine &+ v] = sums[v] }
                            }
                        }
                    }
                }
            }
        }
        let total = weights.reduce(0, +)
        return (0..<vectors).map { v in
            var sum = 0.0
            for a in 0..<m { sum += numerators[a * vectors + v] }
            return total > 0 ? sum / total : .nan
        }
    }
}
