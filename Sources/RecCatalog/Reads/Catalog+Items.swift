import GRDB
import RecCore

/// Every item's external id, title, categories and popularity, by dense index.
public struct ItemListing: Sendable {
    public var ids: [String] = []
    /// The title, or "" when the item has none.
    public var titles: [String] = []
    public var years: [Int?] = []
    public var categories: [[String]] = []
    /// Interactions with the item (kept by the importer).
    public var popularity: [Int] = []

    public init() {}

    public var count: Int { ids.count }

    /// Appends one item (the next dense index).
    public mutating func append(id: String, title: String, year: Int?, categories: [String], popularity: Int) {
        ids.append(id)
        titles.append(title)
        years.append(year)
        self.categories.append(categories)
        self.popularity.append(popularity)
    }
}

/// An item's text beyond its title: what its detail shows and what content embeddings read.
public struct ItemText: Sendable, Hashable {
    public var title: String
    public var year: Int?
    public var description: String?
    /// Free attributes, sorted by name (`ItemFields.attributes`).
    public var attributes: [Attribute]

    public init(title: String, year: Int?, description: String?, attributes: [Attribute]) {
        self.title = title
        self.year = year
        self.description = description
        self.attributes = attributes
    }
}

extension Catalog {
    /// Reads the items table in index order; the indices must be 0..<count (the importer assigns them so).
    public func itemListing() throws -> ItemListing {
        try pool.read { db in
            var listing = ItemListing()
            try SQLiteQuery.each(db, "SELECT idx, external_id, title, year, categories, interactions FROM items ORDER BY idx") { row in
                guard row.int(0) == listing.count else {
                    throw CatalogError("items.idx is not dense (found \(row.int(0)) at position \(listing.count)); the catalog was edited by hand")
                }
                listing.append(id: row.text(1) ?? "", title: row.text(2) ?? "", year: row.optionalInt(3),
                               categories: ItemFields.categories(row.text(4)), popularity: row.int(5))
            }
            return listing
        }
    }

    /// The dense index of each of `ids` that names an item (ids without an item are left out).
    public func itemIndices(_ ids: [String]) throws -> [String: Int32] {
        try pool.read { db in
            var out: [String: Int32] = [:]
            try Self.eachChunkIn(db, "SELECT idx, external_id FROM items WHERE external_id IN", ids) { row in
                out[row["external_id"]] = Int32(row["idx"] as Int64)
            }
            return out
        }
    }

    /// Titles of the items with dense indices `indices` (items without a title are left out).
    public func itemTitles(_ indices: [Int32]) throws -> [Int32: String] {
        try pool.read { db in
            var out: [Int32: String] = [:]
            try Self.eachChunkIn(db, "SELECT idx, title FROM items WHERE title IS NOT NULL AND idx IN", indices.map { Int64($0) }) { row in
                out[Int32(row["idx"] as Int64)] = row["title"]
            }
            return out
        }
    }

    /// Runs `select` + ` (?, …)` over `values` 500 at a time (well under SQLite's limit on bound parameters),
    /// calling `body` for every row.
    static func eachChunkIn<Value: DatabaseValueConvertible>(_ db: Database, _ select: String, _ values: [Value],
                                                             _ body: (Row) throws -> Void) throws {
        var start = 0
        while start < values.count {
            let chunk = values[start..<min(values.count, start + 500)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "\(select) (\(marks))", arguments: StatementArguments(Array(chunk))) {
                try body(row)
            }
            start += chunk.count
        }
    }

    /// Every item's categories as indices into `names` (sorted category names), by item index.
    public func itemCategoryLists() throws -> (names: [String], lists: [[Int32]]) {
        try pool.read { db in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            let names = try String.fetchAll(db, sql: "SELECT DISTINCT category FROM item_categories ORDER BY category")
            let index = Vocabulary(ids: names)
            var lists = [[Int32]](repeating: [], count: items)
            let rows = try Row.fetchCursor(db, sql: "SELECT item, category FROM item_categories ORDER BY item, category")
            while let row = try rows.next() {
                let item: Int = row["item"], name: String = row["category"]
                guard item >= 0 && item < items, let c = index.lookup(name) else {
                    throw CatalogError("item_categories names item \(item), outside the \(items) items; the catalog was edited by hand")
                }
                lists[item].append(c)
            }
            return (names, lists)
        }
    }

    /// The text of item `index` (nil when there is no such item).
    public func itemText(_ index: Int32) throws -> ItemText? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT title, year, description, attributes FROM items WHERE idx = ?",
                             arguments: [Int64(index)]).map(Self.itemText)
        }
    }

    /// Every item's text, by dense index.
    public func itemTexts() throws -> [ItemText] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT title, year, description, attributes FROM items ORDER BY idx").map(Self.itemText)
        }
    }

    private static func itemText(_ row: Row) -> ItemText {
        ItemText(title: row["title"] ?? "", year: row["year"], description: row["description"],
                 attributes: ItemFields.attributes(row["attributes"]))
    }
}
