import Foundation
import GRDB

/// What the catalog says about one item, for the simulator: title, year, categories, popularity.
public struct ItemFacts: Sendable, Equatable {
    public let id: String
    public let title: String
    /// 0 when unknown.
    public let year: Int32
    public let categories: [String]
    /// Interactions with the item (its popularity).
    public let interactions: Int
}

extension Catalog {
    /// Facts of every item, by dense index.
    public func itemFacts() throws -> [ItemFacts] {
        try pool.read { db in
            var out: [ItemFacts] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id, title, year, categories, interactions FROM items ORDER BY idx")
            while let row = try rows.next() {
                let idx: Int = row[0]
                guard idx == out.count else { throw CatalogError("items.idx is not dense (found \(idx) at position \(out.count)); the catalog was edited by hand") }
                let categories = Self.categoryList(row[4] as String?)
                let year = Int32(truncatingIfNeeded: (row[3] as Int64?) ?? 0)
                out.append(ItemFacts(id: row[1], title: (row[2] as String?) ?? "", year: year, categories: categories,
                                     interactions: row[5]))
            }
            return out
        }
    }

    /// The strings of the `categories` JSON array (empty when it is not one).
    static func categoryList(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}
