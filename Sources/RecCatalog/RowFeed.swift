import GRDB
import GRDBSQLite

/// Rows in memory offered to SQL as an eponymous virtual table, so a bulk load is one
/// `INSERT INTO t SELECT c0, c1, … FROM recscope_rows` instead of a bind-step-reset per row.
///
/// Each statement run pays SQLite's per-statement costs (step, halt, reset, cursor open and close, the
/// transaction check); over a million rows they were about a third of the insert's time. Columns are read
/// in place from an array of structs: `base + row × stride + offset`, so nothing is copied.
struct RowFeed {
    /// `rowNumber` reads no field: the row's position plus `add` (ids numbered in row order). `text` reads a
    /// `TextRef` field: UTF-8 bytes that must stay valid until `run` returns (nil start gives NULL).
    /// `token` reads an `Int32` token index and gives its text from `tokens` (a negative index gives NULL).
    enum Kind { case int32, int64, doubleOrNull, rowNumber, text, token }
    /// A token table in place: token `t` is the UTF-8 bytes `bytes[starts[t]..<starts[t + 1]]`.
    struct Tokens {
        var bytes: UnsafePointer<UInt8>
        var starts: UnsafePointer<Int>
    }
    struct TextRef {
        var start: UnsafePointer<UInt8>?
        var count: Int
    }
    /// One column: a field of every row, plus `add` for integer kinds (ids offset by the import's first id).
    struct Column {
        var offset: Int
        var kind: Kind
        var add: Int64 = 0
        /// The table `token` columns read; it must stay valid until `run` returns.
        var tokens: Tokens? = nil
    }

    /// Runs `sql` (which reads `recscope_rows`, with columns `c0…` in `columns` order) over `count` rows
    /// of `stride` bytes at `base`. The rows must stay valid until this returns.
    static func run(_ db: Database, _ sql: String, base: UnsafeRawPointer?, count: Int, stride: Int,
                    columns: [Column]) throws {
        guard count > 0, let base else { return }
        guard let connection = db.sqliteConnection else { throw CatalogError("database connection is closed") }
        let feed = Feed(base: base, count: count, stride: stride, columns: columns)
        let context = Unmanaged.passRetained(feed).toOpaque()
        var rc = sqlite3_create_module_v2(connection, name, &rowFeedModule, context) { pointer in
            if let pointer { Unmanaged<Feed>.fromOpaque(pointer).release() }
        }
        guard rc == SQLITE_OK else { throw CatalogError("cannot register the row feed: \(String(cString: sqlite3_errmsg(connection)))") }
        defer { sqlite3_create_module_v2(connection, name, nil, nil, nil) }
        var statement: OpaquePointer?
        rc = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard rc == SQLITE_OK else { throw CatalogError("cannot prepare \(sql): \(String(cString: sqlite3_errmsg(connection)))") }
        defer { sqlite3_finalize(statement) }
        rc = sqlite3_step(statement)
        guard rc == SQLITE_DONE else { throw CatalogError("\(String(cString: sqlite3_errmsg(connection))) (in \(sql))") }
    }

    static let name = "recscope_rows"

    final class Feed {
        let base: UnsafeRawPointer, count: Int, stride: Int
        /// The columns in a buffer of their own, so a cursor reads them with no array or reference in the way.
        let columns: UnsafeMutablePointer<Column>
        let declaration: String
        init(base: UnsafeRawPointer, count: Int, stride: Int, columns: [Column]) {
            self.base = base
            self.count = count
            self.stride = stride
            self.columns = .allocate(capacity: max(columns.count, 1))
            self.columns.initialize(from: columns, count: columns.count)
            declaration = "CREATE TABLE x(" + columns.indices.map { "c\($0)" }.joined(separator: ", ") + ")"
        }
        deinit { columns.deallocate() }
    }
}

/// The virtual table object and cursor: SQLite's structs first, then the feed (or the row number).
private struct FeedTable { var base = sqlite3_vtab(); var feed: Unmanaged<RowFeed.Feed> }
/// The cursor copies what `xColumn` reads from the feed (which outlives it), so the per-value path is
/// pointer arithmetic only: going through the feed object cost about a tenth of a 24M-row load.
private struct FeedCursor {
    var base = sqlite3_vtab_cursor()
    var rows: UnsafeRawPointer
    var count: Int
    var stride: Int
    var columns: UnsafePointer<RowFeed.Column>
    var row = 0
}

private func feed(of cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> UnsafeMutablePointer<FeedCursor> {
    UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: FeedCursor.self)
}

