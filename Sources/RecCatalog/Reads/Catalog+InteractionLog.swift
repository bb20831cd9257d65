import GRDB

/// Every interaction of the catalog as columns, for training and evaluation.
///
/// Rows come in the table's order, (user, time, id); `sequence` is each interaction's id, which increases
/// in source order, so any ordering by time can break ties by it.
public struct InteractionLog: Sendable {
    public var users: [Int32] = []
    public var items: [Int32] = []
    public var timestamps: [Double] = []
    /// `interactions.id`: the source order across imports.
    public var sequence: [Int64] = []
    /// Rating or weight; NaN where the source had none.
    public var values: [Float] = []
    /// External ids by dense index (`users.idx`, `items.idx`).
    public var userIDs: [String] = []
    public var itemIDs: [String] = []

    public init() {}

    public var count: Int { users.count }
    public var userCount: Int { userIDs.count }
    public var itemCount: Int { itemIDs.count }

    /// A log of rows given in any order (`sequence` is their source order), put in (user, time, source) order.
    public init(userIDs: [String], itemIDs: [String], users: [Int32], items: [Int32], timestamps: [Double],
                sequence: [Int64], values: [Float]? = nil) {
        precondition(users.count == items.count && users.count == timestamps.count && users.count == sequence.count,
                     "an interaction log needs as many users, items, times and sequence numbers as rows")
        let order = users.indices.sorted { a, b in
            (users[a], timestamps[a], sequence[a]) < (users[b], timestamps[b], sequence[b])
        }
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.users = order.map { users[$0] }
        self.items = order.map { items[$0] }
        self.timestamps = order.map { timestamps[$0] }
        self.sequence = order.map { sequence[$0] }
        self.values = values.map { v in order.map { v[$0] } } ?? [Float](repeating: .nan, count: order.count)
    }
}

extension Catalog {
    /// Reads all interactions with one sequential scan of the clustered table (raw C API: no per-row objects).
    public func interactionLog() throws -> InteractionLog {
        try pool.read { db in
            var log = InteractionLog()
            log.userIDs = try Self.denseIDs(db, table: "users")
            log.itemIDs = try Self.denseIDs(db, table: "items")
            let n = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM interactions") ?? 0
            log.users.reserveCapacity(n)
            log.items.reserveCapacity(n)
            log.timestamps.reserveCapacity(n)
            log.sequence.reserveCapacity(n)
            log.values.reserveCapacity(n)
            try SQLiteQuery.each(db, "SELECT user, item, ts, id, value FROM interactions") { row in
                log.users.append(Int32(truncatingIfNeeded: row.int64(0)))
                log.items.append(Int32(truncatingIfNeeded: row.int64(1)))
                log.timestamps.append(row.double(2))
                log.sequence.append(row.int64(3))
                log.values.append(row.isNull(4) ? .nan : Float(row.double(4)))
            }
            return log
        }
    }

    /// Every user's and item's external id by dense index, without reading the interactions (what maps a file of
    /// external ids, such as an imported run, to the indices `interactionLog()` uses).
    public func denseIDs() throws -> (users: [String], items: [String]) {
        try pool.read { db in (try Self.denseIDs(db, table: "users"), try Self.denseIDs(db, table: "items")) }
    }

    /// External ids by dense index; the indices must be 0..<count (the importer assigns them so).
    static func denseIDs(_ db: Database, table: String) throws -> [String] {
        var ids: [String] = []
        try SQLiteQuery.each(db, "SELECT idx, external_id FROM \(table) ORDER BY idx") { row in
            guard row.int(0) == ids.count else {
                throw CatalogError("\(table).idx is not dense (found \(row.int(0)) at position \(ids.count)); the catalog was edited by hand")
            }
            ids.append(row.text(1) ?? "")
        }
        return ids
    }
}
