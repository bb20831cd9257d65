import GRDB

/// One row of `users`: the external id and the counts and time span the importer keeps.
public struct UserRecord: Sendable, Hashable {
    /// The dense index (`users.idx`).
    public var index: Int32
    public var id: String
    public var interactions: Int
    public var sessions: Int
    /// First and last interaction time (seconds since 1970); nil for a user without interactions.
    public var firstTS: Double?
    public var lastTS: Double?
}

extension Catalog {
    /// Every user, by dense index (one scan of `users`; no aggregate over the interactions).
    public func userRecords() throws -> [UserRecord] {
        try pool.read { db in
            var out: [UserRecord] = []
            out.reserveCapacity(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0)
            try SQLiteQuery.each(db, "SELECT idx, external_id, interactions, sessions, first_ts, last_ts FROM users ORDER BY idx") { row in
                out.append(UserRecord(index: Int32(truncatingIfNeeded: row.int64(0)), id: row.text(1) ?? "",
                                      interactions: row.int(2), sessions: row.int(3),
                                      firstTS: row.optionalDouble(4), lastTS: row.optionalDouble(5)))
            }
            return out
        }
    }

    /// The `limit` categories the user's interactions fall in most often, most frequent first, ties by name.
    public func topCategories(ofUser user: Int32, limit: Int) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT c.category FROM interactions x JOIN item_categories c ON c.item = x.item
                WHERE x.user = ? GROUP BY c.category ORDER BY COUNT(*) DESC, c.category LIMIT ?
                """, arguments: [Int64(user), limit])
        }
    }
}
