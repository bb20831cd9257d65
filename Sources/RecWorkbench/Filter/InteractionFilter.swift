import RecCore

/// What `recscope filter` keeps: a time window, a sample of users, and minimum interaction counts.
///
/// Steps run in this order: the window, the user sample, then the count filters. Counts are interactions
/// (rows, repeats of a user–item pair included), as RecBole counts them. `minUser`/`minItem` iterate, as RecBole's
/// `user_inter_num_interval`/`item_inter_num_interval` do: each round removes, at once, every user with fewer
/// than `minUser` and every item with fewer than `minItem` of the remaining interactions, until a round removes
/// nothing; a k-core of N is both at N, so every kept user and item ends with at least N interactions.
public struct FilterSettings: Sendable, Equatable {
    /// Keep interactions at or after this time (seconds since 1970, UTC).
    public var since: Double?
    /// Keep interactions before this time.
    public var until: Double?
    /// Keep this fraction (0 < f ≤ 1) of the users that have interactions, drawn with `seed`.
    public var sampleUsers: Double?
    public var seed: UInt64 = 1
    public var minUser = 0
    public var minItem = 0
    /// Set when given as `--k-core N` (for the report's step names).
    public var kCore: Int?

    public init(since: Double? = nil, until: Double? = nil, sampleUsers: Double? = nil, seed: UInt64 = 1,
                minUser: Int = 0, minItem: Int = 0, kCore: Int? = nil) {
        self.since = since
        self.until = until
        self.sampleUsers = sampleUsers
        self.seed = seed
        self.kCore = kCore
        self.minUser = max(minUser, kCore ?? 0)
        self.minItem = max(minItem, kCore ?? 0)
    }
}

/// One step of a filter and what it removed.
public struct FilterStep: Sendable, Equatable {
    public var name: String
    /// Users and items left with no interaction by this step, and the interactions it removed.
    public var users: Int
    public var items: Int
    public var interactions: Int
}

/// Which interactions a filter keeps, and what each step removed.
public struct FilterPlan: Sendable {
    /// Per row of the input, whether it is kept.
    public var keep: [Bool]
    public var steps: [FilterStep]
    /// Users and items with at least one kept interaction (by dense index).
    public var keptUsers: [Bool]
    public var keptItems: [Bool]

    public var interactions: Int { keep.count { $0 } }
    public var users: Int { keptUsers.count { $0 } }
    public var items: Int { keptItems.count { $0 } }
}

/// The filters behind `recscope filter`, on columns of interactions (no catalog): pure and deterministic.
public enum InteractionFilter {
    /// - Complexity: O(rows × rounds) for the count filters; a round is one pass over the kept rows.
    public static func plan(users: [Int32], items: [Int32], timestamps: [Double], userCount: Int, itemCount: Int,
                            settings: FilterSettings) -> FilterPlan {
        let n = users.count
        var keep = [Bool](repeating: true, count: n)
        var userRows = [Int](repeating: 0, count: userCount), itemRows = [Int](repeating: 0, count: itemCount)
        for r in 0..<n { userRows[Int(users[r])] += 1; itemRows[Int(items[r])] += 1 }
        var steps: [FilterStep] = []
        var aliveUsers = userRows.count { $0 > 0 }, aliveItems = itemRows.count { $0 > 0 }
        let noneUsers = userCount - aliveUsers, noneItems = itemCount - aliveItems
        if noneUsers > 0 || noneItems > 0 {
            steps.append(FilterStep(name: "users and items without interactions", users: noneUsers, items: noneItems, interactions: 0))
        }

        /// Removes the rows `drop` says, keeping the counts, and records a step.
        func remove(_ name: String, _ drop: (Int) -> Bool) -> Int {
            var removed = 0
            for r in 0..<n where keep[r] && drop(r) {
                keep[r] = false
                removed += 1
                userRows[Int(users[r])] -= 1
                itemRows[Int(items[r])] -= 1
            }
            let u = userRows.count { $0 > 0 }, i = itemRows.count { $0 > 0 }
            steps.append(FilterStep(name: name, users: aliveUsers - u, items: aliveItems - i, interactions: removed))
            aliveUsers = u
            aliveItems = i
            return removed
        }

        if settings.since != nil || settings.until != nil {
            let since = settings.since ?? -.infinity, until = settings.until ?? .infinity
            _ = remove("time window") { timestamps[$0] < since || timestamps[$0] >= until }
        }
        if let fraction = settings.sampleUsers {
            // A seeded shuffle of the users that have interactions, in index order; the first ⌈f·n⌉ stay.
            var candidates = (0..<userCount).filter { userRows[$0] > 0 }
            var rng = SeededGenerator(seed: settings.seed)
            for i in stride(from: candidates.count - 1, to: 0, by: -1) {
                candidates.swapAt(i, rng.nextIndex(below: i + 1))
            }
            let kept = Int((fraction * Double(candidates.count)).rounded(.up))
            var sampled = [Bool](repeating: false, count: userCount)
            for u in candidates.prefix(kept) { sampled[u] = true }
            _ = remove("sample \(fraction) of users (seed \(settings.seed))") { !sampled[Int(users[$0])] }
        }
        if settings.minUser > 1 || settings.minItem > 1 {
            let label: String
            if let k = settings.kCore, settings.minUser == k && settings.minItem == k {
                label = "\(k)-core"
            } else {
                label = "min-user \(settings.minUser), min-item \(settings.minItem)"
            }
            var round = 1
            while true {
                let banUser = userRows.map { $0 > 0 && $0 < settings.minUser }
                let banItem = itemRows.map { $0 > 0 && $0 < settings.minItem }
                guard banUser.contains(true) || banItem.contains(true) else { break }
                _ = remove("\(label), round \(round)") { banUser[Int(users[$0])] || banItem[Int(items[$0])] }
                round += 1
            }
        }
        return FilterPlan(keep: keep, steps: steps, keptUsers: userRows.map { $0 > 0 }, keptItems: itemRows.map { $0 > 0 })
    }
}
