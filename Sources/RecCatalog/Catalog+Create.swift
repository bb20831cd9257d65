import GRDB
import RecCore
#if canImport(Glibc)
import Glibc
#endif

extension Catalog {
    /// Creates the catalog at `path` holding one import, or imports into it when it already exists.
    ///
    /// A brand-new catalog is built in a temporary file beside `path` with SQLite's journal off (nothing to
    /// roll back to, so the rows are written once, not to the WAL and then again by its checkpoint), flushed
    /// to disk, and linked into place only when complete: `path` either does not exist or holds the whole
    /// import. On any error the temporary file is removed and `path` is not created.
    public static func create(path: String, importing request: ImportRequest) throws -> (Catalog, ImportSummary) {
        if FileSystem.exists(path) {
            let catalog = try Catalog(path: path)
            return (catalog, try catalog.importFiles(request))
        }
        let started = Monotonic.now()
        let batch = try request.read()
        let parsed = Monotonic.now()
        removeAbandonedBuilds(of: path)
        let temporary = path + ".importing-\(getpid())"
        unlink(temporary)
        var placed = false
        defer { if !placed { unlink(temporary) } }
        var summary: ImportSummary
        var opened = parsed
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA page_size = \(Catalog.pageSize)")
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA synchronous = OFF")
                // 32 MB: the load appends to each B-tree in key order, so a page is written once and not
                // read again; a larger cache only holds more written pages (it was 128 MB, a tenth of the
                // memory of a 24M-row import).
                try db.execute(sql: "PRAGMA cache_size = -32768")
            }
            var finishing = 0.0
            summary = try WriteBehind.building(temporary) {
                let queue = try DatabaseQueue(path: temporary, configuration: config)
                try Schema.migrator.migrate(queue)
                opened = Monotonic.now()
                let summary = try CatalogWriter.write(batch, into: queue, sessionGap: request.sessionGap)
                finishing = Monotonic.now()
                try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
                try queue.close()
                return summary
            }
            let fd = open(temporary, O_RDONLY)
            guard fd >= 0, fsync(fd) == 0 else {
                if fd >= 0 { close(fd) }
                throw CatalogError("\(temporary): cannot flush the new catalog to disk")
            }
            close(fd)
            summary.phases.append(ImportPhase(name: "flush", seconds: Monotonic.now() - finishing))
        } catch let error as DatabaseError {
            throw CatalogError("\(temporary): cannot build the new catalog: \(error.message ?? "\(error)")")
        }
        // link() never replaces: if someone created `path` meanwhile, import into theirs instead.
        if link(temporary, path) != 0 {
            let catalog = try Catalog(path: path)
            return (catalog, try catalog.importFiles(request))
        }
        placed = true
        unlink(temporary)
        summary.phases.insert(contentsOf: [ImportPhase(name: "read", seconds: parsed - started),
                                           ImportPhase(name: "open", seconds: opened - parsed)], at: 0)
        summary.seconds = Monotonic.now() - started
        return (try Catalog(path: path), summary)
    }
}

extension Catalog {
    /// Removes `PATH.importing-PID` files left by builds whose process no longer runs (killed mid-import).
    static func removeAbandonedBuilds(of path: String) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".importing-"
        for name in FileSystem.list(dir) where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
        }
    }
}

extension ImportRequest {
    /// Reads and checks the request's files, touching no catalog.
    func read() throws -> ImportBatch {
        switch format {
        case .recbole: return try RecBoleImporter.read(paths: paths)
        case .movielens: return try MovieLensImporter.read(paths: paths)
        case .csv: return try CSVImporter.read(paths: paths, mapping: csv)
        }
    }
}
