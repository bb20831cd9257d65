import Foundation
import GRDB
import Testing
@testable import RecCatalog
import RecCore

/// An item's postings (packed blocks since v3, plus the loose ones triggers add) always list exactly the
/// interactions, by (item, ts, id); v1 and v2 catalogs convert; a brand-new catalog built through a
/// temporary file matches one built by a plain import.
@Suite struct ItemPostingsTests {
    static let first = """
        user_id:token\titem_id:token\ttimestamp:float\trating:float
        u1\ti3\t50\t4
        u2\ti1\t10\t3
        u1\ti1\t50\t5
        u3\ti1\t10\t2
        u1\ti2\t50\t1
        u2\ti3\t5\t3
        u1\ti9\t40\t4
        """
    static let second = """
        user_id:token\titem_id:token\ttimestamp:float
        u4\ti1\t10
        u1\ti1\t45
        u2\ti7\t60
        """

    static func postings(_ catalog: Catalog) throws -> (postings: [String], interactions: [String]) {
        try catalog.pool.read { db in
            (try Catalog.allItemPostings(db).map { "\($0.item),\($0.posting.ts),\($0.posting.id),\($0.posting.user)" },
             try String.fetchAll(db, sql: "SELECT item || ',' || ts || ',' || id || ',' || user FROM interactions ORDER BY item, ts, id"))
        }
    }

