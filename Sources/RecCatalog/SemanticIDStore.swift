import Foundation
import GRDB
import RecCore

/// Semantic IDs as the catalog stores them: a codebook per level and every item's code path.
///
/// `codebooks` holds one row per (space, level, code) with the centroid as a little-endian float32
/// BLOB; `semantic_ids` one row per item with its path and disambiguation code as `12-7-201-0`.
public struct StoredSemanticIDs: Sendable, Equatable {
    /// Level l's centroids, one row per code.
    public let codebooks: [DenseMatrix]
    /// Item i's level codes are `codes[i * levels ..< (i + 1) * levels]`.
    public let codes: [Int32]
    /// Item i's disambiguation code.
    public let disambiguation: [Int32]

    public init(codebooks: [DenseMatrix], codes: [Int32], disambiguation: [Int32]) {
        precondition(!codebooks.isEmpty && codes.count == disambiguation.count * codebooks.count,
                     "stored semantic IDs need levels × items codes and one disambiguation code per item")
        self.codebooks = codebooks
        self.codes = codes
        self.disambiguation = disambiguation
    }

    public var levels: Int { codebooks.count }
    public var itemCount: Int { disambiguation.count }
}

extension Catalog {
    /// Replaces the semantic IDs of `space` (codebooks and every item's path) in one transaction.
    public func saveSemanticIDs(_ ids: StoredSemanticIDs, space: String) throws {
        try pool.write { db in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            guard items == ids.itemCount else {
                throw CatalogError("semantic IDs of space '\(space)' cover \(ids.itemCount) items; the catalog has \(items): rebuild them with recscope sid build")
            }
            try db.execute(sql: "DELETE FROM codebooks WHERE space = ?", arguments: [space])
            try db.execute(sql: "DELETE FROM semantic_ids WHERE space = ?", arguments: [space])
            let centroid = try SQLiteStatement(db, "INSERT INTO codebooks(space, level, code, centroid) VALUES (?, ?, ?, ?)")
            for (level, book) in ids.codebooks.enumerated() {
                for code in 0..<book.rows {
                    centroid.bind(1, space)
                    centroid.bind(2, Int64(level))
                    centroid.bind(3, Int64(code))
                    centroid.bind(4, blob: _littleEndianBlob(book.rowArray(code)))
                    try centroid.step()
                }
            }
            let path = try SQLiteStatement(db, "INSERT INTO semantic_ids(space, item, codes) VALUES (?, ?, ?)")
            let levels = ids.levels
            for item in 0..<ids.itemCount {
                var parts = ids.codes[item * levels ..< (item + 1) * levels].map(String.init)
                parts.append(String(ids.disambiguation[item]))
                path.bind(1, space)
                path.bind(2, Int64(item))
                path.bind(3, parts.joined(separator: "-"))
                try path.step()
            }
        }
    }

    /// The spaces that have stored semantic IDs, by name.
    public func semanticIDSpaces() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT space FROM codebooks ORDER BY space")
        }
    }

    /// The semantic IDs of `space`, or nil when none are stored.
    public func loadSemanticIDs(space: String) throws -> StoredSemanticIDs? {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT level, code, centroid FROM codebooks WHERE space = ? ORDER BY level, code",
                                        arguments: [space])
            if rows.isEmpty { return nil }
            var perLevel: [[[Float]]] = []
            for row in rows {
                let level: Int = row["level"], code: Int = row["code"]
                let data: Data = row["centroid"] ?? Data()
                if level == perLevel.count { perLevel.append([]) }
                guard level == perLevel.count - 1, code == perLevel[level].count else {
                    throw CatalogError("codebooks of space '\(space)' skip a level or code at level \(level), code \(code); rebuild with recscope sid build")
                }
                perLevel[level].append(_floats(fromLittleEndian: data))
            }
            let dimension = perLevel[0][0].count
            var books: [DenseMatrix] = []
            for (level, centroids) in perLevel.enumerated() {
                guard centroids.allSatisfy({ $0.count == dimension }) else {
                    throw CatalogError("codebook level \(level) of space '\(space)' mixes vector sizes (expected \(dimension)); rebuild with recscope sid build")
                }
                books.append(DenseMatrix(rows: centroids.count, cols: dimension, values: centroids.flatMap { $0 }))
            }
            let levels = books.count
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            var codes = [Int32](repeating: -1, count: items * levels)
            var disambiguation = [Int32](repeating: -1, count: items)
            let paths = try Row.fetchCursor(db, sql: "SELECT item, codes FROM semantic_ids WHERE space = ?", arguments: [space])
            var seen = 0
            while let row = try paths.next() {
                let item: Int = row["item"], text: String = row["codes"]
                let parts = text.split(separator: "-").map { Int32($0) }
                guard item >= 0, item < items, parts.count == levels + 1, !parts.contains(nil) else {
                    throw CatalogError("semantic_ids row of item \(item) in space '\(space)' reads '\(text)', expected \(levels + 1) codes; rebuild with recscope sid build")
                }
                for l in 0..<levels {
                    let code = parts[l]!
                    guard code >= 0, Int(code) < books[l].rows else {
                        throw CatalogError("semantic_ids row of item \(item) in space '\(space)' uses code \(code) at level \(l), outside its codebook of \(books[l].rows)")
                    }
                    codes[item * levels + l] = code
                }
                disambiguation[item] = parts[levels]!
                seen += 1
            }
            guard seen == items else {
                throw CatalogError("semantic IDs of space '\(space)' cover \(seen) of \(items) items; rebuild with recscope sid build")
            }
            return StoredSemanticIDs(codebooks: books, codes: codes, disambiguation: disambiguation)
        }
    }
}
