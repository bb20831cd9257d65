import GRDB

/// The catalog's totals, from the counts the importer keeps on users: no scan of the interactions.
public struct CatalogTotals: Sendable, Hashable {
    public var interactions: Int
    public var sessions: Int
    /// The first and last interaction time, nil without interactions.
    public var firstTS: Double?
    public var lastTS: Double?
}

extension Catalog {
    public func totals() throws -> CatalogTotals {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(interactions), 0) AS n, COALESCE(SUM(sessions), 0) AS s, MIN(first_ts) AS first, MAX(last_ts) AS last
                FROM users
                """)
            return CatalogTotals(interactions: row?["n"] ?? 0, sessions: row?["s"] ?? 0, firstTS: row?["first"], lastTS: row?["last"])
        }
    }

    /// Interactions per day (days since 1970, UTC), oldest first, as the importer keeps them.
    public func dailyActivity() throws -> [(day: Int64, interactions: Int)] {
        try pool.read { db in
            var out: [(day: Int64, interactions: Int)] = []
            try SQLiteQuery.each(db, "SELECT day, interactions FROM daily_activity ORDER BY day") { row in
                out.append((row.int64(0), row.int(1)))
            }
            return out
        }
    }
}
