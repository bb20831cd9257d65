import RecWorkbench
import TUIKit

/// Browse: users, the browsed user's sessions as a timeline, and the selected session's items.
/// The column of the top view has the focus; the others show where the selection leads.
struct BrowsePane: Widget {
    let state: AppState

    var depth: Int {
        switch state.top {
        case .sessions: 1
        case .sessionItems: 2
        default: 0
        }
    }

    func render(in area: Rect, on canvas: inout Canvas) {
        let layout = BrowseLayout(body: area)
        canvas.draw(userInfo, x: layout.info.x + 1, y: layout.info.y, maxWidth: layout.info.width - 1, style: Theme.accent)
        let titles = ["Users (\(state.users.total.map(Format.count) ?? "…"))",
                      state.browsedUser.map { "Sessions of user \($0)" } ?? "Sessions",
                      state.selectedSessionRow.map { "Session \($0.id)" } ?? "Items"]
        let boxes = [layout.users, layout.sessions, layout.items]
        for (i, box) in boxes.enumerated() {
            let focused = i == depth
            Box(title: titles[i], style: focused ? Theme.title : Theme.border,
                titleStyle: focused ? Theme.title.with(.reverse) : Theme.title).render(in: box, on: &canvas)
        }
        let tables = layout.tables
        usersTable(width: tables[0].width, rows: tables[0].height - 1).render(in: tables[0], on: &canvas)
        sessionsTable(width: tables[1].width).render(in: tables[1], on: &canvas)
        itemsTable(width: tables[2].width).render(in: tables[2], on: &canvas)
        if state.users.total == nil { muted("loading…", tables[0], &canvas) }
        if state.browsedUser != nil && state.sessions.isEmpty { muted("no sessions loaded", tables[1], &canvas) }
        if state.selectedSessionRow != nil && state.sessionItems.isEmpty { muted("no items loaded", tables[2], &canvas) }
    }

    func muted(_ text: String, _ table: Rect, _ canvas: inout Canvas) {
        canvas.draw(text, x: table.x, y: table.y + 1, maxWidth: table.width, style: Theme.muted)
    }

    func highlight(_ column: Int) -> Style { column == depth ? Theme.selected : Theme.selectedUnfocused }

    var userInfo: String {
        guard let id = state.browsedUser else { return "" }
        guard let u = state.browsedUserRow else { return "user \(id)" }
        var parts = ["user \(u.id)", "\(Format.count(u.interactions)) interactions", "\(u.sessions) sessions",
                     "\(Format.date(u.firstSeen)) → \(Format.date(u.lastSeen))"]
        if !u.topCategories.isEmpty { parts.append(u.topCategories.joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }

    /// The visible window of the paged users list; rows not loaded yet show `…`.
    func usersTable(width: Int, rows: Int) -> TableView {
        var columns = [Column("user", .fill), Column("inter", .fixed(6), .right)]
        // Columns appear as the box widens: sessions, last seen, first seen, top categories (the selected
        // user's dates and categories are always on the info line above).
        let narrow = width < 20, wide = width >= 44, wider = width >= 56, widest = width >= 80
        if !narrow { columns.append(Column("sess", .fixed(4), .right)) }
        if wider { columns.append(Column("first seen", .fixed(10))) }
        if wide { columns.append(Column("last seen", .fixed(10))) }
        if widest { columns.append(Column("top categories", .fixed(22))) }
        let list = state.users
        let offset = ScrollWindow.offset(selected: list.selected, count: list.count, height: rows)
        let end = min(list.count, offset + max(0, rows))
        let cells: [[String]] = (offset..<max(offset, end)).map { i in
            guard let u = list.row(at: i) else { return ["…"] }
            var r = [u.id, Format.count(u.interactions)]
            if !narrow { r.append(String(u.sessions)) }
            if wider { r.append(Format.date(u.firstSeen)) }
            if wide { r.append(Format.date(u.lastSeen)) }
            if widest { r.append(u.topCategories.joined(separator: ", ")) }
            return r
        }
        return TableView(columns: columns, rows: cells, selected: list.total == nil ? nil : list.selected - offset,
                         highlight: highlight(0))
    }

    func sessionsTable(width: Int) -> TableView {
        let wide = width >= 30
        let columns = [Column("start", .fixed(wide ? 16 : 11)), Column("dur", .fixed(4), .right),
                       Column("items", .fill, .right)]
        let rows = state.sessions.map { s in
            [wide ? Format.dateTime(s.start) : Format.shortDateTime(s.start), Format.duration(s.duration), String(s.itemCount)]
        }
        return TableView(columns: columns, rows: rows, selected: rows.isEmpty ? nil : state.selectedSession,
                         highlight: highlight(1))
    }

    func itemsTable(width: Int) -> TableView {
        let wide = width >= 36
        var columns = [Column("title", .fill), Column("event", .fixed(wide ? 8 : 6))]
        if wide { columns.insert(Column("time", .fixed(5)), at: 0) }
        let rows = state.sessionItems.map { r -> [String] in
            let event = r.value.map { "\(r.event) \(formatCompact($0))" } ?? r.event
            return wide ? [Format.time(r.time), r.title, event] : [r.title, event]
        }
        return TableView(columns: columns, rows: rows, selected: rows.isEmpty ? nil : state.selectedSessionItem,
                         highlight: highlight(2))
    }
}
