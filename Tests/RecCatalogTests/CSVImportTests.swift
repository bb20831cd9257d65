import Foundation
import GRDB
import Testing
@testable import RecCatalog

@Suite struct CSVImportTests {
    @Test func mapsColumnsParsesISOTimesAndKeepsExtras() throws {
        let dir = TempDir()
        let path = dir.write("events.csv", """
            who,what,when,score,device
            alice,b1,2024-03-01T10:00:00Z,1,"phone, android"
            alice,b2,2024-03-01 10:05:30+01:00,,web
            bob,b1,2024-03-02,0.5,web
            """)
        let items = dir.write("books.csv", "item_id,title,genres,pages\nb1,\"Dune, Part One\",Sci-Fi|Classic,412\nb2,Emma,Romance,300\n")
        var mapping = CSVMapping()
        mapping.userColumn = "who"
        mapping.itemColumn = "what"
        mapping.timeColumn = "when"
        mapping.valueColumn = "score"
        mapping.itemsPath = items
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .csv, paths: [path], csv: mapping))
        try catalog.pool.read { (db: Database) throws in
            let ts = try Double.fetchAll(db, sql: "SELECT ts FROM interactions ORDER BY id")
            #expect(ts == [1_709_287_200, 1_709_283_930, 1_709_337_600])
            let values = try Optional<Double>.fetchAll(db, sql: "SELECT value FROM interactions ORDER BY id")
            #expect(values == [1, nil, 0.5])
            #expect(try String.fetchOne(db, sql: "SELECT extra FROM interactions ORDER BY id LIMIT 1") == "{\"device\":\"phone, android\"}")
            #expect(try String.fetchOne(db, sql: "SELECT title FROM items WHERE external_id = 'b1'") == "Dune, Part One")
            #expect(try String.fetchOne(db, sql: "SELECT categories FROM items WHERE external_id = 'b1'") == "[\"Sci-Fi\",\"Classic\"]")
            #expect(try String.fetchOne(db, sql: "SELECT attributes FROM items WHERE external_id = 'b1'") == "{\"pages\":412}")
        }
        // Categories by item index, as indices into the sorted names (what `rank` reads for category affinity).
        let (names, lists) = try catalog.itemCategoryLists()
        let b1 = try #require(try catalog.pool.read { try Int.fetchOne($0, sql: "SELECT idx FROM items WHERE external_id = 'b1'") })
        #expect(names == ["Classic", "Romance", "Sci-Fi"])
        #expect(lists.count == 2 && lists[b1] == [0, 2] && lists[1 - b1] == [1])
    }

    @Test func keepsSourceSessionIds() throws {
        let dir = TempDir()
        let path = dir.write("s.tsv", "user_id\titem_id\ttimestamp\tsession_id\nu\ta\t100\tS1\nu\tb\t99999\tS1\nu\tc\t200\tS2\nv\ta\t5\tS1\n")
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .csv, paths: [path]))
        let sessions = try catalog.pool.read { (db: Database) throws in
            try Row.fetchAll(db, sql: "SELECT external_id, length, start_ts, end_ts FROM sessions ORDER BY id").map {
                "\($0[0] as String):\($0[1] as Int):\($0[2] as Double):\($0[3] as Double)"
            }
        }
        #expect(sessions == ["S1:2:100.0:99999.0", "S2:1:200.0:200.0", "S1:1:5.0:5.0"])
    }

    @Test func millisecondTimes() throws {
        let dir = TempDir()
        let path = dir.write("ms.csv", "user_id,item_id,timestamp\nu,a,1700000000123\n")
        var mapping = CSVMapping()
        mapping.timeScale = 0.001
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .csv, paths: [path], csv: mapping))
        let ts = try catalog.pool.read { try Double.fetchOne($0, sql: "SELECT ts FROM interactions") }
        #expect(abs(ts! - 1_700_000_000.123) < 1e-6)
    }

    @Test func isoParserHandlesForms() {
        #expect(ISO8601.seconds("1970-01-01") == 0)
        #expect(ISO8601.seconds("2000-02-29T12:00:00Z") == 951_825_600)
        #expect(ISO8601.seconds("2000-02-29T12:00:00.5-02:00") == 951_832_800.5)
        #expect(ISO8601.seconds("2000-13-01") == nil)
        #expect(ISO8601.seconds("yesterday") == nil)
        #expect(ISO8601.seconds("2000-01-01T10:00:00Zjunk") == nil)
    }
}
