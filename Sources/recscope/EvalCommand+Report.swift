import Foundation
import RecCore
import RecEval

/// What `recscope eval` prints beside its main table: the measure columns, per-segment tables and their JSON.
extension RecScope.Eval {
    /// The measure names of `--metrics` (nil: the defaults in the table, every measure in JSON).
    func parseMetrics(_ text: String?) throws -> [String]? {
        guard let text else { return nil }
        if text == "all" { return EvaluationReport.measureNames }
        var out: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let name = part.split(separator: "@").first.map(String.init) ?? part
            guard EvaluationReport.measureNames.contains(name) else {
                throw CommandError("--metrics: unknown measure '\(part)' (expected names without @K from: "
                                   + EvaluationReport.measureNames.joined(separator: ", ") + ")")
            }
            if !out.contains(name) { out.append(name) }
        }
        guard !out.isEmpty else { throw CommandError("--metrics needs at least one measure, e.g. --metrics recall,jain_our") }
        return out
    }

    /// A value to four decimals; "—" where the measure is undefined for these lists.
    static func cell(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return String(format: "%.4f", value)
    }

    /// The report's means as JSON, every key or only those of `columns` (NaN as null).
    static func metricsJSON(_ report: EvaluationReport, columns: [String]?) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: report.keys.compactMap { key -> (String, Any)? in
            if let columns, !columns.contains(String(key.split(separator: "@")[0])) { return nil }
            return report.means[key].map { (key, jsonNumber($0)) }
        })
    }

    /// Each cutoff's Pareto frontier: its length, both ends and DPFR's halfway reference point per fairness measure.
    static func frontierJSON(_ frontiers: [Int: ParetoFrontier], everyPoint: Bool = false) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: frontiers.map { k, f -> (String, Any) in
            func point(_ p: ParetoFrontier.Point?) -> Any {
                guard let p else { return NSNull() }
                return ["ndcg": jsonNumber(p.ndcg), "jain_our": jsonNumber(p.jain), "ent_our": jsonNumber(p.entropy),
                        "gini_our": jsonNumber(p.gini)]
            }
            var references: [String: Any] = [:]
            for axis in FrontierFairness.allCases {
                if let r = f.reference(axis) { references[axis.rawValue] = ["ndcg": jsonNumber(r.relevance), axis.rawValue: jsonNumber(r.fairness)] }
            }
            var entry: [String: Any] = ["points": f.points.count, "start": point(f.points.first), "end": point(f.points.last),
                                        "reference": references]
            if everyPoint { entry["every_point"] = f.points.map { point($0) } }
            return ("\(k)", entry)
        })
    }

    static func segmentsJSON(_ groups: UserSegments, _ parts: [SegmentReports], columns: [String]?) -> [String: Any] {
        ["axis": groups.axis.rawValue, "cuts": groups.cuts.map(jsonNumber),
         "segments": parts.map { part -> [String: Any] in
             ["name": part.segment, "users": part.users.count,
              "models": (part.lens?.reports ?? []).map { ["name": $0.model, "metrics": metricsJSON($0, columns: columns)] }]
         }]
    }

    /// One table per segment, each headed by its name, its users and what puts a user in it.
    func segmentTables(_ groups: UserSegments, _ parts: [SegmentReports], cutoffs: [Int], columns: [String]) -> String {
        var blocks: [String] = []
        let rule: String
        switch groups.axis {
        case .activity: rule = String(format: "training interactions, cuts at %.1f and %.1f", groups.cuts[0], groups.cuts[1])
        case .popularity: rule = "target items: head holds the first 20% of training interactions, tail the last 20%"
        case .regularity: rule = String(format: "coefficient of variation of training time gaps, cuts at %.3f and %.3f",
                                        groups.cuts[0], groups.cuts[1])
        }
        blocks.append("by \(groups.axis.rawValue) (\(rule))")
        for part in parts {
            guard let lens = part.lens else {
                blocks.append("segment \(part.segment): no users")
                continue
            }
            let rows = lens.reports.map { ($0.model, $0, 0.0, 0.0, false) }
            let body = table(rows, cutoffs: cutoffs, columns: columns, times: false).split(separator: "\n").dropFirst()
            blocks.append("segment \(part.segment): \(part.users.count) users\n" + body.joined(separator: "\n"))
        }
        return blocks.map(TerminalText.sanitize).joined(separator: "\n\n")
    }
}
