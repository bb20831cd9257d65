import Foundation
import GRDB
import Testing
@testable import RecCatalog

@Suite struct RecBoleImportTests {
    @Test func importsAtomicFilesWithAttributes() throws {
        let dir = TempDir()
        dir.write("s.item", Samples.item)
        dir.write("s.user", Samples.user)
        dir.write("s.inter", Samples.inter)
        let catalog = try dir.catalog()
        let summary = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path]))
        #expect(summary.interactionsAdded == 5)
        #expect(summary.usersAdded == 2)
        #expect(summary.itemsAdded == 3)
        let c = try catalog.counts()
        #expect(c.users == 2 && c.items == 3 && c.interactions == 5)
        try catalog.pool.read { (db: Database) throws in
            let row = try Row.fetchOne(db, sql: "SELECT title, year, categories, attributes FROM items WHERE external_id = 'i1'")!
            #expect(row[0] as String == "The Silent Harbor")
            #expect(row[1] as Int == 1999)
            #expect(row[2] as String == "[\"Drama\",\"Mystery\"]")
            #expect(row[3] as String == "{\"language\":\"en\"}")
            #expect(try String.fetchOne(db, sql: "SELECT title FROM items WHERE external_id = 'i3'") == "東京の夜")
            #expect(try String.fetchOne(db, sql: "SELECT attributes FROM users WHERE external_id = 'u2'") == "{\"age\":\"27\",\"gender\":\"M\"}")
            let drama = try String.fetchAll(db, sql: "SELECT i.external_id FROM item_categories c JOIN items i ON i.idx = c.item WHERE category = 'Drama' ORDER BY i.external_id")
            #expect(drama == ["i1", "i3"])
            let found = try String.fetchAll(db, sql: "SELECT external_id FROM items WHERE idx IN (SELECT rowid FROM item_search WHERE item_search MATCH 'requ')")
            #expect(found == ["i2"])
        }
        #expect(try catalog.integrityCheck() == "ok")
    }

    @Test func timestampTiesKeepSourceOrder() throws {
        let dir = TempDir()
        // u1's three interactions share one timestamp; the source order is i3, i1, i2.
        let inter = dir.write("t.inter", """
            user_id:token\titem_id:token\ttimestamp:float
            u1\ti3\t50
            u2\ti1\t10
            u1\ti1\t50
            u1\ti2\t50
            u1\ti9\t40
            """)
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [inter]))
        let order = try catalog.pool.read { (db: Database) throws in
            try String.fetchAll(db, sql: """
                SELECT i.external_id FROM interactions x JOIN items i ON i.idx = x.item
                WHERE x.user = (SELECT idx FROM users WHERE external_id = 'u1') ORDER BY x.ts, x.id
                """)
        }
        #expect(order == ["i9", "i3", "i1", "i2"])
        let lines = try catalog.pool.read { db in try Int.fetchAll(db, sql: "SELECT seq FROM interactions ORDER BY id") }
        #expect(lines == [2, 3, 4, 5, 6])
    }

    @Test func importingTheSameFilesTwiceChangesNothing() throws {
        let dir = TempDir()
        dir.write("s.item", Samples.item)
        dir.write("s.inter", Samples.inter)
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path]))
        let before = try CatalogSnapshot(catalog)
        let again = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path]))
        #expect(again.alreadyImported)
        #expect(try CatalogSnapshot(catalog) == before)
    }

    @Test func secondImportAddsToExistingUsersAndItems() throws {
        let dir = TempDir()
        dir.write("a/s.item", "")
        try FileManager.default.createDirectory(atPath: dir.path + "/b", withIntermediateDirectories: true)
        let first = dir.write("first.inter", Samples.inter)
        let second = dir.write("b/second.inter", "user_id:token\titem_id:token\ttimestamp:float\nu1\ti7\t20000\nu3\ti1\t30000\n")
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [first]))
        let s = try catalog.importFiles(ImportRequest(format: .recbole, paths: [second]))
        #expect(s.usersAdded == 1 && s.itemsAdded == 1 && s.interactionsAdded == 2)
        let c = try catalog.counts()
        #expect(c.users == 3 && c.items == 4 && c.interactions == 7)
        #expect(try catalog.integrityCheck() == "ok")
    }

    @Test func itemsWithoutAnItemFileAreCreatedFromIds() throws {
        let dir = TempDir()
        let inter = dir.write("only.inter", Samples.inter)
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [inter]))
        let titles = try catalog.pool.read { db in try Optional<String>.fetchAll(db, sql: "SELECT title FROM items") }
        #expect(titles.count == 3 && titles.allSatisfy { $0 == nil })
    }

    @Test(.enabled(if: Samples.ml100k != nil, "MovieLens-100k not found (set RECSCOPE_ML100K)"))
    func movieLens100kFromAtomicFiles() throws {
        let root = Samples.ml100k!
        let dir = TempDir()
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [
            root + "/ml-100k.inter", root + "/ml-100k.item", root + "/ml-100k.user"]))
        let c = try catalog.counts()
        #expect(c.users == 943)
        #expect(c.items == 1682)
        #expect(c.interactions == 100_000)
        #expect(try catalog.integrityCheck() == "ok")
        // Users with two or more interactions at their last timestamp (the architecture's 415).
        let tied = try catalog.pool.read { (db: Database) throws in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT x.user FROM interactions x
                  JOIN (SELECT user, MAX(ts) AS last FROM interactions GROUP BY user) m ON m.user = x.user AND x.ts = m.last
                  GROUP BY x.user HAVING COUNT(*) >= 2)
                """)
        }
        #expect(tied == 415)
    }
}

@Suite struct InteractionLogTests {
    @Test func readsEveryInteractionWithSourceSequence() throws {
        let dir = TempDir()
        dir.write("s.item", Samples.item)
        dir.write("s.inter", Samples.inter)
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path]))
        let log = try catalog.interactionLog()
        #expect(log.count == 5)
        #expect(log.userIDs == ["u1", "u2"])
        #expect(log.itemIDs == ["i1", "i2", "i3"])
        // Table order is (user, time, id): u1's rows first, ties at t=1000 in source order.
        #expect(log.users == [0, 0, 0, 1, 1])
        #expect(log.items == [0, 1, 2, 1, 0])
        #expect(log.sequence == [1, 2, 3, 4, 5])
        #expect(log.values == [4, 5, 3, 2, 4])
    }
}

@Suite struct KeptCountsTests {
    /// The counts the importer keeps on users, items and days equal the aggregates of the interactions.
    @Test func keptCountsMatchTheInteractionsAfterSeveralImports() throws {
        let dir = TempDir()
        let first = dir.write("first.inter", Samples.inter)
        let second = dir.write("second.inter", "user_id:token\titem_id:token\ttimestamp:float\nu1\ti7\t200000\nu3\ti1\t300000\nu1\ti1\t100\n")
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [first]))
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [second]))
        try catalog.pool.read { (db: Database) throws in
            let userMismatch = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM users u LEFT JOIN (SELECT user, COUNT(*) n, MIN(ts) f, MAX(ts) l FROM interactions GROUP BY user) a
                  ON a.user = u.idx
                LEFT JOIN (SELECT user, COUNT(*) n FROM sessions GROUP BY user) s ON s.user = u.idx
                WHERE u.interactions != COALESCE(a.n, 0) OR u.sessions != COALESCE(s.n, 0)
                   OR u.first_ts IS NOT a.f OR u.last_ts IS NOT a.l
                """)
            #expect(userMismatch == 0)
            let itemMismatch = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM items i LEFT JOIN (SELECT item, COUNT(*) n FROM interactions GROUP BY item) p ON p.item = i.idx
                WHERE i.interactions != COALESCE(p.n, 0)
                """)
            #expect(itemMismatch == 0)
            let days = try Row.fetchAll(db, sql: "SELECT day, interactions FROM daily_activity ORDER BY day").map { "\($0[0] as Int):\($0[1] as Int)" }
            #expect(days == ["0:6", "2:1", "3:1"])
        }
    }
}
