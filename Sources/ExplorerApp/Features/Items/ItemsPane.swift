import RecWorkbench
import TUIKit

/// Items: the paged items list, and the detail of the selected item with who interacted.
struct ItemsPane: Widget {
    let state: AppState

    var detailFocused: Bool { state.top.context == "item-detail" }

    func render(in area: Rect, on canvas: inout Canvas) {
        let layout = ItemsLayout(body: area, similar: state.shownSimilar != nil)
        let total = state.items.list.total.map(Format.count) ?? "…"
        let name = state.items.filter.map { "Items of \($0.label)" } ?? "Items"
        Box(title: "\(name) (\(total)) by \(state.items.sort.label)", style: detailFocused ? Theme.border : Theme.title)
            .render(in: layout.list, on: &canvas)
        let list = Box.inner(layout.list)
        itemsTable(list).render(in: list, on: &canvas)
        if state.items.list.total == nil {
            canvas.draw("loading…", x: list.x, y: list.y + 1, maxWidth: list.width, style: Theme.muted)
        }
        let title = state.items.detailItem.map { "Item \($0)" } ?? "Item"
        Box(title: title, style: detailFocused ? Theme.title : Theme.border).render(in: layout.detail, on: &canvas)
        guard let detail = state.items.detail else {
            if state.items.detailItem != nil {
                canvas.draw("loading…", x: layout.detailText.x, y: layout.detailText.y,
                            maxWidth: layout.detailText.width, style: Theme.muted)
            }
            return
        }
        let text = layout.detailText
        canvas.draw(detail.item.title, x: text.x, y: text.y, maxWidth: text.width, style: .bold)
        var lines: [String] = []
        let year = detail.item.year.map(String.init) ?? "—"
        lines.append("\(year) · \(detail.item.categories.joined(separator: ", "))")
        lines.append("\(Format.count(detail.item.popularity)) interactions · \(Format.count(detail.userCount)) users")
        lines += detail.attributes.map { "\($0.name): \($0.value)" }
        for (i, line) in lines.prefix(max(0, text.height - 1)).enumerated() {
            canvas.draw(line, x: text.x, y: text.y + 1 + i, maxWidth: text.width)
        }
        interactionsTable(detail).render(in: layout.interactions, on: &canvas)
        if let similar = state.shownSimilar { renderSimilar(similar, in: layout.similar, on: &canvas) }
    }

    /// "similar (model)" and the model's most similar items, or what it is waiting for.
    func renderSimilar(_ similar: SimilarItems, in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let label = "similar (\(similar.request.model.rawValue))"
        if let failure = similar.failure {
            canvas.draw("\(label): \(failure)", x: area.x, y: area.y, maxWidth: area.width, style: Theme.muted)
        } else if let items = similar.items {
            let rows = items.map { [$0.title.isEmpty ? "item " + $0.id : $0.title, Format.score($0.score)] }
            TableView(columns: [Column(label, .fill), Column("score", .fixed(7), .right)], rows: rows)
                .render(in: area, on: &canvas)
            if items.isEmpty {
                canvas.draw("no similar items", x: area.x, y: area.y + 1, maxWidth: area.width, style: Theme.muted)
            }
        } else {
            canvas.draw("\(label): loading…", x: area.x, y: area.y, maxWidth: area.width, style: Theme.muted)
            // The model may be training or queued: say so, with its latest progress line.
            if case .preparing(let line)? = state.models.status[similar.request.model] {
                canvas.draw(line, x: area.x, y: area.y + 1, maxWidth: area.width, style: Theme.muted)
            }
        }
    }

    func itemsTable(_ area: Rect) -> TableView {
        let wide = area.width >= 60
        let barWidth = wide ? 8 : 5
        var columns = [Column("title", .fill), Column("year", .fixed(4), .right), Column("pop", .fixed(5), .right),
                       Column("", .fixed(barWidth))]
        if wide {
            columns.insert(Column("id", .fixed(6), .right), at: 0)
            columns.insert(Column("categories", .fixed(18)), at: 2)
        }
        let list = state.items.list
        let rows = area.height - 1
        let offset = ScrollWindow.offset(selected: list.selected, count: list.count, height: rows)
        let end = min(list.count, offset + max(0, rows))
        let top = mostPopular
        let cells: [[String]] = (offset..<max(offset, end)).map { i in
            guard let item = list.row(at: i) else { return ["…"] }
            let year = item.year.map(String.init) ?? ""
            let pop = formatCompact(Double(item.popularity))
            let bar = horizontalBar(fraction: top > 0 ? Double(item.popularity) / Double(top) : 0, width: barWidth)
            return wide ? [item.id, item.title, item.categories.joined(separator: ","), year, pop, bar]
                        : [item.title, year, pop, bar]
        }
        return TableView(columns: columns, rows: cells, selected: list.total == nil ? nil : list.selected - offset,
                         highlight: detailFocused ? Theme.selectedUnfocused : Theme.selected)
    }

    /// The popularity the bars are scaled to: the catalog's most popular item (from the summary), or
    /// until the summary arrives, the most popular loaded row.
    var mostPopular: Int {
        if let top = state.summary?.perItem.max, top > 0 { return Int(top) }
        return state.items.list.page.rows.map(\.popularity).max() ?? 0
    }

    func interactionsTable(_ detail: ItemDetail) -> TableView {
        let columns = [Column("user", .fill), Column("when", .fixed(10)), Column("event", .fixed(8))]
        let rows = detail.recent.map { r -> [String] in
            [r.userID, Format.date(r.time), r.value.map { "\(r.event) \(formatCompact($0))" } ?? r.event]
        }
        return TableView(columns: columns, rows: rows, selected: detailFocused && !rows.isEmpty ? state.items.selectedInteraction : nil)
    }
}
