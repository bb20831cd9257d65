import GRDB
import GRDBSQLite

/// Why the catalog could not do what was asked.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A prepared statement on the raw SQLite C API, for bulk paths where GRDB records would be too slow.
/// Used only inside a GRDB write block, on that block's connection.
final class SQLiteStatement {
    private var handle: OpaquePointer?
    private let connection: OpaquePointer
    private let sql: String
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw CatalogError("database connection is closed") }
        self.connection = connection
        self.sql = sql
        let rc = sqlite3_prepare_v2(connection, sql, -1, &handle, nil)
        guard rc == SQLITE_OK else { throw CatalogError("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(connection)))") }
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always) func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    @inline(__always) func bind(_ i: Int32, _ v: Double) { sqlite3_bind_double(handle, i, v) }
    @inline(__always) func bindNull(_ i: Int32) { sqlite3_bind_null(handle, i) }
    @inline(__always) func bind(_ i: Int32, _ v: String?) {
        if let v { sqlite3_bind_text(handle, i, v, -1, Self.transient) } else { sqlite3_bind_null(handle, i) }
    }
    /// Binds bytes SQLite reads in place: they must stay valid until the next `step`.
    @inline(__always) func bind(_ i: Int32, bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, i, bytes.baseAddress, Int32(bytes.count), nil)
    }
    func bind(_ i: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, i, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }

    /// Runs the statement to completion and resets it for the next row.
    @inline(__always) func step() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            throw CatalogError("\(String(cString: sqlite3_errmsg(connection))) (in \(sql))")
        }
    }
}
