import RecModels
import RecWorkbench
import TUIKit

/// The What-if pane: which user is made up and how many items count, the items, and a column per model.
struct WhatIfPane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let w = state.whatIf
        let shown = WhatIfFeature.shown(state)
        let layout = WhatIfLayout(body: area, models: max(1, shown.count))
        var info = "what-if user · \(w.items.count) item\(w.items.count == 1 ? "" : "s")"
        if w.recent > 0 { info += " · the last \(w.recent) count" }
        if let user = w.sourceUser { info += " · from user \(user)" }
        if let persona = w.persona { info += " · persona \(persona)" }
        if let r = w.result { info += " · \(r.lists.count) models ranked in \(NumberText.duration(r.seconds))" }
        canvas.draw(info, x: layout.info.x + 1, y: layout.info.y, maxWidth: layout.info.width - 1, style: Theme.accent)

        Box(title: "Items (\(w.items.count))", style: w.focus == 0 ? Theme.title : Theme.border).render(in: layout.items, on: &canvas)
        let itemsArea = Box.inner(layout.items)
        if w.items.isEmpty {
            let help = ["No items yet.", "", "/  search, Enter adds", "   an item (or starts", "   from a user)", "u  start from the", "   selected user", "o  open a persona"]
            for (n, line) in help.prefix(itemsArea.height).enumerated() {
                canvas.draw(line, x: itemsArea.x, y: itemsArea.y + n, maxWidth: itemsArea.width, style: Theme.muted)
            }
        } else {
            let counted = w.recent > 0 ? w.items.count - w.recent : 0
            let rows = w.items.enumerated().map { n, item in
                [n < counted ? "·" : String(n + 1), item.title.isEmpty ? "item " + item.id : item.title]
            }
            TableView(columns: [Column("#", .fixed(3), .right), Column("item (oldest first)", .fill)], rows: rows,
                      selected: w.focus == 0 ? w.selectedItem : nil).render(in: itemsArea, on: &canvas)
        }

        for (c, model) in zip(layout.columns.indices, shown) {
            let rect = layout.columns[c]
            let list = w.result?.lists[model]
            let focused = w.focus == c + 1
            var title = model.rawValue
            if let list { title += " · " + NumberText.duration(list.seconds) }
            Box(title: title, style: focused ? Theme.title : Theme.border).render(in: rect, on: &canvas)
            let inner = Box.inner(rect)
            guard state.models.isReady(model) else {
                canvas.draw(Self.status(model, state), x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
                continue
            }
            guard !w.items.isEmpty, let list else {
                canvas.draw(w.items.isEmpty ? "add items (/)" : "ranking…", x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
                continue
            }
            let rows = list.items.enumerated().map { n, item in
                [String(n + 1), item.title.isEmpty ? "item " + item.id : item.title, Format.score(item.score)]
            }
            TableView(columns: [Column("#", .fixed(2), .right), Column("title", .fill), Column("score", .fixed(7), .right)], rows: rows,
                      selected: focused ? min(w.selectedRank, max(0, rows.count - 1)) : nil).render(in: inner, on: &canvas)
        }
    }

    /// A model's status line while it is not ready.
    static func status(_ model: ModelKind, _ state: AppState) -> String {
        switch state.models.status[model] {
        case .preparing(let line)?: return line
        case .failed(let message)?: return "failed: " + message
        default: return "waiting…"
        }
    }

    /// `w`: the column's list on the left, why its highlighted item is there on the right.
    static func renderWhy(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        let model = ModelKind(rawValue: view.arguments[0]) ?? .pop
        let w = state.whatIf
        let (top, body) = area.splitTop(1)
        canvas.draw("why \(model.rawValue) recommends for the what-if user (\(w.items.count) items\(w.recent > 0 ? ", the last \(w.recent) count" : ""))",
                    x: top.x + 1, y: top.y, maxWidth: top.width - 1, style: Theme.accent)
        let columns = body.columns([.percent(36), .fill])
        Box(title: model.rawValue).render(in: columns[0], on: &canvas)
        let list = w.result?.lists[model]
        let rows = (list?.items ?? []).enumerated().map { n, item in
            [String(n + 1), item.title.isEmpty ? "item " + item.id : item.title, Format.score(item.score)]
        }
        let n = min(w.selectedRank, max(0, rows.count - 1))
        TableView(columns: [Column("#", .fixed(3), .right), Column("title", .fill), Column("score", .fixed(7), .right)], rows: rows,
                  selected: rows.isEmpty ? nil : n).render(in: Box.inner(columns[0]), on: &canvas)
        guard let list, !list.items.isEmpty else {
            Box(title: "Why").render(in: columns[1], on: &canvas)
            return
        }
        let explained = w.why.flatMap { $0.model == model && $0.request == w.current ? $0.list : nil }
        let item = list.items[n]
        ExplanationBox(list: explained, index: n, title: item.title.isEmpty ? "item " + item.id : item.title).render(in: columns[1], on: &canvas)
    }
}
