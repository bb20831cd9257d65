import GRDB

/// One interaction with an item, as the item's detail lists it.
public struct ItemEvent: Sendable, Hashable {
    public var userID: String
    public var ts: Double
    /// The event type as stored, when the source had one.
    public var event: String?
    public var value: Double?
}

/// Who interacted with an item: how many distinct users, and the newest interactions.
public struct ItemHistory: Sendable, Hashable {
    public var userCount: Int
    /// Newest first, ties by user id (`idLess`); at most the requested number.
    public var recent: [ItemEvent]
}

extension Catalog {
    /// How many distinct users `postings` name: a bit per user index rather than a hash set, since a
    /// popular item of a 24M-interaction catalog has tens of thousands of postings and the explorer counts
    /// them on every move in the items list.
    /// - Complexity: O(postings + the largest user index / 64).
    static func distinctUsers(_ postings: [ItemPosting]) -> Int {
        var low = Int64.max, high = Int64.min
        for p in postings { low = min(low, p.user); high = max(high, p.user) }
        guard !postings.isEmpty else { return 0 }
        guard low >= 0, high < 1 << 32 else { return Set(postings.lazy.map(\.user)).count }
        var bits = [UInt64](repeating: 0, count: Int(high >> 6) + 1)
        var count = 0
        bits.withUnsafeMutableBufferPointer { bits in
            for p in postings {
                let u = Int(p.user), mask: UInt64 = 1 << UInt64(u & 63)
                if bits[u >> 6] & mask == 0 {
                    bits[u >> 6] |= mask
                    count += 1
                }
            }
        }
        return count
    }

    /// The item's postings in `(ts, id)` order: its block entries not removed, plus its loose postings.
    public func itemPostings(item: Int32) throws -> [ItemPosting] {
        try pool.read { db in try Self.itemPostings(db, item: Int64(item)) }
    }

    /// The distinct users of item `item` and its `limit` newest interactions (ties by user id, ordered by
    /// `idLess`), read from the item's postings: no scan of the interactions.
    public func itemHistory(item: Int32, limit: Int, idLess: (String, String) -> Bool) throws -> ItemHistory {
        try pool.read { db in
            let postings = try Self.itemPostings(db, item: Int64(item))
            let userCount = Self.distinctUsers(postings)
            guard limit > 0, !postings.isEmpty else { return ItemHistory(userCount: userCount, recent: []) }
            // Everything at or after the limit-th newest time, newest first; ties broken by user id below.
            let cut = postings.count >= limit ? postings[postings.count - limit].ts : -Double.infinity
            let userID = try db.makeStatement(sql: "SELECT external_id FROM users WHERE idx = ?")
            var newest: [(posting: ItemPosting, userID: String)] = []
            for posting in postings.reversed() {
                guard posting.ts >= cut else { break }
                newest.append((posting, try String.fetchOne(userID, arguments: [posting.user]) ?? ""))
            }
            newest.sort { $0.posting.ts > $1.posting.ts || ($0.posting.ts == $1.posting.ts && idLess($0.userID, $1.userID)) }
            let fields = try db.makeStatement(sql: "SELECT event, value FROM interactions WHERE user = ? AND ts = ? AND id = ?")
            let recent = try newest.prefix(limit).map { posting, id -> ItemEvent in
                let row = try Row.fetchOne(fields, arguments: [posting.user, posting.ts, posting.id])
                return ItemEvent(userID: id, ts: posting.ts, event: row?["event"], value: row?["value"])
            }
            return ItemHistory(userCount: userCount, recent: recent)
        }
    }
}
