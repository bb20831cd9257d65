/// One session: a user's run of interactions with no gap longer than the threshold.
public struct SessionSpan: Sendable, Equatable {
    public var user: Int32
    public var start: Double
    public var end: Double
    public var length: Int
    /// The source's own session id, when it had one.
    public var externalID: String?
}

/// Splits each user's history into sessions.
public enum Sessionizer {
    /// The order in which to visit interactions: by user, then time, ties by source position.
    /// - Complexity: O(n + users) bucketing, then a sort only of the users whose rows are out of time order.
    public static func timeOrder(users: [Int32], times: [Double]) -> [Int] {
        guard let maxUser = users.max() else { return [] }
        var start = [Int](repeating: 0, count: Int(maxUser) + 2)
        for u in users { start[Int(u) + 1] += 1 }
        for u in 0...Int(maxUser) { start[u + 1] += start[u] }
        var cursor = start
        var order = [Int](repeating: 0, count: users.count)
        for n in 0..<users.count {
            let u = Int(users[n])
            order[cursor[u]] = n
            cursor[u] += 1
        }
        // Within a user the bucket holds source order; sort by time only where time goes backwards.
        for u in 0...Int(maxUser) {
            let lo = start[u], hi = start[u + 1]
            var sorted = true
            var k = lo + 1
            while k < hi {
                if times[order[k]] < times[order[k - 1]] { sorted = false; break }
                k += 1
            }
            if !sorted {
                order[lo..<hi].sort { a, b in times[a] < times[b] || (times[a] == times[b] && a < b) }
            }
        }
        return order
    }

    /// Sessions by time gap: a new session starts when the time since the user's previous interaction
    /// exceeds `gap` seconds. Returns each interaction's session number and the sessions, numbered in
    /// (user, start time) order.
    public static func byGap(users: [Int32], times: [Double], gap: Double,
                             order given: [Int]? = nil) -> (sessionOf: [Int32], sessions: [SessionSpan]) {
        let order = given ?? timeOrder(users: users, times: times)
        var sessionOf = [Int32](repeating: -1, count: users.count)
        let sessions = splitByGap(count: order.count, gap: gap, user: { users[order[$0]] }, time: { times[order[$0]] },
                                  assign: { sessionOf[order[$0]] = $1 })
        return (sessionOf, sessions)
    }

    /// The gap rule over interactions already visited in (user, time, source order): `user(k)` and
    /// `time(k)` describe the k-th, `assign(k, s)` receives its session number.
    @inline(__always)
    static func splitByGap(count: Int, gap: Double, user: (Int) -> Int32, time: (Int) -> Double,
                           assign: (Int, Int32) -> Void) -> [SessionSpan] {
        var sessions: [SessionSpan] = []
        var previousUser: Int32 = -1
        var previousTime = 0.0
        for k in 0..<count {
            let u = user(k), t = time(k)
            if u != previousUser || t - previousTime > gap {
                sessions.append(SessionSpan(user: u, start: t, end: t, length: 0, externalID: nil))
            }
            sessions[sessions.count - 1].end = t
            sessions[sessions.count - 1].length += 1
            assign(k, Int32(sessions.count - 1))
            previousUser = u
            previousTime = t
        }
        return sessions
    }

    /// Where each source session label's session is while its user's rows are visited: the label's
    /// session and the user it belongs to, by label token. A label seen again for another user starts a
    /// new session (the slot is simply overwritten), so no hash table is needed.
    struct LabelSlots {
        var owner: [Int32]
        var session: [Int32]
        init(labels: Int) {
            owner = [Int32](repeating: -1, count: labels)
            session = [Int32](repeating: -1, count: labels)
        }
    }

    /// Sessions as the source labelled them, one per (user, source session id), over interactions already
    /// visited in (user, time, source order), each user's rows together; rows without a label fall back to
    /// gap splitting among themselves. `user(k)`, `time(k)` and `label(k)` (-1 without one) describe the k-th,
    /// `assign(k, s)` receives its session number. A session is made at its first row, which is its earliest,
    /// so the sessions come out in (user, start) order and their ids read chronologically.
    /// - Complexity: O(count), with `slots` sized for every label.
    @inline(__always)
    static func byLabels(count: Int, gap: Double, slots: inout LabelSlots, user: (Int) -> Int32,
                         time: (Int) -> Double, label: (Int) -> Int32, assign: (Int, Int32) -> Void) -> [SessionRow] {
        var sessions: [SessionRow] = []
        var previousUser: Int32 = -1
        var previousTime = 0.0
        var previousUnlabelled: Int32 = -1
        slots.owner.withUnsafeMutableBufferPointer { owner in
            slots.session.withUnsafeMutableBufferPointer { slot in
                for k in 0..<count {
                    let u = user(k), t = time(k), l = label(k)
                    if u != previousUser { previousUnlabelled = -1 }
                    var s: Int32
                    if l >= 0 {
                        if owner[Int(l)] == u {
                            s = slot[Int(l)]
                        } else {
                            s = Int32(sessions.count)
                            owner[Int(l)] = u
                            slot[Int(l)] = s
                            sessions.append(SessionRow(user: u, label: l, start: t, end: t, length: 0))
                        }
                    } else if previousUnlabelled >= 0 && u == previousUser && t - previousTime <= gap {
                        s = previousUnlabelled
                    } else {
                        s = Int32(sessions.count)
                        sessions.append(SessionRow(user: u, label: -1, start: t, end: t, length: 0))
                        previousUnlabelled = s
                    }
                    sessions[Int(s)].end = max(sessions[Int(s)].end, t)
                    sessions[Int(s)].length &+= 1
                    assign(k, s)
                    previousUser = u
                    previousTime = t
                }
            }
        }
        return sessions
    }
}
