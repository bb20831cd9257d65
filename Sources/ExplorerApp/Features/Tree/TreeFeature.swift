import RecModels
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let expand: AppCommand = "expand"
    public static let collapse: AppCommand = "collapse"
    public static let nodeItems: AppCommand = "node-items"
    public static let nextSpace: AppCommand = "next-space"
    public static let buildSemanticIDs: AppCommand = "build-sids"
}

/// Tree: the semantic-ID code tree of a space: prefixes to expand, their items and categories, a detail
/// box and codebook usage per level.
public enum TreeFeature: Feature {
    public static let title = "Tree"
    public static let summary = "The semantic-ID tree: prefixes, their items and categories"
    public static let root = View.tree

    public static func register(_ c: inout Commands) {
        c.bind("Enter", "l", "Right", to: .expand, help: "Expand the node; on an open node, go to its first child", context: "tree")
        c.bind("Esc", "h", "Left", "Backspace", to: .collapse, help: "Collapse the node; on a closed one, go to its parent", context: "tree")
        c.bind("i", to: .nodeItems, help: "Show the node's items in the Items pane", context: "tree")
        c.bind("s", to: .nextSpace, help: "Show the next space of semantic IDs", context: "tree")
        c.bind("b", to: .buildSemanticIDs, help: "Build the aligned space's semantic IDs now (as recscope sid build)", context: "tree")
        c.hint("tree", .keys([.moveDown, .moveUp], "move"), .keys([.expand], key: "l", "open"), .keys([.collapse], key: "h", "close"),
               .keys([.nodeItems], "items"), .keys([.nextSpace], "space"), .keys([.decode], "decode"), .keys([.help], "help"))
        TreeDecode.register(&c)
        c.verb("sid", argument: "PREFIX", optional: true, help: "Open the tree (at a prefix, e.g. :sid 12-7)") { prefix, state in
            if let prefix { state.selection.treeTarget = .prefix(prefix) }
            return Explorer.show(TreeFeature.self, &state)
        }
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        if view.context == "tree-decode" { return TreeDecode.perform(command, in: view, &state) }
        if command == .decode { return TreeDecode.open(&state) }
        if let delta = Explorer.delta(of: command, in: view, state) {
            let rows = state.tree.rows
            guard !rows.isEmpty else { return [] }
            let index = state.tree.selectedIndex(in: rows).addingReportingOverflow(delta).partialValue
            state.tree.selectedNode = rows[Explorer.clamp(index, count: rows.count)].node
            return []
        }
        switch command {
        case .expand, .drillDown: return expand(&state)
        case .collapse, .back: return collapse(&state)
        case .nodeItems: return openNodeItems(&state)
        case .nextSpace: return nextSpace(&state)
        case .buildSemanticIDs: return build(&state)
        default: return nil
        }
    }

    /// While shown: the tree (asked for again while the catalog has none, so one built since is found),
    /// then what the selection asks to reveal.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible else {
            state.tree.askedThisVisit = false
            return []
        }
        if state.top == .treeDecode { return TreeDecode.sync(&state) }
        if state.tree.tree == nil, !state.tree.isLoading, !state.tree.askedThisVisit {
            state.tree.askedThisVisit = true
            state.tree.isLoading = true
            state.tree.failure = nil
            return [Effect(LoadCodeTree(space: state.tree.space))]
        }
        revealTarget(&state)
        return []
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        if view.context == "tree-decode" { return TreeDecode.render(state, in: area, on: &canvas) }
        TreePane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] {
        if view.context == "tree-decode" { return ["tree", "decode"] + (state.selection.user.map { [$0] } ?? []) }
        var parts = ["tree"] + (state.tree.space.map { [$0] } ?? [])
        if let tree = state.tree.tree?.tree, let node = state.tree.selectedNode, node != tree.root { parts.append(tree.prefix(of: node)) }
        return parts
    }

    public static func position(_ view: View, _ state: AppState) -> String {
        let rows = state.tree.rows
        return rows.isEmpty ? "" : "\(state.tree.selectedIndex(in: rows) + 1)/\(rows.count)"
    }

    public static func pageRows(_ view: View, _ state: AppState) -> Int { max(1, state.treeLayout.table.height - 1) }

    /// A click on a row of the tree selects its node.
    public static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect] {
        let table = state.treeLayout.table
        let rows = state.tree.rows
        guard table.contains(x: event.x, y: event.y),
              let i = ScrollWindow.row(atY: event.y, in: table, selected: state.tree.selectedIndex(in: rows), count: rows.count)
        else { return [] }
        state.stack = [.tree]
        state.tree.selectedNode = rows[i].node
        return []
    }

    /// Expands the selected node; on an open node, selects its first child; on a full path, shows its items.
    static func expand(_ state: inout AppState) -> [Effect] {
        guard let codeTree = state.tree.tree, let node = state.tree.selectedNode else { return [] }
        let children = codeTree.tree.children(of: node)
        if children.isEmpty { return openNodeItems(&state) }
        if state.tree.expanded.contains(node) {
            state.tree.selectedNode = children.first
        } else {
            state.tree.expanded.insert(node)
        }
        return []
    }

    /// Collapses the selected node; on a closed one, selects its parent.
    static func collapse(_ state: inout AppState) -> [Effect] {
        guard let codeTree = state.tree.tree, let node = state.tree.selectedNode else { return [] }
        if state.tree.expanded.remove(node) != nil { return [] }
        if let parent = codeTree.tree.parent(of: node), parent != codeTree.tree.root { state.tree.selectedNode = parent }
        return []
    }

    /// Shows the selected node's items in the Items pane (the revealed item selected when among them).
    static func openNodeItems(_ state: inout AppState) -> [Effect] {
        guard state.top == .tree, let codeTree = state.tree.tree, let node = state.tree.selectedNode else { return [] }
        let tree = codeTree.tree
        state.selection.itemFilter = ItemFilter(label: "\(tree.prefix(of: node)) · \(codeTree.space)",
                                                rows: tree.items(of: node).map { codeTree.items[Int($0)] },
                                                focus: state.tree.focusedItem)
        return Explorer.show(ItemsFeature.self, &state)
    }

    /// Builds the aligned space's semantic IDs in the background (rebuilds them when stored), then shows them.
    static func build(_ state: inout AppState) -> [Effect] {
        guard !state.tree.isLoading else {
            state.message = "The code tree is still loading."
            return []
        }
        state.tree.space = "aligned"
        state.tree.tree = nil
        state.tree.expanded = []
        state.tree.selectedNode = nil
        state.tree.failure = nil
        state.tree.isLoading = true
        state.tree.isBuilding = true
        return [Effect(BuildSemanticIDs(space: "aligned"))]
    }

    /// Switches to the next stored space.
    static func nextSpace(_ state: inout AppState) -> [Effect] {
        guard let spaces = state.tree.spaces, spaces.count > 1 else {
            state.message = state.tree.spaces?.count == 1 ? "Only one space has semantic IDs." : "No spaces to switch between."
            return []
        }
        let current = spaces.firstIndex(of: state.tree.space ?? "") ?? -1
        state.tree.space = spaces[(current + 1) % spaces.count]
        state.tree.tree = nil
        state.tree.expanded = []
        state.tree.selectedNode = nil
        state.tree.isLoading = true
        return [Effect(LoadCodeTree(space: state.tree.space))]
    }
}
