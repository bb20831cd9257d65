import Foundation
import RecCore
import RecModels

/// The report as one self-contained HTML file: inline CSS and SVG, no script, no external reference (a
/// Content-Security-Policy of `default-src 'none'` says so to the browser too), every text from data escaped
/// through `HTMLText` and cut to a readable length.
public enum HTMLReport {
    /// Sections and charts by element id, in page order: what a browser test looks for in the DOM.
    public static let sectionIDs = ["summary", "metrics", "fairness", "users", "simulation"]

    /// The ids of the charts a report of `data` holds.
    public static func chartIDs(_ data: ReportData) -> [String] {
        var ids = ["chart-per-user", "chart-per-item", "chart-long-tail", "chart-activity"]
        if data.lens != nil { ids += ["chart-recall", "chart-ndcg", "chart-mrr", "chart-frontier", "chart-lorenz"] }
        if !data.simulations.isEmpty { ids.append("chart-retention") }
        return ids
    }

    /// Titles are cut here (characters), so a 10 kB title stays one line.
    static let titleLimit = 120

    static func e(_ text: String, limit: Int = titleLimit) -> String { HTMLText.escape(text, limit: limit) }

    static func label(_ n: ItemName) -> String { n.title.isEmpty ? "item " + n.id : n.title }

    static func number(_ v: Double?, digits: Int = 4) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(digits)f", v)
    }

    public static func render(_ d: ReportData) -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>RecScope report: \(e(d.catalogName))</title>
        <style>\(css)</style>
        </head>
        <body>
        <header>
        <h1>RecScope report</h1>
        <p class="meta">catalog <b>\(e(d.catalogName))</b> · generated \(e(d.generated)) · split <b>\(e(d.split))</b> · K \(d.k) · models \(e(d.models.map(\.rawValue).joined(separator: ", ")))</p>
        <nav>\(sectionIDs.map { "<a href=\"#\($0)\">\($0)</a>" }.joined(separator: " · "))</nav>
        </header>

        """
        out += summarySection(d) + metricsSection(d) + fairnessSection(d) + usersSection(d) + simulationSection(d)
        out += """
        <footer>Made by <code>recscope report</code>: one file, inline CSS and SVG, no scripts and no network requests. \
        Text from the catalog is escaped; long titles are cut at \(titleLimit) characters.</footer>
        </body>
        </html>

        """
        return out
    }

    static func figure(_ id: String, _ svg: String, _ caption: String) -> String {
        "<figure class=\"chart\" id=\"\(id)\">\(svg)<figcaption>\(e(caption, limit: 200))</figcaption></figure>\n"
    }

    // MARK: catalog

    static func summarySection(_ d: ReportData) -> String {
        let s = d.summary
        let date = { (x: Date?) -> String in
            guard let x else { return "–" }
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: x)
        }
        let rows: [(String, String)] = [
            ("users", "\(s.users)"), ("items", "\(s.items)"), ("interactions", "\(s.interactions)"), ("sessions", "\(s.sessions)"),
            ("density", String(format: "%.4f%%", s.density * 100)),
            ("time span", "\(date(s.firstInteraction)) … \(date(s.lastInteraction))"),
            ("per user: min / median / p90 / max", "\(SVGChart.label(s.perUser.min)) / \(SVGChart.label(s.perUser.median)) / \(SVGChart.label(s.perUser.p90)) / \(SVGChart.label(s.perUser.max))"),
            ("per item: min / median / p90 / max", "\(SVGChart.label(s.perItem.min)) / \(SVGChart.label(s.perItem.median)) / \(SVGChart.label(s.perItem.p90)) / \(SVGChart.label(s.perItem.max))"),
        ]
        var out = "<section id=\"summary\"><h2>Catalog</h2>\n<table class=\"kv\">"
        out += rows.map { "<tr><th>\(e($0.0))</th><td>\(e($0.1))</td></tr>" }.joined() + "</table>\n<div class=\"charts\">\n"
        let buckets = { (h: [Int]) in h.indices.map { $0 == 0 ? "1" : "\(1 << $0)" } }
        out += figure("chart-per-user", SVGChart.bars(s.perUser.log2Histogram.map(Double.init), labels: buckets(s.perUser.log2Histogram),
                                                     title: "Interactions per user"), "Users by interactions (buckets from 1, 2, 4, 8, …)")
        out += figure("chart-per-item", SVGChart.bars(s.perItem.log2Histogram.map(Double.init), labels: buckets(s.perItem.log2Histogram),
                                                     title: "Interactions per item"), "Items by interactions (buckets from 1, 2, 4, 8, …)")
        out += figure("chart-long-tail", SVGChart.lines([.init("share of interactions", s.longTail)],
                                                        xLabels: s.longTail.indices.map { "\(($0 + 1) * 100 / max(1, s.longTail.count))%" },
                                                        yMax: 1, title: "Long tail"),
                      "The long tail: share of all interactions held by the most popular x% of items")
        let years = s.activity.map { date($0.start) }
        out += figure("chart-activity", SVGChart.bars(s.activity.map { Double($0.count) }, labels: years, valueLabels: false,
                                                     labelEvery: max(1, s.activity.count / 6), title: "Activity over time"),
                      "Interactions over time, \(s.activity.count) equal spans")
        return out + "</div></section>\n"
    }

    // MARK: metrics and fairness

    static let accuracy = ["recall", "ndcg", "mrr"]
    static let beyond = ["coverage", "novelty", "tail_share", "gini_our", "jain_our", "ent_our", "dpfr_gini", "puf_ndcg", "kocc_skew"]

    static func metricsSection(_ d: ReportData) -> String {
        guard let lens = d.lens else {
            return "<section id=\"metrics\"><h2>Metrics</h2><p>No models were asked for (--models).</p></section>\n"
        }
        let keys = (accuracy + beyond).map { "\($0)@\(lens.k)" }.filter { k in lens.models.contains { $0.values[k] != nil } }
        var out = "<section id=\"metrics\"><h2>Metrics on the \(e(d.split)) split's test part</h2>\n"
        out += "<p>Full ranking of every item, seen items left out, \(lens.users) test users, K = \(lens.k).</p>\n"
        out += "<table id=\"metrics-table\" class=\"grid\"><tr><th>model</th>" + keys.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for m in lens.models {
            out += "<tr><th>\(e(m.model.rawValue))</th>" + keys.map { "<td>\(number(m.values[$0]))</td>" }.joined() + "</tr>\n"
        }
        out += "</table>\n<div class=\"charts\">\n"
        for metric in accuracy {
            let key = "\(metric)@\(lens.k)"
            out += figure("chart-\(metric)", SVGChart.horizontalBars(lens.models.map { ($0.model.rawValue, $0.values[key] ?? 0) }, title: key), key)
        }
        return out + "</div></section>\n"
    }

    static func fairnessSection(_ d: ReportData) -> String {
        guard let lens = d.lens else { return "<section id=\"fairness\"><h2>Fairness lens</h2><p>No models.</p></section>\n" }
        let k = lens.k
        var out = "<section id=\"fairness\"><h2>Fairness lens</h2>\n"
        out += "<p>Item-exposure fairness (Rampisela et al.'s corrected measures), hubness and the distance to the fairness/relevance "
            + "Pareto frontier (DPFR), as <code>recscope eval</code> reports them.</p>\n"
        out += "<table class=\"grid\" id=\"fairness-table\"><tr><th>model</th><th>ndcg@\(k)</th><th>jain_our@\(k)</th><th>gini_our@\(k)</th>"
            + "<th>dpfr_jain@\(k)</th><th>hubs</th><th>anti-hubs</th><th>top hubs</th></tr>\n"
        for m in lens.models {
            let hubs = m.hubs.prefix(3).map { e($0.title.isEmpty ? "item " + $0.id : $0.title, limit: 40) + " (\($0.count))" }.joined(separator: "; ")
            out += "<tr><th>\(e(m.model.rawValue))</th><td>\(number(m.values["ndcg@\(k)"]))</td><td>\(number(m.values["jain_our@\(k)"]))</td>"
                + "<td>\(number(m.values["gini_our@\(k)"]))</td><td>\(number(m.values["dpfr_jain@\(k)"]))</td><td>\(m.hubCount)</td>"
                + "<td>\(m.antiHubCount)</td><td>\(hubs)</td></tr>\n"
        }
        out += "</table>\n<div class=\"charts\">\n"
        out += figure("chart-frontier", SVGChart.scatter(lens.models.map { ($0.model.rawValue, $0.values["ndcg@\(k)"] ?? .nan, $0.values["jain_our@\(k)"] ?? .nan) },
                                                         frontier: lens.frontier.map { ($0.ndcg, $0.jain) }, xName: "NDCG@\(k)",
                                                         yName: "Jain_our@\(k)", title: "Fairness against relevance"),
                      "Each model's NDCG@\(k) against its exposure fairness (Jain_our), over the oracle's Pareto frontier (dashed)")
        out += figure("chart-lorenz", SVGChart.lines(lens.models.map { .init($0.model.rawValue, $0.lorenz) }, yMax: 1, title: "Exposure Lorenz curves"),
                      "Exposure Lorenz curves: share of all recommendations held by the least-exposed x% of items")
        return out + "</div></section>\n"
    }

    // MARK: users

    static func usersSection(_ d: ReportData) -> String {
        var out = "<section id=\"users\"><h2>Users: side-by-side lists and why each item is there</h2>\n"
        if d.users.isEmpty { out += "<p>No users.</p>" }
        for (n, u) in d.users.enumerated() {
            out += "<article class=\"user\" id=\"user-\(n + 1)\"><h3>User \(e(u.user, limit: 60))</h3>\n"
            let recent = u.history.suffix(12).reversed().map { "<li>\(e(label($0), limit: 80))</li>" }.joined()
            out += "<div class=\"history\"><h4>History (\(u.history.count) training items, newest first)</h4><ol>\(recent)</ol>"
            if u.history.count > 12 { out += "<p class=\"muted\">… and \(u.history.count - 12) earlier</p>" }
            if !u.test.isEmpty { out += "<p>Held-out test: " + u.test.map { "<b>\(e(label($0)))</b>" }.joined(separator: ", ") + "</p>" }
            out += "</div>\n<div class=\"lists\">\n"
            let test = Set(u.test.map(\.id))
            for list in u.lists { out += listColumn(list, test: test) }
            out += "</div></article>\n"
        }
        return out + "</section>\n"
    }

    /// One model's list: rank, title and score per item, and a `details` element with why it is there.
    static func listColumn(_ list: ExplainedList, test: Set<String>) -> String {
        var out = "<div class=\"list\"><h4>\(e(list.model.rawValue))</h4><ol>\n"
        for (n, pair) in zip(list.items, list.explanations).enumerated() {
            let (item, why) = pair
            let name = list.name(item.item)
            let hit = test.contains(name.id) ? " class=\"hit\" title=\"the held-out test item\"" : ""
            out += "<li\(hit)><span class=\"t\">\(e(label(name), limit: 60))</span> <span class=\"s\">\(SVGChart.label(Double(item.score)))</span>"
            out += "<details\(n == 0 ? " open" : "")><summary>why</summary>\(whyHTML(list, why))</details></li>\n"
        }
        return out + "</ol></div>\n"
    }

    static func whyHTML(_ list: ExplainedList, _ e: ItemExplanation) -> String {
        var out = "<p class=\"parts\">\(self.e(StagePresenter.partsLine(e, historyCount: list.history.count), limit: 300))</p><table class=\"why\">"
        let shown = e.contributions.prefix(5)
        let scale = max(shown.map { abs($0.value) }.max() ?? 0, e.terms.map { abs($0.value) }.max() ?? 0, 1e-12)
        func row(_ value: Float, _ label: String) -> String {
            let width = Int((abs(value) / scale * 100).rounded())
            let text = e.basis == .attention ? StagePresenter.percent(value) : StagePresenter.signed(value)
            return "<tr><td class=\"num\">\(self.e(text))</td><td class=\"barcell\"><span class=\"bar\(value < 0 ? " neg" : "")\" style=\"width:\(width)%\"></span></td><td>\(label)</td></tr>"
        }
        for c in shown { out += row(c.value, self.e(self.label(list.name(c.item)), limit: 50)) }
        if e.contributions.count > shown.count {
            out += "<tr><td></td><td></td><td class=\"muted\">… \(e.contributions.count - shown.count) more history items</td></tr>"
        }
        for t in e.terms.sorted(by: { abs($0.value) > abs($1.value) }).prefix(6) { out += row(t.value, "<i>\(self.e(t.name, limit: 50))</i>") }
        out += "</table>"
        let detail = StagePresenter.detailLines(list, e)
        if !detail.isEmpty { out += "<p class=\"muted\">" + detail.prefix(6).map { self.e($0, limit: 200) }.joined(separator: "<br>") + "</p>" }
        return out
    }

    // MARK: simulation

    static func simulationSection(_ d: ReportData) -> String {
        var out = "<section id=\"simulation\"><h2>Simulation</h2>\n"
        guard !d.simulations.isEmpty else {
            return out + "<p>No stored run was asked for (<code>--sim RUN</code>; list runs with <code>recscope simulate --list</code>).</p></section>\n"
        }
        let name = { (r: ReportData.SimulationRun) in "run \(r.id): \(r.model), agent \(r.agent ? "on" : "off")" }
        out += "<table class=\"grid\" id=\"simulation-table\"><tr><th>run</th><th>users × turns</th><th>seed</th><th>mean session length</th>"
            + "<th>CTR</th><th>instructions</th><th>retention at the end</th></tr>\n"
        for r in d.simulations {
            out += "<tr><th>\(e(name(r)))</th><td>\(r.users) × \(r.turns)</td><td>\(r.seed)</td><td>\(number(r.numbers["mean_session_length"], digits: 2))</td>"
                + "<td>\(number(r.numbers["ctr"], digits: 3))</td><td>\(number(r.numbers["instructions"], digits: 0))</td>"
                + "<td>\(number(r.retention.last, digits: 3))</td></tr>\n"
        }
        out += "</table>\n<div class=\"charts\">\n"
        let turns = d.simulations.map(\.retention.count).max() ?? 0
        out += figure("chart-retention", SVGChart.lines(d.simulations.map { .init(name($0), $0.retention) },
                                                        xLabels: (0..<turns).map { "t\($0 + 1)" }, width: 560, yMax: 1, title: "Retention"),
                      "Share of simulated users still there at each turn")
        out += "</div>\n<h3>Transcript: run \(d.simulations[0].id), simulated user 0</h3>\n"
        out += "<table class=\"grid\" id=\"transcript\"><tr><th>turn</th><th>slate (✓ clicked, ♥ liked)</th><th>said</th><th>agent</th></tr>\n"
        for t in d.transcript {
            let reactions = Array(t.reactions)
            let slate = t.slate.enumerated().map { n, item -> String in
                let r = n < reactions.count ? reactions[n] : "."
                let mark = r == "L" ? "♥ " : r == "c" ? "✓ " : ""
                return "<span class=\"r\(r == "L" ? " like" : r == "c" ? " click" : "")\">\(mark)\(e(label(item), limit: 40))</span>"
            }.joined(separator: " · ")
            out += "<tr><td>\(t.turn)</td><td>\(slate)</td><td>\(t.said.map { e($0, limit: 200) } ?? "")</td><td class=\"muted\">\(e(t.trace, limit: 200))</td></tr>\n"
        }
        return out + "</table></section>\n"
    }

    static let css = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#1b1b1b;background:#fff}
    header{border-bottom:2px solid #0072B2;margin-bottom:8px}h1{margin:16px 0 4px}h2{margin-top:28px;border-bottom:1px solid #ddd}
    .meta,.muted,figcaption{color:#555}nav a{color:#0072B2}code{background:#f3f3f3;padding:0 3px}
    table{border-collapse:collapse}table.grid th,table.grid td{border:1px solid #ddd;padding:3px 6px;text-align:right;vertical-align:top}
    table.grid th:first-child{text-align:left}#transcript td{text-align:left}table.kv th{text-align:left;padding-right:16px;font-weight:normal;color:#555}
    .charts{display:flex;flex-wrap:wrap;gap:16px}figure.chart{margin:8px 0;border:1px solid #eee;padding:6px}
    svg text{font-size:10px;fill:#333}svg text.v{fill:#000}svg .axis{stroke:#333}svg .grid{stroke:#e5e5e5}
    .user{border:1px solid #ddd;padding:8px 12px;margin:12px 0}.history ol{columns:2;margin:4px 0}.history li,.list li,td{overflow-wrap:anywhere}
    .lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:10px}.list h4{margin:6px 0;color:#0072B2}
    .list ol{padding-left:22px;margin:0}.list li{margin:2px 0;word-break:break-word}.list li.hit .t{font-weight:bold;background:#fff3c4}
    .s{color:#555;font-size:12px}details{margin:2px 0 6px}summary{cursor:pointer;color:#0072B2;font-size:12px}
    table.why td{padding:1px 4px;font-size:12px}td.num{text-align:right;white-space:nowrap}td.barcell{width:70px}
    .bar{display:inline-block;height:9px;background:#0072B2}.bar.neg{background:#D55E00}.parts{font-size:12px;margin:2px 0}
    .r.click{color:#0072B2}.r.like{color:#D55E00;font-weight:bold}footer{margin-top:32px;color:#777;font-size:12px}
    """
}
