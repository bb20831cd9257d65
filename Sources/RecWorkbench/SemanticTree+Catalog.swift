import RecCatalog
import RecModels

extension Catalog {
    /// The code tree of `space` with every item's title, categories and popularity, and the items
    /// themselves (by dense index); nil when the space has no stored semantic IDs.
    public func semanticTree(space: String) throws -> (tree: SemanticTree, items: ItemListing)? {
        guard let stored = try loadSemanticIDs(space: space) else { return nil }
        let items = try itemListing()
        guard items.count == stored.itemCount else {
            throw CatalogError("semantic IDs of space '\(space)' cover \(stored.itemCount) items; the catalog has \(items.count): rebuild them with recscope sid build --space \(space)")
        }
        let tree = SemanticTree(ids: SemanticIDs(stored), categories: items.categories, titles: items.titles,
                                popularity: items.popularity)
        return (tree, items)
    }
}
