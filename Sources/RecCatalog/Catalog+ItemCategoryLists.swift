import GRDB

extension Catalog {
    /// Every item's categories as indices into `names` (sorted category names), by item index.
    public func itemCategoryLists() throws -> (names: [String], lists: [[Int32]]) {
        try pool.read { db in
            let items = try Int.fetchOne(db, sql: "SELECT count(*) FROM items") ?? 0
            let names = try String.fetchAll(db, sql: "SELECT DISTINCT category FROM item_categories ORDER BY category")
            var index: [String: Int32] = [:]
            for (n, name) in names.enumerated() { index[name] = Int32(n) }
            var lists = [[Int32]](repeating: [], count: items)
            let rows = try Row.fetchCursor(db, sql: "SELECT item, category FROM item_categories ORDER BY item, category")
            while let row = try rows.next() {
                let item: Int = row[0], name: String = row[1]
                guard item >= 0 && item < items, let c = index[name] else {
                    throw CatalogError("item_categories names item \(item), outside the \(items) items; the catalog was edited by hand")
                }
                lists[item].append(c)
            }
            return (names, lists)
        }
    }
}
