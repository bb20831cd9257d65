import GRDB

/// One row of `sessions`: a user's run of interactions.
public struct SessionRecord: Sendable, Hashable {
    public var id: Int64
    public var user: Int32
    public var start: Double
    public var end: Double
    /// Number of interactions.
    public var length: Int

    init(row: Row) {
        id = row["id"]
        user = row["user"]
        start = row["start_ts"]
        end = row["end_ts"]
        length = row["length"]
    }
}

/// One interaction of a session, with the item's external id and title.
public struct SessionInteraction: Sendable, Hashable {
    public var itemID: String
    public var title: String?
    public var ts: Double
    /// The event type as stored, when the source had one.
    public var event: String?
    public var value: Double?

    init(row: Row) {
        itemID = row["external_id"]
        title = row["title"]
        ts = row["ts"]
        event = row["event"]
        value = row["value"]
    }
}

extension Catalog {
    /// The user's sessions, oldest first (ties by session id); at most `limit`.
    public func sessions(ofUser user: Int32, limit: Int) throws -> [SessionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, user, start_ts, end_ts, length FROM sessions WHERE user = ? ORDER BY start_ts, id LIMIT ?
                """, arguments: [Int64(user), limit]).map(SessionRecord.init(row:))
        }
    }

    /// The interactions of session `id` in time order (ties by source order), at most `limit`; empty when
    /// there is no such session.
    public func sessionInteractions(session id: Int64, limit: Int) throws -> [SessionInteraction] {
        try pool.read { db in
            guard let s = try Row.fetchOne(db, sql: "SELECT id, user, start_ts, end_ts, length FROM sessions WHERE id = ?",
                                           arguments: [id]).map(SessionRecord.init(row:)) else { return [] }
            // The session's rows lie in its user's (ts, id) range of the clustered table.
            return try Row.fetchAll(db, sql: """
                SELECT i.external_id, i.title, x.ts, x.event, x.value FROM interactions x JOIN items i ON i.idx = x.item
                WHERE x.user = ? AND x.ts BETWEEN ? AND ? AND x.session = ? ORDER BY x.ts, x.id LIMIT ?
                """, arguments: [Int64(s.user), s.start, s.end, id, limit]).map(SessionInteraction.init(row:))
        }
    }
}
