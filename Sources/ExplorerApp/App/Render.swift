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
        let top = state.top
        if top == .help {
            HelpPane(state: state).render(in: layout.body, on: &canvas)
        } else if let feature = feature(of: top) {
            feature.render(top, state, in: layout.body, on: &canvas)
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
        let last = state.stack.last { $0 != .help } ?? state.top
        var parts = feature(of: last)?.breadcrumb(last, state) ?? []
        if state.top == .help { parts.append("help") }
        return parts.joined(separator: " › ") + " "
    }

    static func drawStatus(_ state: AppState, in area: Rect, on canvas: inout Canvas) {
        let left: String
        switch state.prompt {
        case .search(let query, _, _)?: left = "/" + query + "▏"
        case .command(let text)?: left = ":" + text + "▏"
        case .text(let purpose, let text)?: left = purpose.label + text + "▏"
        case nil: left = state.message ?? tabs.lazy.compactMap { $0.statusLine(state) }.first ?? hint(state)
        }
        let style = state.message != nil && state.prompt == nil ? Theme.warning.background(.white) : Theme.statusBar
        // The catalog, the models being compared (A/B) when there are models, and the position.
        let models = state.models.isEmpty ? "" : " · " + state.selection.modelA.rawValue + "/" + state.selection.modelB.rawValue
        let top = state.top
        let position = top == .help ? "" : feature(of: top)?.position(top, state) ?? ""
        StatusBar(left: left, right: state.catalogName + models + " " + position, style: style)
            .render(in: area, on: &canvas)
    }

    /// The status-bar hint of the view on top (`Commands.hintLine` of its hint context).
    public static func hint(_ state: AppState) -> String {
        let top = state.top
        return commands.hintLine(feature(of: top)?.hintContext(top, state) ?? top.context)
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
