import Foundation
import RecCore

/// Small charts as inline SVG for the report: no script, no external reference, every label escaped
/// (`HTMLText`). Numbers are written with fixed decimals, so equal data gives equal bytes.
public enum SVGChart {
    /// One named series of a line chart.
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(_ name: String, _ values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// The palette series and bars cycle through (colour-blind-safe Okabe–Ito).
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999"]

    static func f(_ x: Double) -> String { String(format: "%.1f", x.isFinite ? x : 0) }

    /// A number for an axis or a bar label: `0.1234`, `12.5`, `1200`.
    static func label(_ v: Double) -> String {
        if !v.isFinite { return "–" }
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        if abs(v) >= 100 { return String(format: "%.0f", v) }
        if abs(v) >= 1 { return String(format: "%.2f", v) }
        return String(format: "%.4f", v)
    }

    /// Vertical bars, one per value, with labels under them (every `labelEvery`-th) and the value above.
    public static func bars(_ values: [Double], labels: [String], width: Int = 520, height: Int = 180, valueLabels: Bool = true,
                            labelEvery: Int = 1, title: String) -> String {
        let top = 16.0, bottom = 30.0, left = 8.0
        let plotH = Double(height) - top - bottom
        let maxV = max(values.max() ?? 0, 1e-12)
        let slot = (Double(width) - 2 * left) / Double(max(1, values.count))
        var out = svgOpen(width, height, title)
        for (n, v) in values.enumerated() {
            let h = max(0, v) / maxV * plotH
            let x = left + Double(n) * slot
            out += "<rect x=\"\(f(x + slot * 0.1))\" y=\"\(f(top + plotH - h))\" width=\"\(f(slot * 0.8))\" height=\"\(f(h))\" fill=\"\(colours[0])\"><title>\(HTMLText.escape(n < labels.count ? labels[n] : "", limit: 80)): \(label(v))</title></rect>"
            if valueLabels && values.count <= 24 {
                out += "<text x=\"\(f(x + slot / 2))\" y=\"\(f(top + plotH - h - 3))\" text-anchor=\"middle\" class=\"v\">\(label(v))</text>"
            }
            if n < labels.count && n % max(1, labelEvery) == 0 {
                out += "<text x=\"\(f(x + slot / 2))\" y=\"\(f(Double(height) - bottom + 14))\" text-anchor=\"middle\">\(HTMLText.escape(labels[n], limit: 14))</text>"
            }
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(Double(width) - left))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        return out + "</svg>"
    }

    /// Horizontal bars (a label, a bar, the value), for one metric across models.
    public static func horizontalBars(_ rows: [(label: String, value: Double)], width: Int = 320, title: String) -> String {
        let rowH = 22.0, labelW = 80.0, valueW = 56.0
        let height = Int(rowH * Double(max(1, rows.count)) + 8)
        let maxV = max(rows.map(\.value).max() ?? 0, 1e-12)
        var out = svgOpen(width, height, title)
        for (n, r) in rows.enumerated() {
            let y = 4 + Double(n) * rowH
            let w = max(0, r.value) / maxV * (Double(width) - labelW - valueW)
            out += "<text x=\"\(f(labelW - 6))\" y=\"\(f(y + 15))\" text-anchor=\"end\">\(HTMLText.escape(r.label, limit: 12))</text>"
            out += "<rect x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"\(f(rowH - 6))\" fill=\"\(colours[n % colours.count])\"/>"
            out += "<text x=\"\(f(labelW + w + 4))\" y=\"\(f(y + 15))\" class=\"v\">\(label(r.value))</text>"
        }
        return out + "</svg>"
    }

    /// Lines over a shared x axis (0 … n − 1), with a legend; y from 0 to the largest value (or `yMax`).
    public static func lines(_ series: [Series], xLabels: [String] = [], width: Int = 520, height: Int = 200, yMax: Double? = nil,
                             title: String) -> String {
        let top = 12.0, bottom = 34.0, left = 40.0, right = 12.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let n = series.map(\.values.count).max() ?? 0
        let maxV = yMax ?? max(series.flatMap(\.values).filter(\.isFinite).max() ?? 0, 1e-12)
        var out = svgOpen(width, height, title)
        for tick in 0...4 {
            let v = maxV * Double(tick) / 4, y = top + plotH - plotH * Double(tick) / 4
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" class=\"grid\"/>"
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label(v))</text>"
        }
        func x(_ i: Int) -> Double { left + (n <= 1 ? 0 : plotW * Double(i) / Double(n - 1)) }
        for (s, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(f(x($0.offset))),\(f(top + plotH - min(1, max(0, $0.element / maxV)) * plotH))" }
            out += "<polyline fill=\"none\" stroke=\"\(colours[s % colours.count])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"><title>\(HTMLText.escape(line.name, limit: 60))</title></polyline>"
            out += "<rect x=\"\(f(left + Double(s) * 120))\" y=\"\(f(Double(height) - 14))\" width=\"10\" height=\"10\" fill=\"\(colours[s % colours.count])\"/>"
            out += "<text x=\"\(f(left + Double(s) * 120 + 14))\" y=\"\(f(Double(height) - 5))\">\(HTMLText.escape(line.name, limit: 16))</text>"
        }
        let step = max(1, xLabels.count / 6)
        for (i, l) in xLabels.enumerated() where i % step == 0 {
            out += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(HTMLText.escape(l, limit: 12))</text>"
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        return out + "</svg>"
    }

    /// Labelled points in the plane (models by relevance and fairness) over a step line (the frontier).
    public static func scatter(_ points: [(label: String, x: Double, y: Double)], frontier: [(x: Double, y: Double)], xName: String,
                               yName: String, width: Int = 420, height: Int = 260, title: String) -> String {
        let top = 12.0, bottom = 36.0, left = 48.0, right = 16.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let xs = points.map(\.x) + frontier.map(\.x), ys = points.map(\.y) + frontier.map(\.y)
        let x0 = 0.0, x1 = max(xs.filter(\.isFinite).max() ?? 1, 1e-12) * 1.05
        let y0 = min(0, ys.filter(\.isFinite).min() ?? 0), y1 = max(ys.filter(\.isFinite).max() ?? 1, 1e-12) * 1.05
        func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * plotW }
        func py(_ v: Double) -> Double { top + plotH - (v - y0) / max(1e-12, y1 - y0) * plotH }
        var out = svgOpen(width, height, title)
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" class=\"axis\"/>"
        for tick in 0...4 {
            let vx = x0 + (x1 - x0) * Double(tick) / 4, vy = y0 + (y1 - y0) * Double(tick) / 4
            out += "<text x=\"\(f(px(vx)))\" y=\"\(f(top + plotH + 14))\" text-anchor=\"middle\">\(label(vx))</text>"
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(py(vy) + 4))\" text-anchor=\"end\">\(label(vy))</text>"
        }
        let sorted = frontier.filter { $0.x.isFinite && $0.y.isFinite }.sorted { $0.x < $1.x }
        if !sorted.isEmpty {
            out += "<polyline fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 3\" points=\"\(sorted.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " "))\"><title>Pareto frontier</title></polyline>"
            for p in sorted { out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2\" fill=\"#999\"/>" }
        }
        for (n, p) in points.enumerated() where p.x.isFinite && p.y.isFinite {
            out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"5\" fill=\"\(colours[n % colours.count])\"><title>\(HTMLText.escape(p.label, limit: 40))</title></circle>"
            out += "<text x=\"\(f(px(p.x) + 7))\" y=\"\(f(py(p.y) - 6))\">\(HTMLText.escape(p.label, limit: 14))</text>"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(Double(height) - 4))\" text-anchor=\"middle\">\(HTMLText.escape(xName, limit: 40))</text>"
        out += "<text x=\"12\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\" text-anchor=\"middle\">\(HTMLText.escape(yName, limit: 40))</text>"
        return out + "</svg>"
    }

    static func svgOpen(_ width: Int, _ height: Int, _ title: String) -> String {
        "<svg viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\">"
            + "<title>\(HTMLText.escape(title, limit: 120))</title>"
    }
}