    @Test func postingsListEveryInteractionByItemTimeAndSourceOrder() throws {
        let dir = TempDir()
        let a = dir.write("a.inter", Self.first), b = dir.write("b.inter", Self.second)
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [a]))
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [b]))
        let (postings, interactions) = try Self.postings(catalog)
        #expect(postings.count == 10)
        #expect(postings == interactions)
        // i1's postings: ts 10 three times (u2, u3 from the first file, u4 from the second), in source order.
        let i1 = try catalog.pool.read { db in
            let item = try Int64.fetchOne(db, sql: "SELECT idx FROM items WHERE external_id = 'i1'")!
            return try Catalog.itemPostings(db, item: item).map {
                try String.fetchOne(db, sql: "SELECT external_id FROM users WHERE idx = ?", arguments: [$0.user])!
            }
        }
        #expect(i1 == ["u2", "u3", "u4", "u1", "u1"])
        #expect(try catalog.integrityCheck() == "ok")
    }

    /// The first file imported into a catalog in `dir` (which must outlive it), then `statements` run as
    /// SQL from outside the importer.
    static func edited(_ dir: TempDir, _ statements: [String]) throws -> Catalog {
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.write("a.inter", Self.first)]))
        try catalog.pool.write { db in
            for sql in statements { try db.execute(sql: sql) }
        }
        return catalog
    }

    @Test func deletingAUserOrAnInteractionRemovesItsPostings() throws {
        let dir = TempDir()
        let catalog = try Self.edited(dir, [
            "DELETE FROM users WHERE external_id = 'u1'",
            "DELETE FROM interactions WHERE id = (SELECT MIN(id) FROM interactions)",
            "UPDATE interactions SET ts = ts + 1000 WHERE id = (SELECT MAX(id) FROM interactions)",
        ])
        let (postings, interactions) = try Self.postings(catalog)
        #expect(postings.count == 2)
        #expect(postings == interactions)
    }

    @Test func movingAnInteractionToAnotherItemMovesItsPosting() throws {
        let dir = TempDir()
        let catalog = try Self.edited(dir, [
            "UPDATE interactions SET item = (SELECT idx FROM items WHERE external_id = 'i9') WHERE id = 2",
            "UPDATE interactions SET id = 100 WHERE id = 3",
        ])
        let (postings, interactions) = try Self.postings(catalog)
        #expect(postings.count == 7)
        #expect(postings == interactions)
        #expect(try catalog.integrityCheck() == "ok")
    }

    /// The next import's ids start past every removed id, so a removed block entry never hides a new one.
    @Test func deletingTheNewestInteractionThenImportingKeepsBothRight() throws {
        let dir = TempDir()
        let catalog = try Self.edited(dir, ["DELETE FROM interactions WHERE id = 7"])
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.write("b.inter", Self.second)]))
        let (postings, interactions) = try Self.postings(catalog)
        #expect(postings.count == 9)
        #expect(postings == interactions)
        #expect(try catalog.pool.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM interactions WHERE id > 6") } == 8)
    }

    /// An item with more postings than a block holds gets several blocks, read back in (ts, id) order.
    @Test func anItemSpillsIntoSeveralBlocks() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        let times: [Double] = [9, 3, 3, 7, 1, 8, 3]
        var rows: [PostingRow] = []
        for (n, ts) in times.enumerated() {
            rows.append(PostingRow(item: 4, user: Int32(n % 3), source: Int32(n), ts: ts))
        }
        rows.sort { (a: PostingRow, b: PostingRow) -> Bool in a.ts < b.ts || (a.ts == b.ts && a.source < b.source) }
        let read = try catalog.pool.write { db -> [ItemPosting] in
            try PostingBlocks.write(rows, firstInteraction: 10, db, capacity: 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_posting_blocks WHERE item = 4") == 4)
            return try Catalog.itemPostings(db, item: 4)
        }
        let expected = [ItemPosting(ts: 1, id: 14, user: 1), ItemPosting(ts: 3, id: 11, user: 1),
                        ItemPosting(ts: 3, id: 12, user: 2), ItemPosting(ts: 3, id: 16, user: 0),
                        ItemPosting(ts: 7, id: 13, user: 0), ItemPosting(ts: 8, id: 15, user: 2),
                        ItemPosting(ts: 9, id: 10, user: 0)]
        #expect(read == expected)
    }

    /// Every time, id and user comes back bit for bit: whole and fractional seconds, steps back in time,
    /// negative and huge values, -0, infinities and NaN.
    @Test func blockEncodingRoundTripsExactly() throws {
        var rng = SeededGenerator(seed: 11)
        var times: [Double] = [0, -0.0, 1, 1_600_000_000, 1_600_000_000.25, -5, 1e300, .infinity, -.infinity, .nan, 0x1p53, 0x1p53 + 2]
        var ids: [Int64] = [1, .max, .min, 0, -1, 42]
        var users: [Int64] = [0, Int64(Int32.max), 7, 0, 1, 3]
        for _ in 0..<2000 {
            let r = rng.next()
            times.append(r % 3 == 0 ? Double(r % 1_000_000) + 1.6e9 : Double(bitPattern: rng.next()))
            ids.append(Int64(bitPattern: rng.next()) >> Int64(r % 64))
            users.append(Int64(rng.next() % 1_000_000))
        }
        let n = min(times.count, ids.count, users.count)
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: n * PostingBlocks.maxEntrySize)
        defer { bytes.deallocate() }
        var encoder = PostingBlocks.Encoder(), size = 0
        for k in 0..<n { size += encoder.put(ts: times[k], id: ids[k], user: users[k], at: bytes + size) }
        var decoded: [ItemPosting] = []
        try PostingBlocks.decode(UnsafeRawBufferPointer(start: bytes, count: size), count: n, item: 0, into: &decoded)
        #expect(decoded.count == n)
        #expect(decoded.map(\.ts.bitPattern) == times.prefix(n).map(\.bitPattern))
        #expect(decoded.map(\.id) == Array(ids.prefix(n)))
        #expect(decoded.map(\.user) == Array(users.prefix(n)))
        // Truncated or padded blocks are refused with the item named, never read past their end.
        var out: [ItemPosting] = []
        #expect(throws: CatalogError.self) {
            try PostingBlocks.decode(UnsafeRawBufferPointer(start: bytes, count: size - 1), count: n, item: 5, into: &out)
        }
        #expect(throws: CatalogError.self) {
            try PostingBlocks.decode(UnsafeRawBufferPointer(start: bytes, count: size), count: n - 1, item: 5, into: &out)
        }
    }

    @Test func aVersion1CatalogConvertsToPostings() throws {
        let dir = TempDir()
        let path = dir.path + "/v1.sqlite"
        do {
            var v1 = DatabaseMigrator()
            v1.registerMigration("v1-catalog") { db in try db.execute(sql: Schema.v1) }
            let queue = try DatabaseQueue(path: path)
            try v1.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO users(idx, external_id) VALUES (0, 'a'), (1, 'b')")
                try db.execute(sql: "INSERT INTO items(idx, external_id) VALUES (0, 'x'), (1, 'y')")
                try db.execute(sql: """
                    INSERT INTO interactions(user, ts, id, item, seq) VALUES
                      (0, 5, 1, 1, 2), (1, 5, 2, 1, 3), (0, 7, 3, 0, 4), (1, 1, 4, 1, 5)
                    """)
            }
        }
        let catalog = try Catalog(path: path)
        let (postings, interactions) = try Self.postings(catalog)
        #expect(postings == ["0,7.0,3,0", "1,1.0,4,1", "1,5.0,1,0", "1,5.0,2,1"])
        #expect(postings == interactions)
        let (blocks, loose) = try catalog.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_posting_blocks")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item_postings")!)
        }
        #expect(blocks == 2 && loose == 0)
        let indexes = try catalog.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interactions'")
        }
        #expect(!indexes.contains("interactions_by_item"))
        #expect(try catalog.integrityCheck() == "ok")
    }

    @Test func aNewCatalogBuiltAsideMatchesAPlainImport() throws {
        let dir = TempDir()
        let a = dir.write("a.inter", Self.first)
        let plain = try dir.catalog("plain.sqlite")
        _ = try plain.importFiles(ImportRequest(format: .recbole, paths: [a]))
        let (built, summary) = try Catalog.create(path: dir.path + "/new.sqlite", importing: ImportRequest(format: .recbole, paths: [a]))
        #expect(summary.interactionsAdded == 7 && summary.usersAdded == 3 && summary.itemsAdded == 4)
        #expect(try CatalogSnapshot(built) == CatalogSnapshot(plain))
        #expect(try Self.postings(built) == Self.postings(plain))
        #expect(try built.integrityCheck() == "ok")
        #expect(try built.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        // A repeat is recognised, and a second file goes in through the ordinary path.
        let (_, again) = try Catalog.create(path: dir.path + "/new.sqlite", importing: ImportRequest(format: .recbole, paths: [a]))
        #expect(again.alreadyImported)
        let (_, more) = try Catalog.create(path: dir.path + "/new.sqlite",
                                           importing: ImportRequest(format: .recbole, paths: [dir.write("b.inter", Self.second)]))
        #expect(more.interactionsAdded == 3)
        #expect(try Self.postings(built).postings.count == 10)
        #expect(!FileSystem.list(dir.path).contains { $0.contains(".importing-") })
    }

    /// Both ways of making a catalog give it 16 kB pages (fewer, larger writes for bulk loads).
    @Test func newCatalogsUseTheCatalogPageSize() throws {
        let dir = TempDir()
        let opened = try dir.catalog("opened.sqlite")
        _ = try opened.importFiles(ImportRequest(format: .recbole, paths: [dir.write("a.inter", Self.first)]))
        let (built, _) = try Catalog.create(path: dir.path + "/built.sqlite",
                                            importing: ImportRequest(format: .recbole, paths: [dir.path + "/a.inter"]))
        for catalog in [opened, built] {
            #expect(try catalog.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == Catalog.pageSize)
            #expect(try catalog.integrityCheck() == "ok")
        }
    }

    @Test func aRefusedImportCreatesNoCatalog() throws {
        let dir = TempDir()
        let bad = dir.write("bad.inter", "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\tsoon\n")
        #expect(throws: ImportError.self) {
            try Catalog.create(path: dir.path + "/new.sqlite", importing: ImportRequest(format: .recbole, paths: [bad]))
        }
        #expect(!FileSystem.exists(dir.path + "/new.sqlite"))
        #expect(!FileSystem.list(dir.path).contains { $0.contains(".importing-") })
    }
}

