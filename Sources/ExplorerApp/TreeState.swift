import RecModels
import RecWorkbench

/// The Tree pane's state: which space, its tree once loaded, what is expanded and selected.
public struct TreeState: Hashable, Sendable {
    /// The spaces with semantic IDs, by name; nil until the first load answered.
    public var spaces: [String]? = nil
    /// The space shown (nil: let the loader choose).
    public var space: String? = nil
    public var tree: CodeTree? = nil
    public var isLoading = false
    /// A `b` build of semantic IDs is running (the pane says so; the tree loads when it ends).
    public var isBuilding = false
    public var failure: String? = nil
    public var expanded: Set<Int> = []
    public var selectedNode: Int? = nil
    /// An item or a prefix to reveal once the tree has loaded (from `t` in Items, or `:sid 12-7`).
    public var pendingItem: String? = nil
    public var pendingPrefix: String? = nil
    /// The item whose path was revealed last; the detail box points it out.
    public var focusedItem: String? = nil

    public init() {}

    /// The rows shown, and the selected one's position among them.
    public var rows: [VisibleNode] { tree?.visibleNodes(expanded: expanded) ?? [] }

    public func selectedIndex(in rows: [VisibleNode]) -> Int {
        rows.firstIndex { $0.node == selectedNode } ?? 0
    }
}

/// The items list narrowed to one node of the tree (opened from the Tree pane).
public struct ItemFilter: Hashable, Sendable {
    /// `12-7 · aligned`.
    public var label: String
    /// Every item of the node, in the items list's current order.
    public var rows: [ItemRow]
}

/// The space the Tree pane opens on: 'aligned' when stored (codes that respect both meaning and
/// co-consumption), else the first by name.
func defaultSpace(_ spaces: [String]) -> String? {
    spaces.contains("aligned") ? "aligned" : spaces.first
}

extension ItemSort {
    /// `rows` in this order, ties by id (as the data sources order their lists).
    func sorted(_ rows: [ItemRow]) -> [ItemRow] {
        let idLess = ExplorerDataSourceContract.idLess
        return rows.sorted { a, b in
            switch self {
            case .id: return idLess(a.id, b.id)
            case .popularityDescending: return a.popularity != b.popularity ? a.popularity > b.popularity : idLess(a.id, b.id)
            case .title: return a.title != b.title ? a.title < b.title : idLess(a.id, b.id)
            }
        }
    }
}
