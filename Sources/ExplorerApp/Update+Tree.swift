import RecWorkbench
import RecModels
import TUIKit

extension Explorer {
    /// Asks for the code tree when none is shown (again while the catalog has none, so a tree built
    /// since is found); with a tree, reveals what waits to be revealed.
    static func ensureTreeLoaded(_ state: inout AppState) -> [Effect] {
        guard state.tree.tree == nil else {
            revealPending(&state)
            return []
        }
        guard !state.tree.isLoading else { return [] }
        state.tree.isLoading = true
        state.tree.failure = nil
        return [.loadCodeTree(space: state.tree.space)]
    }

    static func codeTreeLoaded(_ load: CodeTreeLoad, _ state: inout AppState) -> [Effect] {
        // The answer for a space the user has switched away from is dropped; the newer load follows.
        if let wanted = state.tree.space, load.space != wanted, load.spaces.contains(wanted) { return [] }
        state.tree.isLoading = false
        state.tree.isBuilding = false
        state.tree.spaces = load.spaces
        state.tree.space = load.space
        state.tree.tree = load.tree
        state.tree.failure = load.failure
        state.tree.expanded = []
        state.tree.selectedNode = load.tree.flatMap { $0.tree.children(of: $0.tree.root).first }
        revealPending(&state)
        return []
    }

    /// Shows the item or prefix asked for before the tree arrived.
    static func revealPending(_ state: inout AppState) {
        guard let codeTree = state.tree.tree else {
            if !state.tree.isLoading, state.tree.pendingItem != nil || state.tree.pendingPrefix != nil {
                state.tree.pendingItem = nil
                state.tree.pendingPrefix = nil
                if state.tree.failure == nil { state.message = "\(state.catalogName) has no semantic IDs yet (recscope sid build)." }
            }
            return
        }
        if let id = state.tree.pendingItem {
            state.tree.pendingItem = nil
            reveal(item: id, in: codeTree, &state)
        }
        if let prefix = state.tree.pendingPrefix {
            state.tree.pendingPrefix = nil
            reveal(prefix: prefix, in: codeTree, &state)
        }
    }

    /// Opens the nodes down to the item's full path and selects it.
    static func reveal(item id: String, in codeTree: CodeTree, _ state: inout AppState) {
        guard let n = codeTree.index(ofItem: id) else {
            state.message = "There is no item \(id) in the tree of space \(codeTree.space)."
            return
        }
        let path = codeTree.tree.path(of: n)
        state.tree.expanded.formUnion(path.dropLast())
        state.tree.selectedNode = path.last
        state.tree.focusedItem = id
        state.message = "Item \(id) is at \(codeTree.tree.pathString(of: n)) in space \(codeTree.space)."
    }

    /// Opens the nodes down to `prefix` (or the nearest prefix that exists) and selects it, open.
    static func reveal(prefix text: String, in codeTree: CodeTree, _ state: inout AppState) {
        let tree = codeTree.tree
        guard let codes = SemanticTree.parsePrefix(text) else {
            state.message = "\":sid \(text)\": expected a prefix of codes joined by '-', e.g. :sid 12-7."
            return
        }
        var node: Int
        if codes.count <= tree.levels, let exact = tree.node(codes: codes) {
            node = exact
        } else {
            node = tree.nearest(to: Array(codes.prefix(tree.levels)))
            state.message = "No item has prefix \(text) in space \(codeTree.space); the nearest is \(tree.prefix(of: node))."
        }
        if node == tree.root {
            state.tree.selectedNode = tree.children(of: tree.root).first
            return
        }
        if !tree.children(of: node).isEmpty { state.tree.expanded.insert(node) }
        var ancestor = node
        while let parent = tree.parent(of: ancestor), parent != tree.root {
            state.tree.expanded.insert(parent)
            ancestor = parent
        }
        state.tree.selectedNode = node
    }

    static func moveTree(by delta: Int, _ state: inout AppState) -> [Effect] {
        let rows = state.tree.rows
        guard !rows.isEmpty else { return [] }
        let index = state.tree.selectedIndex(in: rows).addingReportingOverflow(delta).partialValue
        state.tree.selectedNode = rows[clamp(index, count: rows.count)].node
        return []
    }

    /// Expands the selected node; on an open node, selects its first child; on a full path, shows its items.
    static func expandTreeNode(_ state: inout AppState) -> [Effect] {
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
    static func collapseTreeNode(_ state: inout AppState) -> [Effect] {
        guard let codeTree = state.tree.tree, let node = state.tree.selectedNode else { return [] }
        if state.tree.expanded.remove(node) != nil { return [] }
        if let parent = codeTree.tree.parent(of: node), parent != codeTree.tree.root { state.tree.selectedNode = parent }
        return []
    }

    /// Shows the selected node's items in the Items pane (the revealed item selected when among them).
    static func openNodeItems(_ state: inout AppState) -> [Effect] {
        guard state.top == .tree, let codeTree = state.tree.tree, let node = state.tree.selectedNode else { return [] }
        let tree = codeTree.tree
        let rows = tree.items(of: node).map { codeTree.items[Int($0)] }
        state.itemFilter = ItemFilter(label: "\(tree.prefix(of: node)) · \(codeTree.space)", rows: state.itemSort.sorted(rows))
        applyItemFilter(&state)
        if let focused = state.tree.focusedItem, let i = state.itemFilter?.rows.firstIndex(where: { $0.id == focused }) {
            state.items.selected = i
        }
        state.stack = [.items]
        return syncDetailItem(&state)
    }

    /// Puts the filter's rows in the items list as its one page.
    static func applyItemFilter(_ state: inout AppState) {
        guard let filter = state.itemFilter else { return }
        state.items = PagedList()
        state.items.page = Page(offset: 0, rows: filter.rows, total: filter.rows.count)
        state.items.total = filter.rows.count
    }

    /// Back to every item, from the first page.
    static func clearItemFilter(_ state: inout AppState) -> [Effect] {
        state.itemFilter = nil
        state.items = PagedList()
        state.items.requested = 0
        state.message = "All items, by \(state.itemSort.label)"
        return [.loadItems(PageRequest(offset: 0, limit: pageSize, sort: state.itemSort))]
    }

    /// From the Items pane: the highlighted (or opened) item's path in the Tree pane.
    static func showInTree(_ state: inout AppState) -> [Effect] {
        let id: String?
        switch state.top {
        case .items: id = state.items.selectedRow?.id
        case .itemDetail(let item): id = item
        default: id = nil
        }
        guard let id else { return [] }
        state.tree.pendingItem = id
        return show(.tree, &state)
    }

    /// Builds the aligned space's semantic IDs in the background (rebuilds them when stored), then shows them.
    static func buildSemanticIDs(_ state: inout AppState) -> [Effect] {
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
        return [.buildSemanticIDs(space: "aligned")]
    }

    /// Switches the Tree pane to the next stored space.
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
        return [.loadCodeTree(space: state.tree.space)]
    }
}
