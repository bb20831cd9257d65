import Foundation
import GRDB
import Testing
@testable import RecCatalog

@Suite struct MovieLensImportTests {
    static let genres = MovieLensImporter.defaultGenres

    /// Writes a u.item line the way ml-100k's original file has it.
    static func uItemLine(id: String, title: String, year: Int?, categories: [String]) -> String {
        let flags = genres.map { categories.contains($0) ? "1" : "0" }.joined(separator: "|")
        let fullTitle = year.map { "\(title) (\($0))" } ?? title
        let release = year.map { "01-Jan-\($0)" } ?? ""
        return "\(id)|\(fullTitle)|\(release)||http://example.org/\(id)|\(flags)"
    }

    @Test func decodesLatin1TitlesAndGenreFlags() throws {
        let dir = TempDir()
        var item = Array(Self.uItemLine(id: "1", title: "Cit\u{E9} des enfants perdus, La", year: 1995, categories: ["Sci-Fi", "Drama"]).unicodeScalars.map { UInt8($0.value) })
        item += Array("\n".utf8) + Array(Self.uItemLine(id: "2", title: "Toy Story", year: 1995, categories: ["Comedy"]).utf8) + [10]
        dir.write("u.item", bytes: item)
        dir.write("u.data", "1\t1\t5\t881250949\n1\t2\t3\t881250950\n2\t2\t4\t881250949\n")
        dir.write("u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n")
        let catalog = try dir.catalog()
        let s = try catalog.importFiles(ImportRequest(format: .movielens, paths: [dir.path]))
        #expect(s.interactionsAdded == 3 && s.usersAdded == 2 && s.itemsAdded == 2)
        try catalog.pool.read { (db: Database) throws in
            let row = try Row.fetchOne(db, sql: "SELECT title, year, categories FROM items WHERE external_id = '1'")!
            #expect(row[0] as String == "Cité des enfants perdus, La")
            #expect(row[1] as Int == 1995)
            #expect(row[2] as String == "[\"Drama\",\"Sci-Fi\"]")
            #expect(try String.fetchOne(db, sql: "SELECT attributes FROM users WHERE external_id = '2'")?.contains("\"occupation\":\"other\"") == true)
        }
    }

    @Test func importsMovieLensLatestCSV() throws {
        let dir = TempDir()
        dir.write("movies.csv", """
            movieId,title,genres
            1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
            11,"American President, The (1995)",Comedy|Drama|Romance
            12,"Dracula: Dead and Loving It (1995)",Comedy|Horror
            99,"Seven (a.k.a. Se7en) (1995)",(no genres listed)
            100,"The ""Quoted"" Film (2001)",Drama
            """)
        dir.write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,11,4.5,964981247\r\n2,99,3.5,964982224\r\n2,100,1,964982224\r\n")
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .movielens, paths: [dir.path + "/ratings.csv", dir.path + "/movies.csv"]))
        try catalog.pool.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT title FROM items WHERE external_id = '11'") == "American President, The")
            #expect(try String.fetchOne(db, sql: "SELECT title FROM items WHERE external_id = '99'") == "Seven (a.k.a. Se7en)")
            #expect(try String.fetchOne(db, sql: "SELECT categories FROM items WHERE external_id = '99'") == "[]")
            #expect(try String.fetchOne(db, sql: "SELECT title FROM items WHERE external_id = '100'") == "The \"Quoted\" Film")
            #expect(try Double.fetchOne(db, sql: "SELECT value FROM interactions WHERE item = (SELECT idx FROM items WHERE external_id = '11')") == 4.5)
        }
        #expect(try catalog.counts().interactions == 4)
    }

    /// The check: the original u.data/u.item layout, made from RecBole's atomic files, gives the
    /// same counts and titles as the atomic files themselves.
    @Test(.enabled(if: Samples.ml100k != nil, "MovieLens-100k not found (set RECSCOPE_ML100K)"))
    func originalLayoutMatchesAtomicFiles() throws {
        let root = Samples.ml100k!
        let dir = TempDir()
        // u.data: the .inter rows without the header.
        let inter = try String(contentsOfFile: root + "/ml-100k.inter", encoding: .utf8)
        dir.write("u.data", inter.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n")
        // u.item: title plus "(year)" and a matching release date, genre flags from the class column.
        var itemLines: [String] = []
        for line in try String(contentsOfFile: root + "/ml-100k.item", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let year = Int(f[2]).flatMap { $0 >= 1000 && $0 <= 9999 ? $0 : nil }
            itemLines.append(Self.uItemLine(id: f[0], title: f[1], year: year, categories: f[3].split(separator: " ").map(String.init)))
        }
        dir.write("u.item", bytes: Array(itemLines.joined(separator: "\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) + [10])
        let atomic = try dir.catalog("atomic.sqlite")
        _ = try atomic.importFiles(ImportRequest(format: .recbole, paths: [root + "/ml-100k.inter", root + "/ml-100k.item"]))
        let original = try dir.catalog("original.sqlite")
        _ = try original.importFiles(ImportRequest(format: .movielens, paths: [dir.path + "/u.data", dir.path + "/u.item"]))
        let a = try atomic.counts(), o = try original.counts()
        #expect(o.users == 943 && o.items == 1682 && o.interactions == 100_000)
        #expect(a.users == o.users && a.items == o.items && a.interactions == o.interactions && a.sessions == o.sessions)
        let sql = "SELECT external_id || '|' || COALESCE(title, '') FROM items ORDER BY CAST(external_id AS INTEGER)"
        let ta = try atomic.pool.read { try String.fetchAll($0, sql: sql) }
        let to = try original.pool.read { try String.fetchAll($0, sql: sql) }
        #expect(ta.count == to.count)
        let differing = zip(ta, to).filter { $0 != $1 }.map { "\($0.0) vs \($0.1)" }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
        #expect(try original.integrityCheck() == "ok")
    }
}
