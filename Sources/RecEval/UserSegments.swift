import RecCore

/// How evaluated users are grouped for per-segment metrics.
public enum SegmentAxis: String, Sendable, CaseIterable, Codable {
    /// Training-history length: cold (≤ the 1/3 quantile), medium, heavy (> the 2/3 quantile).
    case activity
    /// Popularity of the held-out target items: head (the most popular items holding the first 20% of training
    /// interactions), mid, tail (the items after the first 80%); a user counts in each group one of their test
    /// items is in, judged on those items only.
    case popularity
    /// Regularity of the user's training time gaps: the coefficient of variation (σ / μ) of the gaps between
    /// consecutive training interactions; regular (≤ the 1/3 quantile), mixed, irregular (> the 2/3 quantile),
    /// and `unknown` for users with fewer than two gaps or a mean gap of 0.
    case regularity
}

/// Evaluated users split into named segments along one axis, with the truth each segment is judged on.
public struct UserSegments: Sendable {
    public struct Segment: Sendable {
        public let name: String
        /// Dense user indices, ascending.
        public let users: [Int]
        /// The held-out part the segment is judged on (popularity: the truth cut to the segment's items).
        public let heldOut: HeldOut
    }

    public let axis: SegmentAxis
    public let segments: [Segment]
    /// The quantile cuts used (activity: history lengths; regularity: coefficients of variation), for reports.
    public let cuts: [Double]

    /// Users by training-history length (the rows of `train`), among `heldOut`'s evaluated users.
    public static func activity(train: InteractionMatrix, heldOut: HeldOut) -> UserSegments {
        let users = heldOut.evaluatedUsers
        let lengths = users.map { Double(train.rowLength($0)) }
        return tertiles(.activity, users: users, values: lengths, names: ["cold", "medium", "heavy"], heldOut: heldOut)
    }

    /// Users by the popularity group of their held-out items; `counts` is each item's training popularity.
    public static func popularity(counts: [Int], heldOut: HeldOut) -> UserSegments {
        let group = itemGroups(counts: counts)
        var segments: [Segment] = []
        for (g, name) in ["head", "mid", "tail"].enumerated() {
            var u: [Int32] = [], i: [Int32] = [], members: [Int] = []
            for user in heldOut.evaluatedUsers {
                let mine = heldOut.truth.items(ofUser: user).filter { group[Int($0)] == g }
                if mine.isEmpty { continue }
                members.append(user)
                for item in mine { u.append(Int32(user)); i.append(item) }
            }
            let truth = InteractionMatrix(userCount: heldOut.truth.userCount, itemCount: heldOut.truth.itemCount, users: u, items: i)
            segments.append(Segment(name: name, users: members, heldOut: HeldOut(truth: truth, seen: heldOut.seen)))
        }
        return UserSegments(axis: .popularity, segments: segments, cuts: [0.2, 0.8])
    }

    /// 0 head, 1 mid, 2 tail for each item: by training popularity descending (ties by lower index), head while
    /// the interactions before the item are under 20% of all, tail once they reach 80%.
    public static func itemGroups(counts: [Int]) -> [Int] {
        let total = Double(counts.reduce(0, +))
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var group = [Int](repeating: 2, count: counts.count)
        var held = 0.0
        for i in order {
            group[i] = held < 0.2 * total ? 0 : held < 0.8 * total ? 1 : 2
            held += Double(counts[i])
        }
        return group
    }

    /// Users by the regularity of their training time gaps. `users`, `timestamps`, `roles` are the log's rows in
    /// (user, time, source) order, so each user's training rows are consecutive and in time order.
    public static func regularity(users: [Int32], timestamps: [Double], roles: [SplitRole], heldOut: HeldOut) -> UserSegments {
        let userCount = heldOut.truth.userCount
        var gaps = [[Double]](repeating: [], count: userCount)
        var last = [Double?](repeating: nil, count: userCount)
        for r in roles.indices where roles[r] == .train {
            let u = Int(users[r])
            if let previous = last[u] { gaps[u].append(timestamps[r] - previous) }
            last[u] = timestamps[r]
        }
        let evaluated = heldOut.evaluatedUsers
        var known: [Int] = [], values: [Double] = [], unknown: [Int] = []
        for u in evaluated {
            let g = gaps[u]
            let mean = g.isEmpty ? 0 : g.reduce(0, +) / Double(g.count)
            guard g.count >= 2, mean > 0 else { unknown.append(u); continue }
            let variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(g.count)
            known.append(u)
            values.append(variance.squareRoot() / mean)
        }
        let split = tertiles(.regularity, users: known, values: values, names: ["regular", "mixed", "irregular"], heldOut: heldOut)
        return UserSegments(axis: .regularity,
                            segments: split.segments + [Segment(name: "unknown", users: unknown, heldOut: heldOut)],
                            cuts: split.cuts)
    }

    /// Three segments by `values` (aligned with `users`): ≤ the 1/3 quantile, up to the 2/3 quantile, above it.
    static func tertiles(_ axis: SegmentAxis, users: [Int], values: [Double], names: [String], heldOut: HeldOut) -> UserSegments {
        let sorted = values.sorted()
        let low = Quantile.linear(sorted: sorted, p: 1.0 / 3), high = Quantile.linear(sorted: sorted, p: 2.0 / 3)
        var groups: [[Int]] = [[], [], []]
        for (u, v) in zip(users, values) { groups[v <= low ? 0 : v <= high ? 1 : 2].append(u) }
        return UserSegments(axis: axis, segments: (0..<3).map { Segment(name: names[$0], users: groups[$0], heldOut: heldOut) },
                            cuts: [low, high])
    }
}
