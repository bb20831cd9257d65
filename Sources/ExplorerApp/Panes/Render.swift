import RecWorkbench
import TUIKit

extension Explorer {
    /// Draws the whole screen for `state`: tab bar, the pane of the top view, the status bar,
    /// and the search results over the pane while searching.
    public static func render(_ state: AppState, on canvas: inout Canvas) {
        canvas.fill(canvas.bounds)
        let layout = ScreenLayout(width: canvas.width, height: canvas.height)
        if layout.isTooSmall {
            let lines = ["Terminal too small", "\(canvas.width)×\(canvas.height), need \(ScreenLayout.minimumWidth)×\(ScreenLayout.minimumHeight)", "q quits"]
            for (i, line) in lines.enumerated() {
                let y = canvas.height / 2 - 1 + i
                canvas.draw(line, in: Rect(x: 0, y: y, width: canvas.width, height: 1), alignment: .center,
                            style: i == 0 ? Theme.warning : .plain)
            }
            return
        }
        drawTabBar(state, in: layout.tabBar, on: &canvas)
        switch state.top {
        case .users, .sessions, .sessionItems: BrowsePane(state: state).render(in: layout.body, on: &canvas)
        case .items, .itemDetail: ItemsPane(state: state).render(in: layout.body, on: &canvas)
        case .catalog: CatalogPane(state: state).render(in: layout.body, on: &canvas)
        case .help: HelpPane(state: state).render(in: layout.body, on: &canvas)
        case .compare: ComparePane(state: state).render(in: layout.body, on: &canvas)
        case .metrics: MetricsPane(state: state).render(in: layout.body, on: &canvas)
        case .tree: TreePane(state: state).render(in: layout.body, on: &canvas)
        case .simulate: SimulatePane(state: state).render(in: layout.body, on: &canvas)
        }
        if case .search(let query, let hits, let selected)? = state.prompt {
            SearchOverlay(query: query, hits: hits, selected: selected).render(in: layout.body, on: &canvas)
        }
        drawStatus(state, in: layout.status, on: &canvas)
    }

    static func drawTabBar(_ state: AppState, in area: Rect, on canvas: inout Canvas) {
        canvas.fill(area, style: Theme.statusBar)
        canvas.draw(" RecScope ", x: area.x, y: area.y, style: Theme.statusBar.with(.bold))
        let labels = ScreenLayout.tabLabels(width: area.width)
        for (tab, label, x) in labels {
            let style = tab == state.tab ? Theme.selected.with(.bold) : Theme.statusBar
            canvas.draw(label, x: x, y: area.y, maxWidth: area.maxX - x, style: style)
        }
        let end = labels.last.map { $0.x + $0.label.count + 1 } ?? 0
        let crumbs = breadcrumb(state)
        let width = min(DisplayWidth.of(crumbs) + 1, area.width - end)
        if width > 4 {
            canvas.draw(crumbs, in: Rect(x: area.maxX - width, y: area.y, width: width, height: 1),
                        alignment: .right, style: Theme.statusBar)
        }
    }

    /// Where the user is, e.g. `users › 42 › s17`.
    static func breadcrumb(_ state: AppState) -> String {
        let last = state.stack.last { $0 != .help } ?? .users
        var parts: [String]
        switch last {
        case .users: parts = ["users"]
        case .sessions(let u): parts = ["users", u]
        case .sessionItems(let u, let s): parts = ["users", u, s]
        case .items: parts = ["items"] + (state.itemFilter.map { [$0.label] } ?? [])
        case .itemDetail(let i): parts = state.stack.contains(.items) ? ["items", i] : ["item", i]
        case .catalog: parts = ["catalog"]
        case .compare: parts = ["compare"] + (state.browsedUser.map { [$0] } ?? [])
        case .metrics: parts = ["metrics"]
        case .tree:
            parts = ["tree"] + (state.tree.space.map { [$0] } ?? [])
            if let tree = state.tree.tree?.tree, let node = state.tree.selectedNode, node != tree.root {
                parts.append(tree.prefix(of: node))
            }
        case .simulate: parts = ["simulate"] + (Explorer.simulationUser(state).map { [$0] } ?? [])
        case .help: parts = []
        }
        if state.top == .help { parts.append("help") }
        return parts.joined(separator: " › ") + " "
    }