nonisolated(unsafe) private var rowFeedModule: sqlite3_module = {
    var m = sqlite3_module()
    // xCreate nil: eponymous only, usable by name without CREATE VIRTUAL TABLE, never stored in the file.
    m.xConnect = { db, aux, _, _, table, _ in
        let feed = Unmanaged<RowFeed.Feed>.fromOpaque(aux!)
        let rc = sqlite3_declare_vtab(db, feed.takeUnretainedValue().declaration)
        guard rc == SQLITE_OK else { return rc }
        let t = UnsafeMutablePointer<FeedTable>.allocate(capacity: 1)
        t.initialize(to: FeedTable(feed: feed))
        table!.pointee = UnsafeMutableRawPointer(t).assumingMemoryBound(to: sqlite3_vtab.self)
        return SQLITE_OK
    }
    // No constraint is used: every plan scans the rows once, so the cost says "scan me in the outer loop".
    m.xBestIndex = { table, info in
        let t = UnsafeMutableRawPointer(table!).assumingMemoryBound(to: FeedTable.self)
        let rows = t.pointee.feed._withUnsafeGuaranteedRef { $0.count }
        info!.pointee.estimatedCost = Double(max(rows, 1))
        info!.pointee.estimatedRows = sqlite3_int64(rows)
        return SQLITE_OK
    }
    m.xDisconnect = { table in
        UnsafeMutableRawPointer(table!).assumingMemoryBound(to: FeedTable.self).deallocate()
        return SQLITE_OK
    }
    m.xDestroy = m.xDisconnect
    m.xOpen = { table, cursor in
        let t = UnsafeMutableRawPointer(table!).assumingMemoryBound(to: FeedTable.self)
        let c = UnsafeMutablePointer<FeedCursor>.allocate(capacity: 1)
        c.initialize(to: t.pointee.feed._withUnsafeGuaranteedRef { f in
            FeedCursor(rows: f.base, count: f.count, stride: f.stride, columns: UnsafePointer(f.columns))
        })
        cursor!.pointee = UnsafeMutableRawPointer(c).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
        return SQLITE_OK
    }
    m.xClose = { cursor in
        feed(of: cursor).deallocate()
        return SQLITE_OK
    }
    m.xFilter = { cursor, _, _, _, _ in
        feed(of: cursor).pointee.row = 0
        return SQLITE_OK
    }
    m.xNext = { cursor in
        feed(of: cursor).pointee.row &+= 1
        return SQLITE_OK
    }
    m.xEof = { cursor in
        let c = feed(of: cursor)
        return c.pointee.row >= c.pointee.count ? 1 : 0
    }
    m.xColumn = { cursor, context, i in
        let c = feed(of: cursor)
        let row = c.pointee.row
        do {
            let column = c.pointee.columns[Int(i)]
            let field = c.pointee.rows + (row &* c.pointee.stride &+ column.offset)
            switch column.kind {
            case .int32: sqlite3_result_int64(context, Int64(field.loadUnaligned(as: Int32.self)) &+ column.add)
            case .int64: sqlite3_result_int64(context, field.loadUnaligned(as: Int64.self) &+ column.add)
            case .rowNumber: sqlite3_result_int64(context, Int64(row) &+ column.add)
            case .text:
                let text = field.loadUnaligned(as: RowFeed.TextRef.self)
                if let start = text.start {
                    // SQLITE_STATIC (nil): SQLite copies the bytes into the record it builds.
                    sqlite3_result_text(context, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
                } else {
                    sqlite3_result_null(context)
                }
            case .token:
                let t = Int(field.loadUnaligned(as: Int32.self))
                if t >= 0, let tokens = column.tokens {
                    let s = tokens.starts[t]
                    sqlite3_result_text(context, UnsafeRawPointer(tokens.bytes + s).assumingMemoryBound(to: CChar.self),
                                        Int32(tokens.starts[t &+ 1] &- s), nil)
                } else {
                    sqlite3_result_null(context)
                }
            case .doubleOrNull:
                let v = field.loadUnaligned(as: Double.self)
                if v.isNaN { sqlite3_result_null(context) } else { sqlite3_result_double(context, v) }
            }
        }
        return SQLITE_OK
    }
    m.xRowid = { cursor, rowid in
        rowid!.pointee = sqlite3_int64(feed(of: cursor).pointee.row)
        return SQLITE_OK
    }
    return m
}()

/// Strings copied as UTF-8 into one buffer, so row-feed rows can point at them while a statement runs.
struct TextArena {
    private var bytes: [UInt8] = []
    private var spans: [(start: Int, count: Int)] = []

    /// Adds `text` and returns its handle, or -1 for nil (the row feed gives NULL).
    mutating func add(_ text: String?) -> Int {
        guard let text else { return -1 }
        return add(bytes: text.utf8)
    }

    /// Adds UTF-8 bytes as they are and returns their handle.
    mutating func add(bytes utf8: some Collection<UInt8>) -> Int {
        let start = bytes.count
        bytes.append(contentsOf: utf8)
        spans.append((start, bytes.count - start))
        return spans.count - 1
    }

    /// Calls `body` with a function from handles to `TextRef`s, valid only inside `body`.
    func withRefs<R>(_ body: ((Int) -> RowFeed.TextRef) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            try body { handle in
                guard handle >= 0 else { return RowFeed.TextRef(start: nil, count: 0) }
                let span = spans[handle]
                return RowFeed.TextRef(start: buffer.baseAddress.map { $0 + span.start } ?? UnsafePointer(bitPattern: 1), count: span.count)
            }
        }
    }
}
