import TUIKit

/// Metrics: Recall, NDCG and MRR at 10 of every model on the split's test part, as a table and as
/// one bar chart per metric; models still training show their progress line.
struct MetricsPane: Widget {
    let state: AppState

    static var keys: [String] {
        let k = CompareState.metricsK
        return ["recall@\(k)", "ndcg@\(k)", "mrr@\(k)"]
    }
    static var titles: [String] {
        let k = CompareState.metricsK
        return ["Recall@\(k)", "NDCG@\(k)", "MRR@\(k)"]
    }

    func render(in area: Rect, on canvas: inout Canvas) {
        let c = state.compare
        let names = c.modelNames
        let tableHeight = min(area.height / 2, names.count + 3)
        let (top, bottom) = area.splitTop(max(3, tableHeight))
        Box(title: "Models on the \(c.splitName) split's test part (full ranking, seen items left out)")
            .render(in: top, on: &canvas)
        let inner = Box.inner(top)
        guard !names.isEmpty else {
            canvas.draw("No models: the explorer was opened without a catalog (recscope tui --catalog FILE).",
                        x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        let columns = [Column("model", .fixed(8))] + Self.titles.map { Column($0, .fixed(9), .right) }
            + [Column("status", .fill)]
        let rows = names.map { name -> [String] in
            let values = Self.keys.map { key in c.metrics[name]?.values[key].map { ComparePane.trim($0, digits: 4) } ?? "" }
            return [name] + values + [status(name)]
        }
        TableView(columns: columns, rows: rows).render(in: inner, on: &canvas)

        let charts = bottom.columns([.percent(33), .percent(33), .fill])
        for (n, key) in Self.keys.enumerated() {
            Box(title: Self.titles[n]).render(in: charts[n], on: &canvas)
            let done = names.filter { c.metrics[$0] != nil }
            let chartArea = Box.inner(charts[n])
            guard !done.isEmpty else {
                canvas.draw("waiting for models…", x: chartArea.x, y: chartArea.y, maxWidth: chartArea.width, style: Theme.muted)
                continue
            }
            let values = done.map { c.metrics[$0]?.values[key] ?? 0 }
            BarChart(labels: done, values: values, valueLabels: values.map { ComparePane.trim($0, digits: 3) })
                .render(in: Rect(x: chartArea.x, y: chartArea.y, width: chartArea.width, height: min(chartArea.height, done.count)),
                        on: &canvas)
        }
    }

    func status(_ name: String) -> String {
        let c = state.compare
        switch c.status[name] {
        case .preparing(let line)?: return line
        case .failed(let message)?: return "failed: " + message
        case .ready(let info)?:
            let origin = info.origin == .stored ? "stored" : "trained in \(ComparePane.duration(info.fitSeconds))"
            return c.metrics[name] != nil ? origin : "evaluating… (\(origin))"
        case nil: return ""
        }
    }
}
