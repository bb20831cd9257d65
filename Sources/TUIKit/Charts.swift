/// Block glyphs for eighths of a cell: index 1...8 of `horizontalEighths` is 1/8...8/8 wide.
let horizontalEighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
/// Sparkline levels, lowest to highest.
let sparkLevels = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

/// A bar of `fraction` (clamped to 0...1) of `width` cells, in eighths of a cell: `████▍`.
public func horizontalBar(fraction: Double, width: Int) -> String {
    let f = fraction.isNaN ? 0 : min(1, max(0, fraction))
    let eighths = Int((f * Double(max(0, width) * 8)).rounded())
    return String(repeating: "█", count: eighths / 8) + horizontalEighths[eighths % 8]
}

/// Horizontal bars, one per row: label, bar in eighths of a cell, value.
public struct BarChart: Widget {
    public var labels: [String]
    public var values: [Double]
    public var valueLabels: [String]
    public var barStyle: Style

    public init(labels: [String], values: [Double], valueLabels: [String]? = nil, barStyle: Style = Theme.accent) {
        self.labels = labels
        self.values = values
        self.valueLabels = valueLabels ?? values.map { formatCompact($0) }
        self.barStyle = barStyle
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let labelWidth = min(area.width / 3, labels.map { DisplayWidth.of($0) }.max() ?? 0)
        let valueWidth = min(area.width / 4, valueLabels.map { DisplayWidth.of($0) }.max() ?? 0)
        let barWidth = max(0, area.width - labelWidth - valueWidth - 2)
        let top = values.max() ?? 0
        for (row, value) in values.prefix(area.height).enumerated() {
            let y = area.y + row
            canvas.draw(labels[row], in: Rect(x: area.x, y: y, width: labelWidth, height: 1), alignment: .right)
            let bar = horizontalBar(fraction: top > 0 ? max(0, value) / top : 0, width: barWidth)
            canvas.draw(bar, x: area.x + labelWidth + 1, y: y, maxWidth: barWidth, style: barStyle)
            canvas.draw(valueLabels[row], in: Rect(x: area.maxX - valueWidth, y: y, width: valueWidth, height: 1),
                        alignment: .right)
        }
    }
}

/// One row of `▁▂▃▄▅▆▇█`, scaled from zero to the largest value; longer series are averaged
/// into as many buckets as there are columns.
public struct Sparkline: Widget {
    public var values: [Double]
    public var style: Style

    public init(values: [Double], style: Style = Theme.accent) {
        self.values = values
        self.style = style
    }

    /// The series resampled to at most `width` points by averaging consecutive runs.
    public static func resample(_ values: [Double], width: Int) -> [Double] {
        guard width > 0, values.count > width else { return values }
        return (0..<width).map { i in
            let lo = i * values.count / width, hi = (i + 1) * values.count / width
            return values[lo..<hi].reduce(0, +) / Double(hi - lo)
        }
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let points = Sparkline.resample(values, width: area.width)
        let top = points.max() ?? 0
        for (i, v) in points.enumerated() {
            let level = top > 0 ? min(7, Int((max(0, v) / top * 7).rounded())) : 0
            canvas.put(Glyph(sparkLevels[level], width: 1), x: area.x + i, y: area.y, style: style)
        }
    }
}

/// A plot in braille dots (2 × 4 per cell), as connected lines or separate points.
public struct BraillePlot: Widget {
    public enum Mode: Hashable, Sendable { case line, scatter }
    public var points: [(x: Double, y: Double)]
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var mode: Mode
    public var style: Style

    public init(points: [(x: Double, y: Double)], xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil, mode: Mode = .line, style: Style = Theme.accent) {
        self.points = points
        self.xRange = xRange
        self.yRange = yRange
        self.mode = mode
        self.style = style
    }

