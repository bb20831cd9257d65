import RecWorkbench
import RecModels
import TUIKit

/// Metrics: Recall, NDCG and MRR at 10 of every model on the split's test part, as a table and as
/// one bar chart per metric; models still training show their progress line.
struct MetricsPane: Widget {
    let state: AppState

    static var keys: [String] {
        let k = MetricsState.k
        return ["recall@\(k)", "ndcg@\(k)", "mrr@\(k)"]
    }
    static var titles: [String] {
        let k = MetricsState.k
        return ["Recall@\(k)", "NDCG@\(k)", "MRR@\(k)"]
    }

    func render(in area: Rect, on canvas: inout Canvas) {
        let c = state.metrics
        let names = state.models.kinds
        let tableHeight = min(area.height / 2, names.count + 3)
        let (top, bottom) = area.splitTop(max(3, tableHeight))
        Box(title: "Models on the \(state.models.splitName) split's test part (full ranking, seen items left out)")
            .render(in: top, on: &canvas)
        let inner = Box.inner(top)
        guard !names.isEmpty else {
            canvas.draw("No models: the explorer was opened without a catalog (recscope tui --catalog FILE).",
                        x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        let columns = [Column("model", .fixed(max(8, names.map(\.rawValue.count).max() ?? 0)))] + Self.titles.map { Column($0, .fixed(9), .right) }
            + [Column("status", .fill)]
        let rows = names.map { name -> [String] in
            let values = Self.keys.map { key in c.byModel[name]?.values[key].map { NumberText.decimals($0, 4) } ?? "" }
            return [name.rawValue] + values + [status(name)]
        }
        TableView(columns: columns, rows: rows).render(in: inner, on: &canvas)

        // The difference histogram gets at most 16 rows; the per-metric charts the rest.
        let chartHeight = min(max(names.count + 2, bottom.height - 16), bottom.height / 2)
        let (chartRow, differenceArea) = bottom.splitTop(chartHeight)
        let charts = chartRow.columns([.percent(33), .percent(33), .fill])
        for (n, key) in Self.keys.enumerated() {
            Box(title: Self.titles[n]).render(in: charts[n], on: &canvas)
            let done = names.filter { c.byModel[$0] != nil }
            let chartArea = Box.inner(charts[n])
            guard !done.isEmpty else {
                canvas.draw("waiting for models…", x: chartArea.x, y: chartArea.y, maxWidth: chartArea.width, style: Theme.muted)
                continue
            }
            let values = done.map { c.byModel[$0]?.values[key] ?? 0 }
            BarChart(labels: done.map(\.rawValue), values: values, valueLabels: values.map { NumberText.decimals($0, 3) })
                .render(in: Rect(x: chartArea.x, y: chartArea.y, width: chartArea.width, height: min(chartArea.height, done.count)),
                        on: &canvas)
        }
        renderDifference(in: differenceArea, on: &canvas)
    }

    /// The key of the per-user metric whose A − B distribution is drawn.
    static var differenceKey: String { "ndcg@\(MetricsState.k)" }

    /// Per-user NDCG of Compare's model A minus model B: a histogram of the differences beside the mean
    /// and the share of users where A wins, ties and loses.
    func renderDifference(in area: Rect, on canvas: inout Canvas) {
        guard area.height >= 3 else { return }
        let c = state.selection, m = state.metrics.byModel
        let title = "NDCG@\(MetricsState.k) per user, A \(c.modelA.rawValue) − B \(c.modelB.rawValue)"
        guard let a = m[c.modelA]?.perUser[Self.differenceKey],
              let b = m[c.modelB]?.perUser[Self.differenceKey] else {
            Box(title: title).render(in: area, on: &canvas)
            let inner = Box.inner(area)
            canvas.draw("waiting for \(c.modelA.rawValue) and \(c.modelB.rawValue)… (a/b in Compare choose them)",
                        x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        guard let difference = MetricDifference(a: a, b: b) else {
            Box(title: title).render(in: area, on: &canvas)
            let inner = Box.inner(area)
            canvas.draw("\(c.modelA.rawValue) and \(c.modelB.rawValue) were evaluated on different users",
                        x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        Box(title: title + " (\(Format.count(difference.differences.count)) users)").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        let statsWidth = min(24, inner.width / 3)
        let parts = inner.columns([.fill, .fixed(statsWidth + 1)])
        let (plot, stats) = (parts[0], parts[1])
        let n = max(1, difference.differences.count)
        func share(_ count: Int) -> String { "\(Format.count(count)) (\(Int((Double(count) * 100 / Double(n)).rounded()))%)" }
        let lines: [(String, String)] = [
            ("mean Δ", Self.signed(difference.mean)),
            ("A wins", share(difference.wins)),
            ("ties", share(difference.ties)),
            ("B wins", share(difference.losses)),
        ]
        let statsArea = Rect(x: stats.x + 1, y: stats.y, width: max(0, stats.width - 1), height: stats.height)
        for (i, (label, value)) in lines.prefix(statsArea.height).enumerated() {
            canvas.draw(label, x: statsArea.x, y: statsArea.y + i, maxWidth: statsArea.width)
            canvas.draw(value, in: Rect(x: statsArea.x + 7, y: statsArea.y + i, width: max(0, statsArea.width - 7), height: 1),
                        alignment: .right)
        }
        for (i, note) in ["Δ = A − B per user;", "ties are not drawn"].enumerated() where lines.count + 1 + i < statsArea.height {
            canvas.draw(note, x: statsArea.x, y: statsArea.y + lines.count + 1 + i, maxWidth: statsArea.width, style: Theme.muted)
        }
        guard plot.height >= 2, plot.width >= 3 else { return }
        let (bars, axis) = plot.splitBottom(1)
        guard difference.bound > 0 else {
            canvas.draw("every user ties", x: bars.x, y: bars.y, maxWidth: bars.width, style: Theme.muted)
            return
        }
        // An odd number of bins, so that the middle one is centred on zero.
        var bins = min(41, plot.width)
        if bins % 2 == 0 { bins -= 1 }
        let columnWidth = max(1, plot.width / bins)
        let counts = difference.histogram(bins: bins)
        ColumnChart(values: counts.map(Double.init), columnWidth: columnWidth).render(in: bars, on: &canvas)
        let drawnWidth: Int = bins * columnWidth
        let drawn = Rect(x: axis.x, y: axis.y, width: drawnWidth, height: 1)
        let bound = difference.bound
        let high = Self.signed(bound)
        let highWidth = min(drawn.width, DisplayWidth.of(high))
        canvas.draw(Self.signed(-bound), x: drawn.x, y: axis.y, maxWidth: drawn.width / 2 - 1, style: Theme.muted)
        canvas.draw(high, x: drawn.maxX - highWidth, y: axis.y, maxWidth: highWidth, style: Theme.muted)
        let middle: Int = (bins / 2) * columnWidth + columnWidth / 2
        let zero: Int = drawn.x + middle
        canvas.draw("0", x: zero, y: axis.y, maxWidth: 1, style: Theme.muted)
    }

    /// A difference with its sign, to three decimals: +0.026, −0.413.
    static func signed(_ value: Double) -> String {
        let text = NumberText.decimals(abs(value), 3)
        return value > 0 ? "+" + text : value < 0 ? "−" + text : text
    }

    func status(_ name: ModelKind) -> String {
        switch state.models.status[name] {
        case .preparing(let line)?: return line
        case .failed(let message)?: return "failed: " + message
        case .ready(let info)?:
            let origin = info.origin == .stored ? "stored" : "trained in \(NumberText.duration(info.fitSeconds))"
            return state.metrics.byModel[name] != nil ? origin : "evaluating… (\(origin))"
        case nil: return ""
        }
    }
}
