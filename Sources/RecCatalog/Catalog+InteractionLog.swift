import GRDB
import GRDBSQLite
import RecCore

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

    public var count: Int { users.count }
    public var userCount: Int { userIDs.count }
    public var itemCount: Int { itemIDs.count }
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
            guard let connection = db.sqliteConnection else { throw CatalogError("database connection is closed") }
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(connection, "SELECT user, item, ts, id, value FROM interactions", -1, &statement, nil) == SQLITE_OK else {
                throw CatalogError("cannot read interactions: \(String(cString: sqlite3_errmsg(connection)))")
            }
            defer { sqlite3_finalize(statement) }
            while true {
                let rc = sqlite3_step(statement)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else {
                    throw CatalogError("cannot read interactions: \(String(cString: sqlite3_errmsg(connection)))")
                }
                log.users.append(Int32(truncatingIfNeeded: sqlite3_column_int64(statement, 0)))
                log.items.append(Int32(truncatingIfNeeded: sqlite3_column_int64(statement, 1)))
                log.timestamps.append(sqlite3_column_double(statement, 2))
                log.sequence.append(sqlite3_column_int64(statement, 3))
                log.values.append(sqlite3_column_type(statement, 4) == SQLITE_NULL ? .nan : Float(sqlite3_column_double(statement, 4)))
            }
            return log
        }
    }

    /// External ids by dense index; the indices must be 0..<count (the importer assigns them so).
    static func denseIDs(_ db: Database, table: String) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: "SELECT idx, external_id FROM \(table) ORDER BY idx")
        var ids: [String] = []
        ids.reserveCapacity(rows.count)
        for (n, row) in rows.enumerated() {
            let idx: Int = row[0]
            guard idx == n else { throw CatalogError("\(table).idx is not dense (found \(idx) at position \(n)); the catalog was edited by hand") }
            ids.append(row[1])
        }
        return ids
    }
}
