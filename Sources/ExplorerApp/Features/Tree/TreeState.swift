import RecModels
import RecWorkbench
import TUIKit

/// The Tree pane's part of the state: which space, its tree once loaded, what is expanded and selected.
public struct TreeState: FeatureState {
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
    /// The item whose path was revealed last; the detail box points it out.
    public var focusedItem: String? = nil
    /// Whether this visit of the pane asked for the tree (asked again on the next visit while there is none).
    public var askedThisVisit = false
    /// The decode view (`d`): sidgen's beam for the selected user.
    public var decode = TreeDecodeState()

    public init() {}

    /// The rows shown, and the selected one's position among them.
    public var rows: [VisibleNode] { tree?.visibleNodes(expanded: expanded) ?? [] }

    public func selectedIndex(in rows: [VisibleNode]) -> Int {
        rows.firstIndex { $0.node == selectedNode } ?? 0
    }
}

extension AppState {
    public var tree: TreeState {
        get { panes[TreeState.self] }
        _modify { yield &panes[TreeState.self] }
    }

    var treeLayout: TreeLayout {
        TreeLayout(body: layout.body, levels: tree.tree?.tree.levels ?? 0, spaces: tree.spaces?.count ?? 0)
    }
}

extension View {
    /// Tree: the semantic-ID prefixes of a space, expandable, with a detail box and codebook usage (the root).
    public static let tree = View(feature: "tree", context: "tree")
}

/// The space the Tree pane opens on: 'aligned' when stored (codes that respect both meaning and
/// co-consumption), else the first by name.
func defaultSpace(_ spaces: [String]) -> String? {
    spaces.contains("aligned") ? "aligned" : spaces.first
}

/// The Tree pane: the code tree on the left (a line of spaces over it when there are several), the
/// selected node's detail on the right, and codebook usage per level along the bottom.
struct TreeLayout {
    let tree: Rect
    let detail: Rect
    let usage: Rect
    /// The row naming the spaces (empty with one space).
    let spaceLine: Rect
    /// The tree table: header and rows.
    let table: Rect

    init(body: Rect, levels: Int, spaces: Int) {
        let stripHeight = levels > 0 ? min(levels, 4) + 2 : 0
        let (top, bottom) = body.splitBottom(min(stripHeight, max(0, body.height - 8)))
        usage = bottom
        let c = top.columns([.percent(62), .fill])
        tree = c[0]
        detail = c[1]
        let (line, rest) = Box.inner(tree).splitTop(spaces > 1 ? 1 : 0)
        spaceLine = line
        table = rest
    }
}
