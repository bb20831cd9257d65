import GRDB
import GRDBSQLite

/// A query read on the raw SQLite C API, row by row, for bulk reads where GRDB rows would cost more
/// than the data (every user or item of a large catalog). Used only inside a GRDB read block.
struct SQLiteQuery {
    /// The current row's columns, valid until the next row.
    struct Columns {
        fileprivate let handle: OpaquePointer?

        @inline(__always) func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
        @inline(__always) func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
        @inline(__always) func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
        @inline(__always) func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
        @inline(__always) func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
        @inline(__always) func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }

        /// The column as text (bytes as stored, decoded as UTF-8), nil for NULL.
        @inline(__always) func text(_ i: Int32) -> String? {
            guard let bytes = sqlite3_column_text(handle, i) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, i))
            return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    /// Runs `sql` with integer `arguments` and calls `row` for each result row, in order.
    static func each(_ db: Database, _ sql: String, _ arguments: [Int64] = [], _ row: (Columns) throws -> Void) throws {
        guard let connection = db.sqliteConnection else { throw CatalogError("database connection is closed") }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
            throw CatalogError("cannot read (\(sql)): \(String(cString: sqlite3_errmsg(connection)))")
        }
        defer { sqlite3_finalize(statement) }
        for (n, value) in arguments.enumerated() { sqlite3_bind_int64(statement, Int32(n + 1), value) }
        let columns = Columns(handle: statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw CatalogError("cannot read (\(sql)): \(String(cString: sqlite3_errmsg(connection)))")
            }
            try row(columns)
        }
    }
}
