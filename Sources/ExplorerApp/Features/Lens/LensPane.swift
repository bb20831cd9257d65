import RecEval
import RecWorkbench
import TUIKit

/// Lens: NDCG@10 (√ scale, as DPFR's plots) against the chosen fairness measure, with the Pareto frontier in
/// braille and each model as its number; the selected model's exposure Lorenz curve; its k-occurrence
/// histogram and hubs; the segment table of the chosen segmentation.
struct LensPane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let l = state.lens
        guard !state.models.isEmpty else {
            Box(title: "Lens").render(in: area, on: &canvas)
            muted("No models: the explorer was opened without a catalog (recscope tui --catalog FILE).", Box.inner(area), &canvas)
            return
        }
        guard let snapshot = l.snapshot else {
            Box(title: "Lens").render(in: area, on: &canvas)
            let waiting = state.models.kinds.filter { !state.models.isReady($0) }.map(\.rawValue)
            muted(waiting.isEmpty ? "computing the lens of every model…" : "preparing " + waiting.joined(separator: ", ") + "…",
                  Box.inner(area), &canvas)
            return
        }
        let halves = area.rows([.percent(55), .fill])
        let top = halves[0].columns([.percent(60), .fill])
        let bottom = halves[1].columns([.percent(45), .fill])
        renderFrontier(snapshot, in: top[0], on: &canvas)
        renderLorenz(in: top[1], on: &canvas)
        renderHubs(in: bottom[0], on: &canvas)
        renderSegments(snapshot, in: bottom[1], on: &canvas)
    }

    func muted(_ text: String, _ area: Rect, _ canvas: inout Canvas, row: Int = 0) {
        guard row < area.height else { return }
        canvas.draw(text, x: area.x, y: area.y + row, maxWidth: area.width, style: Theme.muted)
    }

    func focusStyle(_ part: LensPart) -> Style { state.lens.part == part ? Theme.title.with(.reverse) : Theme.title }

    static func value(_ v: Double?, _ digits: Int = 3) -> String {
        guard let v, v.isFinite else { return "—" }
        return NumberText.decimals(v, digits)
    }

    /// The scatter: frontier as a braille line, models as their numbers, the legend below.
    func renderFrontier(_ s: LensSnapshot, in box: Rect, on canvas: inout Canvas) {
        let l = state.lens, axis = l.fairness
        let fair = axis.metric.key(at: s.k), dpfr = axis.key(at: s.k), ndcg = "ndcg@\(s.k)"
        Box(title: "NDCG@\(s.k) (√) vs \(axis.rawValue) · Pareto frontier (\(s.frontier.count) pts)", titleStyle: focusStyle(.models))
            .render(in: box, on: &canvas)
        let inner = Box.inner(box)
        let legendRows = min(s.models.count, max(0, inner.height - 3))
        let (plot, legend) = inner.splitBottom(legendRows)
        guard plot.height >= 2, plot.width >= 8 else { return }
        let (yAxis, field) = (Rect(x: plot.x, y: plot.y, width: 4, height: plot.height),
                              Rect(x: plot.x + 5, y: plot.y, width: plot.width - 5, height: plot.height))
        let x = { (v: Double) in max(0, v).squareRoot() }
        BraillePlot(points: s.frontier.map { (x($0.ndcg), $0.fairness(axis)) }, xRange: 0...1, yRange: 0...1, mode: .line,
                    style: Theme.muted).render(in: field, on: &canvas)
        if let r = s.references[axis.rawValue], r.count == 2 { mark("×", r[0].squareRoot(), r[1], field, &canvas, Theme.accent) }
        for (n, m) in s.models.enumerated() {
            guard let rel = m.values[ndcg], let f = m.values[fair], rel.isFinite, f.isFinite else { continue }
            mark(String(n + 1), x(rel), f, field, &canvas, n == l.model ? Theme.selected : Theme.header)
        }
        canvas.draw("1.0", x: yAxis.x, y: yAxis.y, maxWidth: 4, style: Theme.muted)
        canvas.draw("0.0", x: yAxis.x, y: yAxis.maxY - 1, maxWidth: 4, style: Theme.muted)
        for (n, m) in s.models.prefix(legendRows).enumerated() {
            let text = "\(n + 1) \(m.model.rawValue)  ndcg \(Self.value(m.values[ndcg]))  \(axis.rawValue) \(Self.value(m.values[fair]))"
                + "  DPFR \(Self.value(m.values[dpfr]))"
            canvas.draw(text, x: legend.x, y: legend.y + n, maxWidth: legend.width,
                        style: n == l.model && l.part == .models ? Theme.selected : .plain)
        }
    }

    /// A one-cell marker at (x, y) of the unit square drawn in `field`.
    func mark(_ text: String, _ x: Double, _ y: Double, _ field: Rect, _ canvas: inout Canvas, _ style: Style) {
        let cx = field.x + Int((min(1, max(0, x)) * Double(field.width - 1)).rounded())
        let cy = field.y + field.height - 1 - Int((min(1, max(0, y)) * Double(field.height - 1)).rounded())
        canvas.draw(text, x: cx, y: cy, maxWidth: 1, style: style)
    }

    /// The Lorenz curve of the selected model's exposure against the line of equal exposure.
    func renderLorenz(in box: Rect, on canvas: inout Canvas) {
        guard let m = state.lens.selectedModel else { return }
        let k = state.lens.snapshot?.k ?? LensState.k
        Box(title: "Exposure Lorenz · \(m.model.rawValue) · Gini \(Self.value(m.values["gini@\(k)"]))").render(in: box, on: &canvas)
        let inner = Box.inner(box)
        guard inner.height >= 2, inner.width >= 4 else { return }
        let (plot, caption) = inner.splitBottom(1)
        let steps = Double(max(1, m.lorenz.count - 1))
        BraillePlot(points: [(0, 0), (1, 1)], xRange: 0...1, yRange: 0...1, mode: .line, style: Theme.muted).render(in: plot, on: &canvas)
        BraillePlot(points: m.lorenz.enumerated().map { (Double($0.offset) / steps, $0.element) }, xRange: 0...1, yRange: 0...1,
                    mode: .line, style: Theme.accent).render(in: plot, on: &canvas)
        muted("items by exposure → share of slots", caption, &canvas)
    }

    /// The k-occurrence histogram of the selected model and its hubs, most frequent first.
    func renderHubs(in box: Rect, on canvas: inout Canvas) {
        guard let m = state.lens.selectedModel, let s = state.lens.snapshot else { return }
        Box(title: "k-occurrence · skew \(Self.value(m.values["kocc_skew@\(s.k)"], 2)) · \(m.hubCount) hubs · \(m.antiHubCount) never shown",
            titleStyle: focusStyle(.hubs)).render(in: box, on: &canvas)
        let inner = Box.inner(box)
        guard inner.height >= 3 else { return }
        let chartHeight = max(2, inner.height / 3)
        let (chart, list) = inner.splitTop(chartHeight)
        let bins = max(1, min(chart.width, m.kOccurrence.count))
        let hubness = Hubness.histogram(distribution: m.kOccurrence, bins: bins)
        ColumnChart(values: hubness.map(Double.init), columnWidth: max(1, chart.width / bins)).render(in: chart, on: &canvas)
        let rows = m.hubs.map { [String($0.count), $0.title.isEmpty ? $0.id : $0.title] }
        TableView(columns: [Column("N_k", .fixed(5), .right), Column("hub", .fill)], rows: rows,
                  selected: state.lens.part == .hubs ? state.lens.hub : nil).render(in: list, on: &canvas)
        if rows.isEmpty { muted("no hubs (no item above twice the mean)", list, &canvas, row: 1) }
    }

    /// Each segment's users and the selected model's NDCG, fairness and DPFR over them.
    func renderSegments(_ s: LensSnapshot, in box: Rect, on canvas: inout Canvas) {
        let l = state.lens
        let model = l.selectedModel?.model
        Box(title: "Segments by \(l.segmentation.rawValue) · \(model?.rawValue ?? "")", titleStyle: focusStyle(.segments))
            .render(in: box, on: &canvas)
        let axis = l.fairness
        let rows = l.segments.map { seg -> [String] in
            let v = model.flatMap { seg.values[$0] } ?? [:]
            return [seg.name, Format.count(seg.users.count), Self.value(v["ndcg@\(s.k)"]), Self.value(v[axis.metric.key(at: s.k)]),
                    Self.value(v["puf_ndcg@\(s.k)"]), Self.value(v[axis.key(at: s.k)])]
        }
        TableView(columns: [Column("segment", .fill), Column("users", .fixed(6), .right), Column("ndcg", .fixed(5), .right),
                            Column(String(axis.rawValue.prefix(4)), .fixed(5), .right), Column("puf", .fixed(5), .right),
                            Column("dpfr", .fixed(5), .right)],
                  rows: rows, selected: l.part == .segments ? l.segment : nil).render(in: Box.inner(box), on: &canvas)
    }
}
