import Foundation
import GRDB
import RecCore

/// One stored embedding space: its name, how many item vectors and their dimension.
public struct EmbeddingSpaceSummary: Sendable, Equatable {
    public let space: String
    public let items: Int
    public let dimension: Int
}

extension Catalog {
    /// Replaces the item embeddings of `space` with one row per item (`embeddings` rows of kind 'item',
    /// `idx` = item index, little-endian float32 BLOB), in one transaction: all or nothing.
    public func saveItemEmbeddings(_ vectors: DenseMatrix, space: String) throws {
        guard !space.isEmpty else { throw CatalogError("an embedding space needs a name") }
        try pool.write { db in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            guard items == vectors.rows else {
                throw CatalogError("embeddings for space '\(space)' cover \(vectors.rows) items; the catalog has \(items): rebuild or re-import them")
            }
            try db.execute(sql: "DELETE FROM embeddings WHERE space = ? AND kind = 'item'", arguments: [space])
            let insert = try SQLiteStatement(db, "INSERT INTO embeddings(space, kind, idx, vector) VALUES (?, 'item', ?, ?)")
            for item in 0..<vectors.rows {
                insert.bind(1, space)
                insert.bind(2, Int64(item))
                insert.bind(3, blob: _littleEndianBlob(vectors.rowArray(item)))
                try insert.step()
            }
        }
    }

    /// The item embeddings of `space` as an items × d matrix, or nil when none are stored.
    public func loadItemEmbeddings(space: String) throws -> DenseMatrix? {
        try pool.read { db in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, vector FROM embeddings WHERE space = ? AND kind = 'item' ORDER BY idx",
                                           arguments: [space])
            var matrix: DenseMatrix?
            var seen = 0
            while let row = try rows.next() {
                let idx: Int = row[0]
                let data: Data = row[1] ?? Data()
                guard data.count % 4 == 0, data.count > 0 else {
                    throw CatalogError("embedding of item \(idx) in space '\(space)' is \(data.count) bytes, not a float32 vector; rebuild it")
                }
                let dimension = data.count / 4
                if matrix == nil { matrix = DenseMatrix(rows: items, cols: dimension) }
                guard idx == seen, idx < items, matrix!.cols == dimension else {
                    throw CatalogError("embeddings of space '\(space)' skip items or mix sizes at item \(idx) (expected item \(seen), \(matrix!.cols) values); rebuild them")
                }
                let values = _floats(fromLittleEndian: data)
                matrix!.mutableRow(idx).update(from: values, count: dimension)
                seen += 1
            }
            guard let matrix else { return nil }
            guard seen == items else {
                throw CatalogError("embeddings of space '\(space)' cover \(seen) of \(items) items; rebuild or re-import them")
            }
            return matrix
        }
    }

    /// Every stored item embedding space, by name.
    public func itemEmbeddingSpaces() throws -> [EmbeddingSpaceSummary] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT space, count(*) AS items, max(length(vector)) / 4 AS dimension
                FROM embeddings WHERE kind = 'item' GROUP BY space ORDER BY space
                """)
            return rows.map { EmbeddingSpaceSummary(space: $0["space"], items: $0["items"], dimension: $0["dimension"]) }
        }
    }

    /// Every item's external id, by dense index.
    public func itemIDs() throws -> [String] {
        try pool.read { try Self.denseIDs($0, table: "items") }
    }
}
