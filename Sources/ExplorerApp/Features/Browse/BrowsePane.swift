import RecWorkbench
import TUIKit

/// Browse: users, the browsed user's sessions as a timeline, and the selected session's items.
/// The column of the top view has the focus; the others show where the selection leads.
struct BrowsePane: Widget {
    let state: AppState

    var depth: Int {
        switch state.top.context {
        case "sessions": 1
        case "session-items": 2
        default: 0
        }
    }

    func render(in area: Rect, on canvas: inout Canvas) {
        let layout = BrowseLayout(body: area)
        canvas.draw(userInfo, x: layout.info.x + 1, y: layout.info.y, maxWidth: layout.info.width - 1, style: Theme.accent)
        let b = state.browse
        let titles = ["Users (\(state.users.total.map(Format.count) ?? "…"))",
                      state.selection.user.map { "Sessions of user \($0)" } ?? "Sessions",
                      b.selectedSessionRow.map { "Session \($0.id)" } ?? "Items"]
        let boxes = [layout.users, layout.sessions, layout.items]
        for (i, box) in boxes.enumerated() {
            let focused = i == depth
            Box(title: titles[i], style: focused ? Theme.title : Theme.border,
                titleStyle: focused ? Theme.title.with(.reverse) : Theme.title).render(in: box, on: &canvas)
        }
        let tables = layout.tables
        UsersList.table(state, width: tables[0].width, rows: tables[0].height - 1, highlight: highlight(0))
            .render(in: tables[0], on: &canvas)
        sessionsTable(width: tables[1].width).render(in: tables[1], on: &canvas)
        itemsTable(width: tables[2].width).render(in: tables[2], on: &canvas)
        if state.users.total == nil { muted("loading…", tables[0], &canvas) }
        if state.selection.user != nil && b.sessions.isEmpty { muted("no sessions loaded", tables[1], &canvas) }
        if b.selectedSessionRow != nil && b.sessionItems.isEmpty { muted("no items loaded", tables[2], &canvas) }
    }

    func muted(_ text: String, _ table: Rect, _ canvas: inout Canvas) {
        canvas.draw(text, x: table.x, y: table.y + 1, maxWidth: table.width, style: Theme.muted)
    }

    func highlight(_ column: Int) -> Style { column == depth ? Theme.selected : Theme.selectedUnfocused }

    var userInfo: String {
        guard let id = state.selection.user else { return "" }
        guard let u = state.selection.userRow, u.id == id else { return "user \(id)" }
        var parts = ["user \(u.id)", "\(Format.count(u.interactions)) interactions", "\(u.sessions) sessions",
                     "\(Format.date(u.firstSeen)) → \(Format.date(u.lastSeen))"]
        if !u.topCategories.isEmpty { parts.append(u.topCategories.joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }

    func sessionsTable(width: Int) -> TableView {
        let wide = width >= 30
        let columns = [Column("start", .fixed(wide ? 16 : 11)), Column("dur", .fixed(4), .right),
                       Column("items", .fill, .right)]
        let rows = state.browse.sessions.map { s in
            [wide ? Format.dateTime(s.start) : Format.shortDateTime(s.start), Format.duration(s.duration), String(s.itemCount)]
        }
        return TableView(columns: columns, rows: rows, selected: rows.isEmpty ? nil : state.browse.selectedSession,
                         highlight: highlight(1))
    }

    func itemsTable(width: Int) -> TableView {
        let wide = width >= 36
        var columns = [Column("title", .fill), Column("event", .fixed(wide ? 8 : 6))]
        if wide { columns.insert(Column("time", .fixed(5)), at: 0) }
        let rows = state.browse.sessionItems.map { r -> [String] in
            let event = r.value.map { "\(r.event) \(formatCompact($0))" } ?? r.event
            return wide ? [Format.time(r.time), r.title, event] : [r.title, event]
        }
        return TableView(columns: columns, rows: rows, selected: rows.isEmpty ? nil : state.browse.selectedSessionItem,
                         highlight: highlight(2))
    }
}
