import Foundation
import GRDB
import RecCore

/// The catalog's summary: counts, density, distributions, sessions, time span.
public struct CatalogStats: Codable, Sendable {
    public var catalog: String
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var sessions: Int
    /// interactions / (users × items).
    public var density: Double
    public var interactionsPerUser: CountDistribution
    public var interactionsPerItem: CountDistribution
    public var sessionLength: CountDistribution
    public var usersWithoutInteractions: Int
    public var itemsWithoutInteractions: Int
    /// Share of interactions that go to the most popular 20% of items.
    public var top20PercentItemShare: Double
    public var firstTimestamp: Double?
    public var lastTimestamp: Double?
    public var firstTime: String?
    public var lastTime: String?
    public var spanDays: Double
    public var categories: Int
    public var topCategories: [CategoryCount]
    public var ratedInteractions: Int
    public var imports: Int

    public struct CategoryCount: Codable, Sendable {
        public var category: String
        public var items: Int
    }

    enum CodingKeys: String, CodingKey {
        case catalog, users, items, interactions, sessions, density
        case interactionsPerUser = "interactions_per_user"
        case interactionsPerItem = "interactions_per_item"
        case sessionLength = "session_length"
        case usersWithoutInteractions = "users_without_interactions"
        case itemsWithoutInteractions = "items_without_interactions"
        case top20PercentItemShare = "top20_item_share"
        case firstTimestamp = "first_timestamp"
        case lastTimestamp = "last_timestamp"
        case firstTime = "first_time"
        case lastTime = "last_time"
        case spanDays = "span_days"
        case categories
        case topCategories = "top_categories"
        case ratedInteractions = "rated_interactions"
        case imports
    }
}

extension Catalog {
    /// Computes the summary with a handful of aggregate queries.
    public func stats() throws -> CatalogStats {
        try pool.read { db in
            let users = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0
            let items = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0
            let interactions = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(interactions), 0) FROM users") ?? 0
            let sessions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? 0
            // Per-user and per-item counts are kept by the importer (tested equal to the aggregates).
            let perUser = try Double.fetchAll(db, sql: "SELECT interactions FROM users ORDER BY idx")
            let perItem = try Double.fetchAll(db, sql: "SELECT interactions FROM items ORDER BY idx")
            let sessionLengths = try Double.fetchAll(db, sql: "SELECT length FROM sessions")
            let span = try Row.fetchOne(db, sql: "SELECT MIN(first_ts), MAX(last_ts) FROM users")
            let first: Double? = span?[0]
            let last: Double? = span?[1]
            let sortedItems = perItem.sorted(by: >)
            let topCount = max(1, Int((Double(items) * 0.2).rounded(.up)))
            let topShare = interactions == 0 ? 0 : sortedItems.prefix(topCount).reduce(0, +) / Double(interactions)
            let categories = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT category) FROM item_categories") ?? 0
            let top = try Row.fetchAll(db, sql: """
                SELECT category, COUNT(*) AS n FROM item_categories GROUP BY category ORDER BY n DESC, category LIMIT 10
                """).map { CatalogStats.CategoryCount(category: $0[0], items: $0[1]) }
            let rated = try Int.fetchOne(db, sql: "SELECT COUNT(value) FROM interactions") ?? 0
            let imports = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM imports") ?? 0
            return CatalogStats(
                catalog: path, users: users, items: items, interactions: interactions, sessions: sessions,
                density: users == 0 || items == 0 ? 0 : Double(interactions) / (Double(users) * Double(items)),
                interactionsPerUser: CountDistribution(perUser), interactionsPerItem: CountDistribution(perItem),
                sessionLength: CountDistribution(sessionLengths),
                usersWithoutInteractions: perUser.filter { $0 == 0 }.count,
                itemsWithoutInteractions: perItem.filter { $0 == 0 }.count,
                top20PercentItemShare: topShare,
                firstTimestamp: first, lastTimestamp: last,
                firstTime: first.map(Self.isoTime), lastTime: last.map(Self.isoTime),
                spanDays: (first != nil && last != nil) ? (last! - first!) / 86400 : 0,
                categories: categories, topCategories: top, ratedInteractions: rated, imports: imports)
        }
    }

    /// A timestamp as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    public static func isoTime(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
