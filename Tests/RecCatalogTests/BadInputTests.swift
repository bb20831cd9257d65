import Foundation
import Testing
@testable import RecCatalog

/// Every refused import names the file and line, says what was expected, and leaves the catalog as it was.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let format: ImportRequest.Format
        /// File name → contents (as bytes).
        let files: [(String, [UInt8])]
        let line: Int?
        let expected: String
        var testDescription: String { name }
    }

    static func text(_ s: String) -> [UInt8] { Array(s.utf8) }
    static let interHeader = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"

    static let cases: [Case] = [
        Case(name: "wrong column count", format: .recbole,
             files: [("x.inter", text(interHeader + "u1\ti1\t4\t100\nu1\ti2\t4\n"))], line: 3, expected: "expected 4 tab-separated fields"),
        Case(name: "unparseable number", format: .recbole,
             files: [("x.inter", text(interHeader + "u1\ti1\tfour\t100\n"))], line: 2, expected: "column 'rating' expected a number, found 'four'"),
        Case(name: "unparseable timestamp", format: .recbole,
             files: [("x.inter", text(interHeader + "u1\ti1\t4\t2024-01-01\n"))], line: 2, expected: "column 'timestamp' expected a number"),
        Case(name: "header without types", format: .recbole,
             files: [("x.inter", text("user_id\titem_id\nu1\ti1\n"))], line: 1, expected: "has no type (expected name:type"),
        Case(name: "unknown type", format: .recbole,
             files: [("x.inter", text("user_id:token\titem_id:tokn\nu1\ti1\n"))], line: 1, expected: "unknown type 'tokn'"),
        Case(name: "missing user_id column", format: .recbole,
             files: [("x.inter", text("uid:token\titem_id:token\nu1\ti1\n"))], line: 1, expected: "no 'user_id' column"),
        Case(name: "item missing from the .item file", format: .recbole,
             files: [("x.item", text("item_id:token\ttitle:token_seq\ni1\tOne\n")),
                     ("x.inter", text(interHeader + "u1\ti1\t4\t100\nu1\tzz\t4\t100\n"))],
             line: 3, expected: "item_id 'zz' is not in the .item file"),
        Case(name: "duplicate item ids", format: .recbole,
             files: [("x.item", text("item_id:token\ttitle:token_seq\ni1\tOne\ni2\tTwo\ni1\tAgain\n")),
                     ("x.inter", text(interHeader + "u1\ti1\t4\t100\n"))],
             line: 4, expected: "duplicate item_id 'i1' (first on line 2)"),
        Case(name: "duplicate user ids", format: .recbole,
             files: [("x.user", text("user_id:token\tage:token\nu1\t3\nu1\t4\n")),
                     ("x.inter", text(interHeader + "u1\ti1\t4\t100\n"))],
             line: 3, expected: "duplicate user_id 'u1'"),
        Case(name: "empty inter file", format: .recbole, files: [("x.inter", [])], line: nil, expected: "is empty"),
        Case(name: "header only", format: .recbole, files: [("x.inter", text(interHeader))], line: nil, expected: "no interaction rows"),
        Case(name: "invalid UTF-8 in an item title", format: .recbole,
             files: [("x.item", text("item_id:token\ttitle:token_seq\ni1\tCit") + [0xE9] + text("\n")),
                     ("x.inter", text(interHeader + "u1\ti1\t4\t100\n"))],
             line: 2, expected: "not valid UTF-8"),
        Case(name: "invalid UTF-8 in an id", format: .recbole,
             files: [("x.inter", text(interHeader + "u") + [0xFF, 0xFE] + text("\ti1\t4\t100\n"))], line: 2, expected: "not valid UTF-8"),
        Case(name: "NaN rating", format: .recbole,
             files: [("x.inter", text(interHeader + "u1\ti1\tnan\t100\n"))], line: 2, expected: "expected a number"),
        Case(name: "u.data with three fields", format: .movielens,
             files: [("u.data", text("1\t2\t3\t4\n1\t2\t3\n"))], line: 2, expected: "expected 4 tab-separated fields"),
        Case(name: "u.item genre flag", format: .movielens,
             files: [("u.item", text("1|T (1995)|01-Jan-1995||u|" + Array(repeating: "0", count: 18).joined(separator: "|") + "|x\n")),
                     ("u.data", text("1\t1\t3\t4\n"))], line: 1, expected: "genre flag 'Western' expected 0 or 1"),
        Case(name: "ratings.csv wrong header", format: .movielens,
             files: [("ratings.csv", text("user,movie,rating,timestamp\n1,2,3,4\n"))], line: 1, expected: "expected the header 'userId,movieId,rating,timestamp'"),
        Case(name: "unterminated quote", format: .csv,
             files: [("x.csv", text("user_id,item_id\nu1,\"i1\nu2,i2\n"))], line: 2, expected: "unterminated quoted field"),
        Case(name: "bad ISO time", format: .csv,
             files: [("x.csv", text("user_id,item_id,timestamp\nu1,i1,2024-02-30x\n"))], line: 2, expected: "expected seconds since 1970 or an ISO 8601"),
        Case(name: "missing mapped column", format: .csv,
             files: [("x.csv", text("customer,item_id\nu1,i1\n"))], line: 1, expected: "header has no column 'user_id'"),
    ]

    @Test(arguments: cases)
    func refusesWithFileLineAndLeavesCatalogUnchanged(_ c: Case) throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        // Something already in the catalog, which must survive the refused import untouched.
        let seed = dir.write("seed.inter", Samples.inter)
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [seed]))
        let before = try CatalogSnapshot(catalog)
        try FileManager.default.createDirectory(atPath: dir.path + "/in", withIntermediateDirectories: true)
        var paths: [String] = []
        for (name, bytes) in c.files { paths.append(dir.write("in/" + name, bytes: bytes)) }
        let request = ImportRequest(format: c.format, paths: c.format == .csv ? [paths[0]] : paths)
        let error = #expect(throws: ImportError.self) { try catalog.importFiles(request) }
        #expect(error?.line == c.line, "line of \(error?.description ?? "-")")
        #expect(error?.message.contains(c.expected) == true, "message: \(error?.description ?? "-")")
        #expect(error?.file.hasPrefix(dir.path + "/in/") == true)
        #expect(try CatalogSnapshot(catalog) == before)
        #expect(try catalog.integrityCheck() == "ok")
    }

    @Test func refusesDirectoryAndMissingFile() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        try FileManager.default.createDirectory(atPath: dir.path + "/d.inter", withIntermediateDirectories: true)
        let e1 = #expect(throws: ImportError.self) {
            try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path + "/d.inter"]))
        }
        #expect(e1?.message.contains("directory") == true)
        let e2 = #expect(throws: ImportError.self) {
            try catalog.importFiles(ImportRequest(format: .recbole, paths: [dir.path + "/nope.inter"]))
        }
        #expect(e2?.message.contains("no such file") == true)
        #expect(try catalog.counts().interactions == 0)
    }

    @Test func refusesAFileThatIsNotACatalog() throws {
        let dir = TempDir()
        let path = dir.write("not.sqlite", "this is not a database, just text that is long enough to matter............")
        #expect(throws: CatalogError.self) { try Catalog(path: path) }
    }
}
