import RecWorkbench
import TUIKit

/// Recommend/Compare: the users list, the selected user's recent history, and two models' top-K side
/// by side with the time each retrieval took. `•` marks an item both lists hold, `◆` the user's
/// held-out test item. Under a `sid` or `rank` list, its stages: the beam, or generate and rank.
struct ComparePane: Widget {
    let state: AppState

    static let bothMark = "•"
    static let heldOutMark = "◆"

    func render(in area: Rect, on canvas: inout Canvas) {
        let layout = CompareLayout(body: area)
        let c = state.compare
        canvas.draw(info, x: layout.info.x + 1, y: layout.info.y, maxWidth: layout.info.width - 1, style: Theme.accent)

        Box(title: "Users (\(state.users.total.map(Format.count) ?? "…"))", style: Theme.title,
            titleStyle: Theme.title.with(.reverse)).render(in: layout.users, on: &canvas)
        let usersTable = Box.inner(layout.users)
        UsersList.table(state, width: usersTable.width, rows: usersTable.height - 1, highlight: Theme.selected)
            .render(in: usersTable, on: &canvas)
        if state.users.total == nil { muted("loading…", in: usersTable, &canvas) }

        renderHistory(in: layout.history, on: &canvas)
        guard !state.models.isEmpty else {
            let box = Rect(x: layout.lists[0].x, y: layout.lists[0].y, width: layout.lists[0].width + layout.lists[1].width,
                           height: layout.lists[0].height)
            Box(title: "Compare").render(in: box, on: &canvas)
            muted("No models: the explorer was opened without a catalog (recscope tui --catalog FILE).",
                  in: Box.inner(box), &canvas)
            return
        }
        let lists = CompareSide.allCases.map { c.list($0) }
        for (n, side) in CompareSide.allCases.enumerated() {
            let other = lists[1 - n].map { Set($0.items.map(\.id)) } ?? []
            renderList(side, lists[n], other: other, in: layout.lists[n], on: &canvas)
        }
    }

    func muted(_ text: String, in table: Rect, _ canvas: inout Canvas, row: Int = 1) {
        canvas.draw(text, x: table.x, y: table.y + row, maxWidth: table.width, style: Theme.muted)
    }

    /// `user 42 · 96 train · held out ◆ Title · K 10 · seen left out`.
    var info: String {
        guard let user = state.selection.user else { return "no user selected" }
        var parts = ["user \(user)"]
        if let f = state.selection.userFilter {
            parts.insert("\(f.label) \(f.position + 1)/\(Format.count(f.users.count)) (c: all users)", at: 0)
        }
        let c = state.compare
        if let p = c.profile, p.user == user {
            parts.append("\(Format.count(p.trainCount)) in train")
            let test = p.test
            if !test.isEmpty { parts.append("test \(Self.heldOutMark) " + test.map(\.title).joined(separator: ", ")) }
        }
        parts.append("K \(c.k)")
        parts.append(c.excludeSeen ? "seen left out" : "seen included")
        return parts.joined(separator: " · ")
    }

    func renderHistory(in box: Rect, on canvas: inout Canvas) {
        Box(title: "Recent history in \(state.models.splitName) train (newest first)").render(in: box, on: &canvas)
        let inner = Box.inner(box)
        guard let user = state.selection.user, let p = state.compare.profile, p.user == user else {
            muted(state.models.isEmpty ? "" : "loading…", in: inner, &canvas, row: 0)
            return
        }
        if p.recent.isEmpty { muted("no training interactions", in: inner, &canvas, row: 0) }
        let test = Set(p.test.map(\.id))
        for (i, item) in p.recent.prefix(inner.height).enumerated() {
            let mark = test.contains(item.id) ? Self.heldOutMark : " "
            canvas.draw("\(mark) \(item.title.isEmpty ? "item " + item.id : item.title)",
                        x: inner.x, y: inner.y + i, maxWidth: inner.width)
        }
    }

    func renderList(_ side: CompareSide, _ list: Recommendations?, other: Set<String>, in box: Rect,
                    on canvas: inout Canvas) {
        let c = state.compare
        let model = state.selection.model(side)
        var title = "\(side.rawValue): \(model.rawValue)"
        if let list { title += " · \(NumberText.duration(list.seconds))" }
        if case .ready(let info)? = state.models.status[model] { title += " · \(info.origin.rawValue)" }
        Box(title: title).render(in: box, on: &canvas)
        let inner = Box.inner(box)
        switch state.models.status[model] {
        case .preparing(let line)?:
            muted(line, in: inner, &canvas, row: 0)
            return
        case .failed(let message)?:
            canvas.draw(message, x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.warning)
            return
        case nil:
            return
        case .ready?:
            break
        }
        guard let list else {
            muted("computing…", in: inner, &canvas, row: 0)
            return
        }
        let test = Set((c.profile?.user == state.selection.user ? c.profile?.test ?? [] : []).map(\.id))
        let columns = [Column("#", .fixed(3), .right), Column("", .fixed(2)), Column("title", .fill),
                       Column("score", .fixed(7), .right)]
        let rows = list.items.enumerated().map { n, item -> [String] in
            let mark = (test.contains(item.id) ? Self.heldOutMark : " ") + (other.contains(item.id) ? Self.bothMark : " ")
            return [String(n + 1), mark, item.title.isEmpty ? "item " + item.id : item.title, Format.score(item.score)]
        }
        // A multi-stage model's stages take the last rows, when the box is tall enough to keep some items.
        let stages = list.stages.map(StagePresenter.summary) ?? []
        let stageRows = inner.height >= stages.count + 4 ? stages.count : 0
        let table = Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - stageRows)
        TableView(columns: columns, rows: rows).render(in: table, on: &canvas)
        if rows.isEmpty { muted("no items to recommend", in: table, &canvas) }
        for (n, line) in stages.prefix(stageRows).enumerated() {
            canvas.draw(line, x: inner.x, y: inner.y + table.height + n, maxWidth: inner.width, style: Theme.muted)
        }
    }
}