    static func drawStatus(_ state: AppState, in area: Rect, on canvas: inout Canvas) {
        let left: String
        switch state.prompt {
        case .search(let query, _, _)?: left = "/" + query + "▏"
        case .command(let text)?: left = ":" + text + "▏"
        case .instruction(let text)?: left = "say to the agent: " + text + "▏"
        case .persona(let text)?: left = "simulate user (empty: the Browse selection): " + text + "▏"
        case nil:
            left = state.message ?? SimulatePane.populationLine(state) ?? (state.top == .items && state.itemFilter != nil
                ? "j/k move · Enter detail · s sort · t tree · Esc all items · ? help" : hint(for: state.top))
        }
        let style = state.message != nil && state.prompt == nil ? Theme.warning.background(.white) : Theme.statusBar
        // The catalog, the models being compared (A/B) when there are models, and the position.
        let models = state.compare.modelNames.isEmpty ? "" : " · " + state.compare.modelA.rawValue + "/" + state.compare.modelB.rawValue
        StatusBar(left: left, right: state.catalogName + models + " " + position(state), style: style)
            .render(in: area, on: &canvas)
    }

    /// `42/943` for the focused list.
    static func position(_ state: AppState) -> String {
        switch state.top {
        case .users, .compare: return state.users.total.map { "\(min($0, state.users.selected + 1))/\($0)" } ?? ""
        case .sessions: return "\(min(state.sessions.count, state.selectedSession + 1))/\(state.sessions.count)"
        case .sessionItems: return "\(min(state.sessionItems.count, state.selectedSessionItem + 1))/\(state.sessionItems.count)"
        case .items: return state.items.total.map { "\(min($0, state.items.selected + 1))/\($0)" } ?? ""
        case .tree:
            let rows = state.tree.rows
            return rows.isEmpty ? "" : "\(state.tree.selectedIndex(in: rows) + 1)/\(rows.count)"
        default: return ""
        }
    }

    static func hint(for view: View) -> String {
        switch view {
        case .users: "j/k move · Enter sessions · s sort · / search · : command · ? help · q quit"
        case .sessions: "j/k move · Enter items · Esc back · / search · ? help"
        case .sessionItems: "j/k move · Enter item · Esc back · / search · ? help"
        case .items: "j/k move · Enter detail · s sort · t tree · / search · ? help"
        case .itemDetail: "j/k move · Enter user · t tree · Esc back · ? help"
        case .catalog: "1 browse · 2 items · / search · ? help · q quit"
        case .help: "j/k scroll · Esc or ? back"
        case .compare: "j/k user · a/b models · +/- K · x seen · ◆ test · • both · ? help"
        case .metrics: "4 compare · 1 browse · ? help · q quit"
        case .tree: "j/k move · l open · h close · i items · s space · ? help"
        case .simulate: "n next · a auto · r restart · i say · g agent · m model · p persona · P population · ? help"
        }
    }
}

/// Search hits in a box over the pane.
struct SearchOverlay: Widget {
    let query: String
    let hits: [SearchHit]
    let selected: Int

    func render(in area: Rect, on canvas: inout Canvas) {
        let width = min(area.width - 4, 70)
        let height = min(area.height - 2, max(hits.count, 1) + 2)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + 1, width: width, height: height)
        canvas.fill(box)
        Box(title: "Search: " + query).render(in: box, on: &canvas)
        let inner = Box.inner(box)
        if hits.isEmpty {
            canvas.draw(query.isEmpty ? "Type to search user ids, item ids and titles" : "No matches",
                        x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        let lines = hits.map { "\($0.kind.rawValue) \($0.id) · \($0.label)" }
        ListView(items: lines, selected: selected).render(in: inner, on: &canvas)
    }
}
