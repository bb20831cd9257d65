import Dispatch
import RecCore

/// Which items compete in each user's ranking.
public enum CandidateMode: Sendable, Equatable, Codable {
    /// Full ranking: every item the user has not seen (the default, and the only unbiased choice).
    case fullRanking
    /// SAMPLED evaluation, labelled as such in every report: the user's held-out items plus `count`
    /// negatives drawn uniformly without replacement from items outside the user's seen and held-out
    /// items, with `SeededGenerator(seed:).derived(user)`. Sampled metrics are not comparable with full
    /// ranking ones and can even rank models differently (Krichene & Rendle, KDD 2020).
    case sampledNegatives(count: Int, seed: UInt64)

    /// `full` or `sampled-N`, for report headers.
    public var label: String {
        switch self {
        case .fullRanking: "full"
        case .sampledNegatives(let count, _): "sampled-\(count)"
        }
    }
}

/// One ranked list per evaluated user, made once per model; every metric reads these lists.
public struct RankedLists: Sendable {
    /// The evaluated users, ascending.
    public let users: [Int]
    /// `lists[n]` is the ranking of `users[n]`: best first, ties by lower item index, at most `depth` long
    /// (in sampled mode, the best `depth` of the user's candidates).
    public let lists: [[ScoredItem]]
    /// The largest cutoff: the length each list was cut to.
    public let depth: Int
    public let candidates: CandidateMode

    public init(users: [Int], lists: [[ScoredItem]], depth: Int, candidates: CandidateMode) {
        precondition(users.count == lists.count, "one list per user")
        self.users = users
        self.lists = lists
        self.depth = depth
        self.candidates = candidates
    }
}

extension Evaluator {
    /// Ranks every user with a held-out item once, in parallel over `threads` workers.
    ///
    /// Users are cut into batches of `batchSize` (so models with batched kernels are fed batches);
    /// worker t takes batches t, t + threads, …, and each list lands in its user's slot, so the result is
    /// the same for any thread count. Each list is re-sorted by `ScoredItem.ranksBefore`, which is a
    /// no-op for a model that honours the protocol and pins the tie rule for one that does not.
    /// - Complexity: one `recommend` per user; O(items) extra per user in sampled mode.
    public func rank(_ model: any Recommender, heldOut: HeldOut) -> RankedLists {
        let users = heldOut.evaluatedUsers
        let depth = cutoffs.max() ?? 10
        let slots = _Slots(count: users.count, depth: depth)
        let batches = (users.count + batchSize - 1) / batchSize
        let workers = max(1, min(threads, batches))
        let candidates = self.candidates
        let batchSize = self.batchSize
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var b = worker
            while b < batches {
                let range = (b * batchSize)..<min(users.count, (b + 1) * batchSize)
                let batch = Array(users[range])
                switch candidates {
                case .fullRanking:
                    let lists = model.recommend(users: batch, k: depth) {
                        ExclusionSet(sorted: heldOut.seen.items(ofUser: $0))
                    }
                    for (offset, list) in lists.enumerated() { slots.store(list, at: range.lowerBound + offset) }
                case .sampledNegatives(let count, let seed):
                    for (offset, user) in batch.enumerated() {
                        let pool = _sampledCandidates(user: user, heldOut: heldOut, negatives: count, seed: seed)
                        let list = model.recommend(user: user, k: pool.count,
                                                   exclude: _complement(of: pool, itemCount: heldOut.truth.itemCount))
                        slots.store(list, at: range.lowerBound + offset)
                    }
                }
                b += workers
            }
        }
        return RankedLists(users: users, lists: slots.take(), depth: depth, candidates: candidates)
    }
}

/// The held-out items of `user` plus up to `negatives` seeded negatives, sorted.
func _sampledCandidates(user: Int, heldOut: HeldOut, negatives: Int, seed: UInt64) -> [Int32] {
    let itemCount = heldOut.truth.itemCount
    var history = Set(heldOut.seen.items(ofUser: user))
    history.formUnion(heldOut.truth.items(ofUser: user))
    let available = itemCount - history.count
    var rng = SeededGenerator(seed: seed).derived(UInt64(user))
    var chosen = Set<Int32>()
    if negatives * 2 >= available {
        // Dense case: a partial Fisher-Yates over the available items.
        var pool = (0..<Int32(itemCount)).filter { !history.contains($0) }
        let take = min(negatives, pool.count)
        for p in 0..<take {
            pool.swapAt(p, p + rng.nextIndex(below: pool.count - p))
            chosen.insert(pool[p])
        }
    } else {
        // Sparse case: rejection sampling, expected fewer than two draws per negative.
        while chosen.count < negatives {
            let i = Int32(rng.nextIndex(below: itemCount))
            if !history.contains(i) { chosen.insert(i) }
        }
    }
    chosen.formUnion(heldOut.truth.items(ofUser: user))
    return chosen.sorted()
}

/// Every item index below `itemCount` that is not in the sorted list `kept`.
func _complement(of kept: [Int32], itemCount: Int) -> ExclusionSet {
    var out: [Int32] = []
    out.reserveCapacity(itemCount - kept.count)
    var p = 0
    for i in 0..<Int32(itemCount) {
        if p < kept.count && kept[p] == i { p += 1 } else { out.append(i) }
    }
    return ExclusionSet(sorted: out)
}

/// Per-user result slots written by parallel workers, each slot by exactly one worker.
final class _Slots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<[ScoredItem]>
    private let count: Int
    private let depth: Int

    init(count: Int, depth: Int) {
        self.count = count
        self.depth = depth
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: [], count: count)
    }

    func store(_ list: [ScoredItem], at index: Int) {
        base[index] = Array(list.sorted(by: ScoredItem.ranksBefore).prefix(depth))
    }

    func take() -> [[ScoredItem]] { Array(UnsafeBufferPointer(start: base, count: count)) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