    /// Bit of the braille pattern (U+2800 + bits) for the dot at column `dx` (0, 1), row `dy` (0...3).
    static let dotBits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty, !points.isEmpty else { return }
        let xs = xRange ?? (points.map(\.x).min()!...points.map(\.x).max()!)
        let ys = yRange ?? (points.map(\.y).min()!...points.map(\.y).max()!)
        let dotsWide = area.width * 2, dotsHigh = area.height * 4
        func dot(_ p: (x: Double, y: Double)) -> (Int, Int) {
            let fx = xs.upperBound > xs.lowerBound ? (p.x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) : 0
            let fy = ys.upperBound > ys.lowerBound ? (p.y - ys.lowerBound) / (ys.upperBound - ys.lowerBound) : 0
            let dx = Int((min(1, max(0, fx)) * Double(dotsWide - 1)).rounded())
            let dy = dotsHigh - 1 - Int((min(1, max(0, fy)) * Double(dotsHigh - 1)).rounded())
            return (dx, dy)
        }
        var bits = [UInt32](repeating: 0, count: area.width * area.height)
        func set(_ dx: Int, _ dy: Int) {
            bits[(dy / 4) * area.width + dx / 2] |= BraillePlot.dotBits[dy % 4][dx % 2]
        }
        var previous: (Int, Int)? = nil
        for p in points {
            let d = dot(p)
            if mode == .line, let from = previous {
                BraillePlot.line(from: from, to: d, set)
            } else {
                set(d.0, d.1)
            }
            previous = d
        }
        for (i, b) in bits.enumerated() where b != 0 {
            let glyph = Glyph(String(Unicode.Scalar(0x2800 + b)!), width: 1)
            canvas.put(glyph, x: area.x + i % area.width, y: area.y + i / area.width, style: style)
        }
    }

    /// Bresenham's line between two dots, inclusive.
    static func line(from a: (Int, Int), to b: (Int, Int), _ set: (Int, Int) -> Void) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y)
            if x == b.0 && y == b.1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}

/// A bar filling in eighths of a cell from left to right, with a percentage after it.
public struct ProgressBar: Widget {
    public var fraction: Double
    public var label: String
    public var style: Style

    public init(fraction: Double, label: String = "", style: Style = Theme.accent) {
        self.fraction = fraction
        self.label = label
        self.style = style
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let f = min(1, max(0, fraction.isNaN ? 0 : fraction))
        let suffix = (label.isEmpty ? "" : label + " ") + "\(Int((f * 100).rounded(.down)))%"
        let suffixWidth = min(area.width, DisplayWidth.of(suffix))
        let barWidth = max(0, area.width - suffixWidth - 1)
        let eighths = Int((f * Double(barWidth * 8)).rounded(.down))
        let bar = String(repeating: "█", count: eighths / 8) + horizontalEighths[eighths % 8]
        canvas.draw(bar, x: area.x, y: area.y, maxWidth: barWidth, style: style)
        canvas.draw(suffix, in: Rect(x: area.maxX - suffixWidth, y: area.y, width: suffixWidth, height: 1),
                    alignment: .right)
    }
}

/// A number in at most about five characters: 12, 1.2k, 3.4M, 0.25.
public func formatCompact(_ value: Double) -> String {
    let a = abs(value)
    if a >= 1e9 { return trimmed(value / 1e9) + "G" }
    if a >= 1e6 { return trimmed(value / 1e6) + "M" }
    if a >= 1e4 { return trimmed(value / 1e3) + "k" }
    if value == value.rounded() { return String(Int(value)) }
    return trimmed(value)
}

private func trimmed(_ v: Double) -> String {
    let scaled = (abs(v) >= 100 ? v.rounded() : abs(v) >= 10 ? (v * 10).rounded() / 10 : (v * 100).rounded() / 100)
    var s = String(scaled)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

/// Vertical bars, one per value, scaled from zero (bottom) to the largest value (top), in eighths
/// of a cell (`▁`…`█`); a positive value always shows at least `▁`.
public struct ColumnChart: Widget {
    public var values: [Double]
    /// Cells per bar; bars that do not fit are not drawn.
    public var columnWidth: Int
    public var style: Style

    public init(values: [Double], columnWidth: Int = 1, style: Style = Theme.accent) {
        self.values = values
        self.columnWidth = max(1, columnWidth)
        self.style = style
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let top = values.max() ?? 0
        guard top > 0 else { return }
        for (i, value) in values.enumerated() {
            let x = area.x + i * columnWidth
            guard x + columnWidth <= area.maxX else { break }
            var eighths = Int((max(0, value) / top * Double(area.height * 8)).rounded())
            if value > 0 { eighths = max(1, eighths) }
            for row in 0..<area.height {
                let filled = min(8, eighths - row * 8)
                guard filled > 0 else { break }
                let glyph = Glyph(sparkLevels[filled - 1], width: 1)
                for dx in 0..<columnWidth { canvas.put(glyph, x: x + dx, y: area.maxY - 1 - row, style: style) }
            }
        }
    }
}
