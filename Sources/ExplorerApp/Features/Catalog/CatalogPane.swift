import RecCore
import RecWorkbench
import TUIKit

/// Catalog overview: counts, how interactions spread over users and items, the long tail of
/// item popularity, and activity over time.
struct CatalogPane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        guard let s = state.summary else {
            Box(title: "Catalog").render(in: area, on: &canvas)
            canvas.draw("loading…", x: area.x + 2, y: area.y + 1, style: Theme.muted)
            return
        }
        let bands = area.rows([.fixed(9), .fill, .fill])
        let top = bands[0].columns([.percent(40), .fill])
        let middle = bands[1].columns([.percent(50), .fill])
        let bottom = bands[2].columns([.percent(50), .fill])

        Box(title: "Counts").render(in: top[0], on: &canvas)
        let counts: [(String, String)] = [
            ("users", Format.count(s.users)), ("items", Format.count(s.items)),
            ("interactions", Format.count(s.interactions)), ("sessions", Format.count(s.sessions)),
            ("density", density(s.density)),
            ("from", Format.date(s.firstInteraction)), ("to", Format.date(s.lastInteraction)),
        ]
        let countsArea = Box.inner(top[0])
        for (i, (name, value)) in counts.prefix(countsArea.height).enumerated() {
            canvas.draw(name, x: countsArea.x, y: countsArea.y + i, maxWidth: countsArea.width)
            let width = min(countsArea.width / 2, DisplayWidth.of(value))
            canvas.draw(value, in: Rect(x: countsArea.maxX - width, y: countsArea.y + i, width: width, height: 1),
                        alignment: .right, style: .bold)
        }

        Box(title: "Quantiles").render(in: top[1], on: &canvas)
        let names = s.perUser.quantiles.map(\.name)
        let quantileRows = [["per user"] + s.perUser.quantiles.map { formatCompact($0.value) },
                            ["per item"] + s.perItem.quantiles.map { formatCompact($0.value) }]
        let quantileArea = Box.inner(top[1])
        TableView(columns: [Column("", .fixed(9))] + names.map { Column($0, .fill, .right) }, rows: quantileRows)
            .render(in: quantileArea.splitTop(3).top, on: &canvas)
        canvas.draw("mean \(formatCompact(s.perUser.mean)) per user · \(formatCompact(s.perItem.mean)) per item",
                    x: quantileArea.x, y: quantileArea.y + 4, maxWidth: quantileArea.width, style: Theme.muted)

        histogram("Interactions per user", s.perUser, in: middle[0], on: &canvas)
        histogram("Interactions per item", s.perItem, in: middle[1], on: &canvas)

        Box(title: "Long tail: share of interactions by top items").render(in: bottom[0], on: &canvas)
        let plotArea = Box.inner(bottom[0])
        let (plot, axis) = plotArea.splitBottom(1)
        let points = s.longTail.enumerated().map { (x: Double($0.offset + 1) / Double(s.longTail.count), y: $0.element) }
        BraillePlot(points: points, xRange: 0...1, yRange: 0...1).render(in: plot, on: &canvas)
        canvas.draw(tailNote(s.longTail), x: axis.x, y: axis.y, maxWidth: axis.width, style: Theme.muted)

        Box(title: "Activity over time").render(in: bottom[1], on: &canvas)
        let activityArea = Box.inner(bottom[1])
        let counts2 = s.activity.map { Double($0.count) }
        let (spark, labels) = activityArea.splitBottom(1)
        Sparkline(values: counts2).render(in: spark.row(spark.height - 1), on: &canvas)
        canvas.draw(Format.date(s.activity.first?.start), x: labels.x, y: labels.y, maxWidth: labels.width, style: Theme.muted)
        let end = Format.date(s.lastInteraction)
        canvas.draw(end, in: Rect(x: labels.maxX - 10, y: labels.y, width: 10, height: 1), alignment: .right, style: Theme.muted)
        if spark.height >= 2 {
            let peak = s.activity.max { $0.count < $1.count }
            canvas.draw("peak \(peak.map { Format.count($0.count) } ?? "0") per bucket, \(s.activity.count) buckets",
                        x: spark.x, y: spark.y, maxWidth: spark.width, style: Theme.muted)
        }
    }

    func density(_ d: Double) -> String {
        let percent = d * 100
        return percent >= 0.1 ? "\(formatCompact((percent * 100).rounded() / 100))%" : "\(formatCompact((percent * 10000).rounded() / 10000))%"
    }

    /// "top 20% of items: 61% of interactions".
    func tailNote(_ curve: [Double]) -> String {
        guard !curve.isEmpty else { return "" }
        let i = max(0, curve.count / 5 - 1)
        return "top 20% of items hold \(Int((curve[i] * 100).rounded()))% of interactions"
    }

    func histogram(_ title: String, _ d: CountDistribution, in area: Rect, on canvas: inout Canvas) {
        Box(title: title).render(in: area, on: &canvas)
        let inner = Box.inner(area)
        let bins = merged(d.log2Histogram, rows: inner.height)
        BarChart(labels: bins.map(\.label), values: bins.map { Double($0.count) }).render(in: inner, on: &canvas)
    }

    /// log2 bins, merged pairwise from the top until they fit in `rows`.
    func merged(_ histogram: [Int], rows: Int) -> [(label: String, count: Int)] {
        var bins = histogram.enumerated().map { (lo: 1 << $0.offset, hi: (1 << ($0.offset + 1)) - 1, count: $0.element) }
        while bins.count > max(1, rows), bins.count >= 2 {
            let a = bins.removeLast(), b = bins.removeLast()
            bins.append((b.lo, a.hi, a.count + b.count))
        }
        return bins.map { (label: $0.lo == $0.hi ? "\($0.lo)" : "\(formatCompact(Double($0.lo)))-\(formatCompact(Double($0.hi)))", count: $0.count) }
    }
}
