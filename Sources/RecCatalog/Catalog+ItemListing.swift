import Foundation
import GRDB

/// Every item's external id, title, categories and popularity, by dense index.
public struct ItemListing: Sendable {
    public var ids: [String] = []
    /// The title, or "" when the item has none.
    public var titles: [String] = []
    public var years: [Int?] = []
    public var categories: [[String]] = []
    /// Interactions with the item (kept by the importer).
    public var popularity: [Int] = []

    public var count: Int { ids.count }
}

extension Catalog {
    /// Reads the items table in index order; the indices must be 0..<count (the importer assigns them so).
    public func itemListing() throws -> ItemListing {
        try pool.read { db in
            var listing = ItemListing()
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id, title, year, categories, interactions FROM items ORDER BY idx")
            while let row = try rows.next() {
                let idx: Int = row[0]
                guard idx == listing.count else {
                    throw CatalogError("items.idx is not dense (found \(idx) at position \(listing.count)); the catalog was edited by hand")
                }
                listing.ids.append(row[1])
                listing.titles.append((row[2] as String?) ?? "")
                listing.years.append(row[3])
                listing.categories.append(Self.categoryNames(row[4]))
                listing.popularity.append(row[5])
            }
            return listing
        }
    }

    /// The names in a JSON array of strings (the `categories` column); empty when it is not one.
    static func categoryNames(_ json: String?) -> [String] {
        guard let json else { return [] }
        if !json.utf8.contains(UInt8(ascii: "\\")), json.utf8.first == UInt8(ascii: "["), json.utf8.last == UInt8(ascii: "]") {
            // What the importer writes for plain names: ["a","b"] without escapes; the quoted parts are the names.
            return json.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        guard let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}
