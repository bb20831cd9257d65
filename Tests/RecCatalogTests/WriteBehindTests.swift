import Foundation
import GRDB
import Testing
import RecCore
@testable import RecCatalog

/// A new catalog is built through the write-behind VFS (`WriteBehind`): SQLite's page writes reach the file
/// from a thread of their own. Nothing SQLite reads back, and no byte of the file, may differ from plain
/// writes, and a write that fails must fail the statement that made it.
@Suite struct WriteBehindTests {
    /// Builds a database whose pages SQLite spills, reads back, rewrites and frees while writes are
    /// pending: a cache of 8 pages, an indexed table of seeded rows (some with blobs over many overflow
    /// pages), updates and deletes in a second transaction, then the switch to WAL a catalog ends with.
    static func build(_ path: String) throws {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = 4096")
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = 8")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        var rng = SeededGenerator(seed: 11)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT NOT NULL, w BLOB)")
            try db.execute(sql: "CREATE INDEX t_by_v ON t(v)")
            let insert = try db.makeStatement(sql: "INSERT INTO t(k, v, w) VALUES (?, ?, ?)")
            for k in 0..<6000 {
                let v = String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 36)
                let w = k % 500 == 0 ? Data((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &rng) }) : nil
                try insert.execute(arguments: [k, v, w])
            }
        }
        try queue.write { db in
            try db.execute(sql: "UPDATE t SET v = v || 'x' WHERE k % 7 = 0")
            try db.execute(sql: "DELETE FROM t WHERE k % 11 = 0")
            try db.execute(sql: "INSERT INTO t(k, v) SELECT k + 10000, v FROM t WHERE k % 3 = 0")
        }
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.close()
    }

    @Test func aDatabaseBuiltBehindIsByteForByteTheOneBuiltPlainly() throws {
        let dir = TempDir()
        let plain = dir.path + "/plain.sqlite", behind = dir.path + "/behind.sqlite"
        try Self.build(plain)
        try WriteBehind.building(behind) { try Self.build(behind) }
        let a = try #require(FileManager.default.contents(atPath: plain))
        let b = try #require(FileManager.default.contents(atPath: behind))
        #expect(a.count > 1 << 20, "the test database is too small to spill: \(a.count) bytes")
        #expect(a == b, "the files differ: \(a.count) vs \(b.count) bytes")
        let queue = try DatabaseQueue(path: behind)
        let (check, mode, rows) = try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"), try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM t"))
        }
        let kept = (0..<6000).filter { $0 % 11 != 0 }
        #expect(check == "ok")
        #expect(mode == "wal")
        #expect(rows == kept.count + kept.filter { $0 % 3 == 0 }.count)
    }

    /// A write the disk refuses (simulated after 256 KB) fails the transaction that is writing, with an
    /// I/O error, instead of being lost.
    @Test func aFailedWriteFailsTheTransaction() throws {
        let dir = TempDir()
        let path = dir.path + "/full.sqlite"
        #expect(throws: DatabaseError.self) {
            try WriteBehind.building(path, failingAfter: 256 << 10) { try Self.build(path) }
        }
        do {
            try WriteBehind.building(path + "2", failingAfter: 256 << 10) { try Self.build(path + "2") }
        } catch let error as DatabaseError {
            #expect(error.resultCode == .SQLITE_IOERR, "\(error)")
        }
    }

    /// Other files opened while one is built (here a second database) are written plainly, as before.
    @Test func otherFilesAreUntouchedWhileOneIsBuilt() throws {
        let dir = TempDir()
        let behind = dir.path + "/behind.sqlite", other = dir.path + "/other.sqlite"
        try WriteBehind.building(behind, failingAfter: 0) {
            // Every write to `behind` would fail; `other` must not notice.
            try Self.build(other)
        }
        let queue = try DatabaseQueue(path: other)
        let check = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }
}
