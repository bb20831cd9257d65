import Foundation
import RecCore
import RecModels

/// Why-this-item as text: the same lines for `recommend --explain`, Compare's why view and the What-if pane.
extension StagePresenter {
    /// A signed score part: `+0.4123`, `−0.0210` (four significant decimals, never locale-formatted).
    public static func signed(_ v: Float, digits: Int = 4) -> String {
        let text = String(format: "%.\(digits)f", abs(Double(v)))
        return (v < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "−" : "+") + text
    }

    /// A share of the score as a whole percentage, with a minus sign when negative: `26%`, `−2%`.
    static func share(_ w: Float) -> String {
        let p = Int((w * 100).rounded())
        return p < 0 ? "−\(-p)%" : "\(p)%"
    }

    /// One line on how the parts relate to the score: `39 history items and 1 term add up to the score 1.2345`.
    public static func partsLine(_ e: ItemExplanation, historyCount: Int) -> String {
        let score = String(format: "%.5g", e.score)
        switch e.basis {
        case .attention:
            return "attention over the \(e.contributions.count) items read (weights, not parts of the score \(score))"
        case .similarity:
            return "bias + factors = \(score); history items by the cosine of their factors with the item's"
        case .additive:
            let n = e.contributions.count, t = e.terms.count
            var parts: [String] = []
            if n > 0 { parts.append("\(n) history item\(n == 1 ? "" : "s")") }
            if t > 0 { parts.append("\(t) term\(t == 1 ? "" : "s")") }
            let what = parts.isEmpty ? "nothing" : parts.joined(separator: " and ")
            let sum = e.reproducedScore.map { String(format: "%.5g", $0) } ?? "?"
            switch e.link {
            case .identity: return "\(what) add\(n + t == 1 ? "s" : "") up to \(sum) (score \(score))"
            case .logistic: return "\(what): σ(\(String(format: "%.4g", e.total))) = \(sum) (score \(score))"
            case .logisticMinusOne: return "\(what): σ(\(String(format: "%.4g", e.total))) − 1 = \(sum) (score \(score); no retriever proposed it)"
            }
        }
    }

    /// The rows of one explanation, largest first: history items (`value  bar  id  title`), then its terms,
    /// at most `limit` history rows with the rest summed on one line.
    public static func whyRows(_ list: ExplainedList, _ e: ItemExplanation, limit: Int, barWidth: Int = 12) -> [String] {
        let shown = e.contributions.prefix(max(0, limit))
        let scale = max(shown.map { abs($0.value) }.max() ?? 0, e.terms.map { abs($0.value) }.max() ?? 0, 1e-12)
        // Shares of the score where the parts add up to it directly.
        let shares = e.basis == .additive && e.link == .identity && abs(e.score) > 1e-12
        func row(_ value: Float, _ label: String) -> String {
            var v = e.basis == .attention ? NumberText.pad(percent(value), 7) : NumberText.pad(signed(value), 9)
            if shares { v += NumberText.pad(share(value / e.score), 5) }
            return v + "  " + bar(abs(value) / scale, width: barWidth).padding(toLength: barWidth, withPad: " ", startingAt: 0) + "  " + label
        }
        var lines = shown.map { c in row(c.value, list.name(c.item).id.padding(toLength: 6, withPad: " ", startingAt: 0) + " " + list.label(c.item)) }
        let rest = e.contributions.dropFirst(shown.count)
        if !rest.isEmpty {
            let sum = rest.reduce(Float(0)) { $0 + $1.value }
            lines.append(NumberText.pad(e.basis == .attention ? percent(sum) : signed(sum), e.basis == .attention ? 7 : 9)
                + (shares ? NumberText.pad(share(sum / e.score), 5) : "") + "  … \(rest.count) more history item\(rest.count == 1 ? "" : "s") together")
        }
        // rank's terms are its features: their values beside their names.
        var values: [String: Float] = [:]
        if case .ranker(let r)? = e.detail { for f in r.features { values[f.name] = f.value } }
        for t in e.terms.sorted(by: { abs($0.value) > abs($1.value) }) {
            lines.append(row(t.value, "[" + t.name + (values[t.name].map { " = " + String(format: "%.4g", $0) } ?? "") + "]"))
        }
        return lines.map(TerminalText.sanitize)
    }

    /// The model-specific lines: pop's count and rank, sid's code path, rank's retrievers, the attention heads.
    public static func detailLines(_ list: ExplainedList, _ e: ItemExplanation) -> [String] {
        guard let detail = e.detail else { return [] }
        switch detail {
        case let .popularity(count, rank, items):
            return ["popularity: \(Int(count)) users · rank \(rank) of \(items) items"]
        case .semanticPath(let p):
            let path = p.levels.map { String($0.code) }.joined(separator: "-")
            let levels = p.levels.enumerated().map { l, x in
                "level \(l) code \(x.code): prefix \(signed(x.centroid, digits: 3)), transition \(signed(x.transition, digits: 3))"
            }
            var lines = ["code path \(path) · transition weight w = \(String(format: "%.3g", p.transitionWeight)) · w·Σ terms = \(signed(p.transitionScore))"]
            lines += levels
            lines.append("item's own transition term \(signed(p.itemTransition, digits: 3))")
            if let last = p.lastItem {
                lines.append("transitions from the last item \(list.name(last).id) \(list.label(last)) (path \(p.lastPath.map(String.init).joined(separator: "-")))")
            }
            return lines.map(TerminalText.sanitize)
        case .ranker(let r):
            let sources = r.sources.map { "\($0.retriever) \($0.rank.map { "#\($0)" } ?? "–")" }.joined(separator: " · ")
            return [r.candidate ? "proposed by: \(sources) (rank in each retriever's candidates)"
                    : "proposed by no retriever (ranked after every candidate)"]
        case .attention(let a):
            return ["last block, \(a.heads.count) head\(a.heads.count == 1 ? "" : "s"), mean over heads, from the scoring position over \(a.items.count) positions"]
        }
    }

    /// Everything `recommend --explain` prints for item `n` of the list: header, parts line, rows and detail.
    public static func why(_ list: ExplainedList, item n: Int, limit: Int = 8) -> [String] {
        let e = list.explanations[n]
        let name = list.name(e.item)
        var lines = ["#\(n + 1)  \(name.id)  \(list.label(e.item))  score \(String(format: "%.5g", e.score))",
                     "    " + partsLine(e, historyCount: list.history.count)]
        lines += whyRows(list, e, limit: limit).map { "    " + $0 }
        lines += detailLines(list, e).map { "    " + $0 }
        return lines.map(TerminalText.sanitize)
    }
}
