import GRDB

extension Catalog {
    /// Titles of the items with dense indices `indices` (items without a title are left out).
    public func itemTitles(_ indices: [Int32]) throws -> [Int32: String] {
        try pool.read { db in
            var out: [Int32: String] = [:]
            var start = 0
            while start < indices.count {
                let chunk = indices[start..<min(indices.count, start + 500)]
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: "SELECT idx, title FROM items WHERE idx IN (\(marks)) AND title IS NOT NULL",
                                            arguments: StatementArguments(chunk.map { Int64($0) }))
                for row in rows { out[Int32(row["idx"] as Int64)] = row["title"] }
                start += chunk.count
            }
            return out
        }
    }
}