/// The `.inter` reader splits large files across two threads; the result must be what one pass gives.
@Suite struct SplitReadTests {
    static let text = """

        user_id:token\titem_id:token\ttimestamp:float\trating:float\tsession_id:token\tmood:token
        u1\ti1\t10\t4\ts1\thappy
        u2\ti2\t11\t\ts2\t
        u1\ti3\t12\t5\ts1\tsad
        u3\ti1\t13\t1\t\thappy

        u2\ti4\t14\t2\ts3\tcalm
        u4\ti2\t15\t3\ts1\thappy
        u1\ti5\t16\t4\ts4\t
        """

    static func read(_ path: String, splitAbove: Int) throws(ImportError) -> ImportBatch {
        var batch = ImportBatch(format: "recbole")
        try RecBoleImporter.readInteractions(try SourceFile(path: path), into: &batch, closedUsers: false,
                                             closedItems: false, splitAbove: splitAbove)
        return batch
    }

    @Test func twoHalvesGiveWhatOnePassGives() throws {
        let dir = TempDir()
        let path = dir.write("s.inter", Self.text)
        let whole = try Self.read(path, splitAbove: 1 << 30), halves = try Self.read(path, splitAbove: 0)
        #expect(whole.interactionCount == 7)
        #expect(halves.interUser == whole.interUser && halves.interItem == whole.interItem)
        #expect(halves.interTime == whole.interTime && halves.interLine == whole.interLine)
        #expect(halves.interValue.map { $0.isNaN ? -1 : $0 } == whole.interValue.map { $0.isNaN ? -1 : $0 })
        #expect(halves.interSession == whole.interSession && halves.interExtra == whole.interExtra)
        #expect((0..<4).map { halves.users.string(Int32($0)) } == ["u1", "u2", "u3", "u4"])
        #expect((0..<4).map { halves.sessionNames.string(Int32($0)) } == ["s1", "s2", "s3", "s4"])
        #expect(whole.interLine == [3, 4, 5, 6, 8, 9, 10])
    }

    @Test func anErrorInTheSecondHalfNamesItsLine() throws {
        let dir = TempDir()
        let path = dir.write("e.inter", Self.text.replacingOccurrences(of: "u1\ti5\t16", with: "u1\ti5\tsoon"))
        let error = #expect(throws: ImportError.self) { try Self.read(path, splitAbove: 0) }
        #expect(error?.line == 10, "\(String(describing: error))")
        let bad = dir.write("f.inter", Self.text.replacingOccurrences(of: "u2\ti2\t11", with: "u2\ti2\tlate")
                                        .replacingOccurrences(of: "u1\ti5\t16", with: "u1\ti5\tsoon"))
        let first = #expect(throws: ImportError.self) { try Self.read(bad, splitAbove: 0) }
        #expect(first?.line == 4, "\(String(describing: first))")
    }
}
