import RecWorkbench
import TUIKit

extension Explorer {
    /// Clicks on a tab switch to it; clicks on a row select it (a double click also opens it);
    /// the wheel moves the selection of the focused list by three rows.
    static func handleMouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let layout = state.layout
        guard !layout.isTooSmall else { return [] }
        switch event.kind {
        case .wheelUp: return move(by: -3, &state)
        case .wheelDown: return move(by: 3, &state)
        case .click, .doubleClick, .rightClick: break
        }
        if layout.tabBar.contains(x: event.x, y: event.y) {
            for (tab, label, x) in ScreenLayout.tabLabels(width: state.width) where event.x >= x && event.x < x + label.count {
                return show(tab, &state)
            }
            return []
        }
        var effects: [Effect]
        switch state.tab {
        case .browse: effects = clickBrowse(event, &state)
        case .items: effects = clickItems(event, &state)
        case .compare: return clickCompare(event, &state)
        case .tree: effects = clickTree(event, &state)
        case .catalog, .metrics, .simulate: return []
        }
        if event.kind == .doubleClick { effects += drillDown(&state) }
        return effects
    }

    /// The row index under `y` in a table area whose list has `count` rows and `selected` selected.
    static func rowIndex(y: Int, table: Rect, selected: Int, count: Int) -> Int? {
        let rows = table.height - 1
        let offset = ScrollWindow.offset(selected: selected, count: count, height: rows)
        let index = offset + (y - table.y - 1)
        return y > table.y && y < table.maxY && index < count ? index : nil
    }

    static func clickBrowse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let tables = BrowseLayout(body: state.layout.body).tables
        if tables[0].contains(x: event.x, y: event.y) {
            guard let i = rowIndex(y: event.y, table: tables[0], selected: state.users.selected, count: state.users.count)
            else { return [] }
            state.stack = [.users]
            state.users.selected = i
            return ensureUsersLoaded(&state) + syncBrowsedUser(&state)
        }
        guard let user = state.browsedUser else { return [] }
        if tables[1].contains(x: event.x, y: event.y) {
            guard let i = rowIndex(y: event.y, table: tables[1], selected: state.selectedSession, count: state.sessions.count)
            else { return [] }
            state.stack = [.users, .sessions(user: user)]
            let changed = i != state.selectedSession
            state.selectedSession = i
            return changed ? loadSelectedSession(&state) : []
        }
        if tables[2].contains(x: event.x, y: event.y), let session = state.selectedSessionRow {
            guard let i = rowIndex(y: event.y, table: tables[2], selected: state.selectedSessionItem,
                                   count: state.sessionItems.count) else { return [] }
            state.stack = [.users, .sessions(user: user), .sessionItems(user: user, session: session.id)]
            state.selectedSessionItem = i
        }
        return []
    }

    static func clickItems(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let layout = state.itemsLayout
        let list = Box.inner(layout.list)
        if list.contains(x: event.x, y: event.y) {
            guard let i = rowIndex(y: event.y, table: list, selected: state.items.selected, count: state.items.count)
            else { return [] }
            state.stack = [.items]
            state.items.selected = i
            return ensureItemsLoaded(&state) + syncDetailItem(&state)
        }
        if layout.interactions.contains(x: event.x, y: event.y), let item = state.detailItem, let detail = state.detail {
            guard let i = rowIndex(y: event.y, table: layout.interactions, selected: state.selectedInteraction,
                                   count: detail.recent.count) else { return [] }
            state.stack = [.items, .itemDetail(item: item)]
            state.selectedInteraction = i
        }
        return []
    }

    /// A click on a row of the tree selects its node.
    static func clickTree(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let table = TreeLayout(body: state.layout.body, levels: state.tree.tree?.tree.levels ?? 0,
                               spaces: state.tree.spaces?.count ?? 0).table
        let rows = state.tree.rows
        guard table.contains(x: event.x, y: event.y),
              let i = rowIndex(y: event.y, table: table, selected: state.tree.selectedIndex(in: rows), count: rows.count)
        else { return [] }
        state.stack = [.tree]
        state.tree.selectedNode = rows[i].node
        return []
    }

    /// A click on the Compare pane's users list compares for that user.
    static func clickCompare(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
        let table = Box.inner(CompareLayout(body: state.layout.body).users)
        guard table.contains(x: event.x, y: event.y),
              let i = rowIndex(y: event.y, table: table, selected: state.users.selected, count: state.users.count)
        else { return [] }
        return moveCompareUser(by: i - state.users.selected, &state)
    }
}
