import GRDB
import RecCore

/// A RecScope catalog: one SQLite file of users, items, interactions, sessions and model runs.
///
/// Opened in WAL mode with foreign keys on, so the explorer can read while an import writes.
public final class Catalog: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Seconds a writer waits for another process's write transaction before giving up.
    public static let busyTimeout: Double = 120

    /// The page size of catalogs this code creates (an existing file keeps its own). 16 kB instead of
    /// SQLite's 4 kB: a 1M-interaction import writes a quarter of the pages, and its B-tree inserts,
    /// commit and flush took 0.76-0.81 s instead of 0.84-0.94 s (`bench/import_bench.py`); 64 kB gained
    /// nothing more and makes every random page read four times larger.
    static let pageSize = 16384

    /// Opens (creating when missing) the catalog at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        if FileSystem.isDirectory(path) {
            throw CatalogError("\(path): is a directory (expected a catalog file, e.g. catalog.sqlite)")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Another process may be writing (an import holds the write lock for its whole transaction): wait
        // for it rather than fail at once with "database is locked". Readers never wait (WAL).
        config.busyMode = .timeout(Catalog.busyTimeout)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = \(Catalog.pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw CatalogError("\(path): cannot open as a RecScope catalog: \(error.message ?? "\(error)") (expected a SQLite file made by recscope, or a new path)")
        }
    }

    /// Imports files in `format`, all or nothing.
    public func importFiles(_ request: ImportRequest) throws -> ImportSummary {
        let stopwatch = Stopwatch()
        let batch = try request.read()
        let parsed = stopwatch.elapsed
        var summary = try CatalogWriter.write(batch, into: pool, sessionGap: request.sessionGap)
        if !summary.alreadyImported { summary.phases.insert(ImportPhase(name: "read", seconds: parsed), at: 0) }
        summary.seconds += parsed
        return summary
    }

    /// Number of rows in the main tables.
    public func counts() throws -> (users: Int, items: Int, interactions: Int, sessions: Int) {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM interactions") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? 0)
        }
    }

    /// Copies the WAL into the file (a TRUNCATE checkpoint) and closes every connection; the catalog cannot be
    /// used afterwards. Needed before the file is moved or renamed, as `recscope filter` does with the catalog it
    /// builds: whatever stayed in `PATH-wal` would not move with it.
    public func closeConnections() throws {
        let (busy, _, _) = try pool.writeWithoutTransaction { db -> (Int, Int, Int) in
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")!
            return (row[0], row[1], row[2])
        }
        guard busy == 0 else { throw CatalogError("\(path): another connection keeps the WAL busy; close it and try again") }
        try pool.close()
    }

    /// `PRAGMA integrity_check`'s answer ("ok" when the file is sound).
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }
}

/// What to import and how.
public struct ImportRequest: Sendable {
    public enum Format: String, Sendable, CaseIterable { case recbole, movielens, csv }
    public var format: Format
    public var paths: [String]
    /// Gap in seconds that starts a new session when the source has no session ids.
    public var sessionGap: Double = 30 * 60
    public var csv = CSVMapping()

    public init(format: Format, paths: [String], sessionGap: Double = 30 * 60, csv: CSVMapping = CSVMapping()) {
        self.format = format
        self.paths = paths
        self.sessionGap = sessionGap
        self.csv = csv
    }
}
