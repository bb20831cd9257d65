import Foundation
import RecSim
import TUIKit

extension SimulatePane {
    /// The colour of a population line: the baseline yellow, each policy its own.
    static func style(of line: PopulationLine) -> Style {
        guard line.policy != .static || line.listens else { return Theme.header }
        switch line.policy {
        case .static: return Style(foreground: .white)
        case .feedback: return Theme.title
        case .ts: return Theme.accent
        case .cascade: return Style(foreground: .magenta, attributes: .bold)
        }
    }

    /// `baseline` for static without instructions, else the policy's name.
    static func name(of line: PopulationLine) -> String {
        line.policy == .static && !line.listens ? "baseline" : line.policy.rawValue
    }

    /// The share of users still there at each turn, one braille curve per policy and the baseline, with a
    /// legend of mean session lengths (and CTR when there is room for one entry a line).
    func renderRetention(in area: Rect, on canvas: inout Canvas) {
        let users = SimulateState.populationUsers
        Box(title: "Retention: \(users) users").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard inner.height > 0 else { return }
        switch state.simulate.population {
        case nil:
            TextBlock("P runs \(users) users from the catalog under every policy and the baseline (static without instructions), on the same users and seeds, and draws the share still there at each turn.",
                      style: Theme.muted).render(in: inner, on: &canvas)
        case .running(_, let done, let total)?:
            ProgressBar(fraction: total == 0 ? 0 : Double(done) / Double(total), label: "\(done)/\(total) sessions")
                .render(in: inner.row(0), on: &canvas)
        case .failed(let message)?:
            TextBlock("failed: \(message)", style: Theme.warning).render(in: inner, on: &canvas)
        case .finished(let r)?:
            let legend = legendLines(r, width: inner.width, roomy: inner.height >= 12)
            let (chartArea, legendArea) = inner.splitBottom(min(legend.count, max(0, inner.height - 2)))
            // A turn axis under the curves when there is room for it.
            let (plotArea, turnAxis) = chartArea.splitBottom(chartArea.height >= 6 ? 1 : 0)
            if turnAxis.height == 1 {
                let last = "turn \(r.key.turns)"
                canvas.draw("turn 1", x: turnAxis.x + 5, y: turnAxis.y, maxWidth: turnAxis.width - 5, style: Theme.muted)
                canvas.draw(last, in: Rect(x: turnAxis.maxX - last.count, y: turnAxis.y, width: last.count, height: 1),
                            alignment: .right, style: Theme.muted)
            }
            for (n, parts) in legend.prefix(legendArea.height).enumerated() {
                var x = legendArea.x
                for (text, style) in parts {
                    canvas.draw(text, x: x, y: legendArea.y + n, maxWidth: legendArea.maxX - x, style: style)
                    x += text.count + 1
                }
            }
            let axisWidth = 5
            let (axis, plot) = (Rect(x: plotArea.x, y: plotArea.y, width: axisWidth, height: plotArea.height),
                                Rect(x: plotArea.x + axisWidth, y: plotArea.y, width: plotArea.width - axisWidth, height: plotArea.height))
            guard plot.height > 0, plot.width > 1 else { return }
            canvas.draw("100%", x: axis.x, y: axis.y, style: Theme.muted)
            if plot.height > 1 { canvas.draw("  0%", x: axis.x, y: axis.maxY - 1, style: Theme.muted) }
            let xRange = 0...Double(max(1, r.key.turns - 1))
            // The baseline first: where curves share a cell, the later policy's shows.
            for line in r.lines {
                let points = line.retention.enumerated().map { (x: Double($0.offset), y: $0.element) }
                BraillePlot(points: points, xRange: xRange, yRange: 0...1, style: Self.style(of: line)).render(in: plot, on: &canvas)
            }
        }
    }

    /// The legend as lines of coloured entries: one entry a line with CTR when `roomy`, else packed.
    func legendLines(_ r: PopulationResult, width: Int, roomy: Bool) -> [[(String, Style)]] {
        let suffix = r.key.agent ? "with instructions" : "without instructions"
        if roomy {
            return r.lines.enumerated().map { n, line in
                let what = n == 0 ? "(static, no instructions)" : suffix
                let name = Self.name(of: line).padding(toLength: 8, withPad: " ", startingAt: 0)
                return [("━ " + name + String(format: " %5.1f turns · CTR %.2f ", line.meanSessionLength, line.ctr) + what,
                         Self.style(of: line))]
            }
        }
        var lines: [[(String, Style)]] = [[]]
        var used = 0
        for line in r.lines {
            let entry = "━" + Self.name(of: line) + String(format: " %.1f", line.meanSessionLength)
            if used > 0 && used + 1 + entry.count > width {
                lines.append([])
                used = 0
            }
            lines[lines.count - 1].append((entry, Self.style(of: line)))
            used += (used > 0 ? 1 : 0) + entry.count
        }
        return lines
    }
}
