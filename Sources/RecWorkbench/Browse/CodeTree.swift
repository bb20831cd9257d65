import RecCore
import RecModels

/// A space's semantic-ID tree as the explorer shows it: the tree and its items as list rows.
///
/// Built once off the UI thread and shared by reference; two values are equal when they are the same
/// load (comparing 100k-item trees element by element on every state change would be waste).
public final class CodeTree: Hashable, Sendable {
    public let space: String
    public let tree: SemanticTree
    /// The items by dense index (the tree's item numbers), as the items list shows them.
    public let items: [ItemRow]
    let position: Vocabulary

    /// Builds the tree of `ids` over `items` (by dense index); titles, categories and popularity come
    /// from the rows.
    public init(space: String, ids: SemanticIDs, items: [ItemRow]) {
        precondition(ids.itemCount == items.count, "semantic IDs of \(ids.itemCount) items for \(items.count) rows")
        self.space = space
        self.items = items
        tree = SemanticTree(ids: ids, categories: items.map(\.categories), titles: items.map(\.title),
                            popularity: items.map(\.popularity))
        position = Vocabulary(ids: items.map(\.id))
    }

    /// The dense index of the item with external id `id`.
    public func index(ofItem id: String) -> Int? { position.lookup(id).map(Int.init) }

    /// The rows the tree pane shows: the root's children and, inside expanded nodes, theirs, depth first.
    public func visibleNodes(expanded: Set<Int>) -> [VisibleNode] {
        var out: [VisibleNode] = []
        func add(_ node: Int, depth: Int) {
            out.append(VisibleNode(node: node, depth: depth))
            guard expanded.contains(node) else { return }
            for child in tree.children(of: node) { add(child, depth: depth + 1) }
        }
        for child in tree.children(of: tree.root) { add(child, depth: 0) }
        return out
    }

    public static func == (a: CodeTree, b: CodeTree) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// One row of the tree pane: a node and how deep it is drawn (0 for level 1).
public struct VisibleNode: Hashable, Sendable {
    public var node: Int
    public var depth: Int
}

/// What `loadCodeTree` found: the stored spaces, the space shown and its tree (nil when there is none).
public struct CodeTreeLoad: Hashable, Sendable {
    public var spaces: [String]
    public var space: String?
    public var tree: CodeTree?
    public var failure: String?

    public init(spaces: [String], space: String?, tree: CodeTree?, failure: String? = nil) {
        self.spaces = spaces
        self.space = space
        self.tree = tree
        self.failure = failure
    }
}
