#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bundled sample catalog: built from `sample-data/` on first use into `.recscope/sample.sqlite`.
public enum SampleCatalog {
    /// The folder holding `sample-data/`: `RECSCOPE_HOME`, else the first ancestor of the working
    /// directory or of the executable that has `sample-data/sample.inter`.
    public static func projectRoot() -> String? {
        if let home = getenv("RECSCOPE_HOME").map({ String(cString: $0) }), !home.isEmpty { return home }
        var starts = [FileSystem.currentDirectory()]
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 {
            let exe = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            starts.append(String(exe[..<(exe.lastIndex(of: "/") ?? exe.endIndex)]))
        }
        for start in starts {
            var dir = start
            while true {
                if FileSystem.exists(dir + "/sample-data/sample.inter") { return dir }
                guard let slash = dir.lastIndex(of: "/"), dir != "/" else { break }
                dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
            }
        }
        return nil
    }

    /// The sample catalog's path, building it when missing.
    public static func openDefault(log: (String) -> Void = FileSystem.printError) throws -> Catalog {
        guard let root = projectRoot() else {
            throw CatalogError("no catalog given and the sample data was not found (expected sample-data/sample.inter in this folder or above it, or RECSCOPE_HOME); pass --catalog FILE")
        }
        let dir = root + "/.recscope"
        let path = dir + "/sample.sqlite"
        if FileSystem.exists(path) { return try Catalog(path: path) }
        guard FileSystem.makeDirectory(dir) else { throw CatalogError("\(dir): cannot create the folder for the sample catalog") }
        log("Building the sample catalog from \(root)/sample-data into \(path) (first use only)...")
        let temporary = path + ".building-\(getpid())"
        do {
            let catalog = try Catalog(path: temporary)
            _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [
                root + "/sample-data/sample.inter", root + "/sample-data/sample.item", root + "/sample-data/sample.user",
            ]))
            try catalog.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        for suffix in ["-wal", "-shm"] { unlink(temporary + suffix) }
        if rename(temporary, path) != 0 {
            unlink(temporary)
            if !FileSystem.exists(path) { throw CatalogError("\(path): cannot move the built sample catalog into place") }
        }
        return try Catalog(path: path)
    }
}
