import Foundation
import GRDB
@testable import RecCatalog

/// A fresh temporary folder, removed when the value goes away.
final class TempDir {
    let path: String
    init() {
        var template = Array((NSTemporaryDirectory() + "/recscope-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: made!)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let p = path + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let p = path + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    func catalog(_ name: String = "catalog.sqlite") throws -> Catalog { try Catalog(path: path + "/" + name) }
}

/// A snapshot of everything an import can change, to prove a refused import changed nothing.
struct CatalogSnapshot: Equatable {
    var rows: [String: Int]
    var checksum: String

    init(_ catalog: Catalog) throws {
        var rows: [String: Int] = [:]
        var parts: [String] = []
        try catalog.pool.read { (db: Database) throws in
            for table in ["users", "items", "interactions", "item_posting_blocks", "item_postings", "sessions", "imports", "item_categories"] {
                rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            parts += try String.fetchAll(db, sql: "SELECT external_id || '|' || COALESCE(title,'') || '|' || categories FROM items ORDER BY idx")
            parts += try String.fetchAll(db, sql: "SELECT user || ',' || item || ',' || ts || ',' || COALESCE(session,'') FROM interactions ORDER BY id")
        }
        self.rows = rows
        checksum = String(parts.joined(separator: "\n").hashValue)
    }
}

enum Samples {
    static let item = """
    item_id:token\ttitle:token_seq\trelease_year:token\tclass:token_seq\tlanguage:token
    i1\tThe Silent Harbor\t1999\tDrama Mystery\ten
    i2\tNeon Requiem\t2021\tSci-Fi\ten
    i3\t東京の夜\t2015\tDrama\tja
    """
    static let user = """
    user_id:token\tage:token\tgender:token
    u1\t34\tF
    u2\t27\tM
    """
    static let inter = """
    user_id:token\titem_id:token\trating:float\ttimestamp:float
    u1\ti1\t4\t1000
    u1\ti2\t5\t1000
    u1\ti3\t3\t1100
    u2\ti2\t2\t5000
    u2\ti1\t4\t9000
    """

    /// Where MovieLens-100k in RecBole's atomic format is, if this machine has it (never committed).
    static var ml100k: String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["RECSCOPE_ML100K"] { candidates.append(env) }
        candidates += ["/work/data/ml-100k", NSHomeDirectory() + "/.cache/recscope/ml-100k"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/ml-100k.inter") }
    }
}
