import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench

extension RecScope {
    struct Tune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grid-search a model's parameters on a split's valid rows and keep the best for the catalog.",
            discussion: """
                Every point of the grid is trained on the split's training part and judged on its valid rows
                (ranking every item but the user's training items), never on its test rows. The best point by
                --metric (ties: the earlier point) is stored as the model's tuned parameters for the catalog, with
                its trained model: eval, recommend, train, the explorer and the simulator then train the model
                with them, each --param still overriding one. --clear forgets them.

                --grid 'factors=32,64,128 regularization=0.01,0.1' lists each parameter's values (names as
                --param spells them for this model); points run in that order, the last parameter fastest.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "The model to tune, one of \(ModelKind.names).") var model: String
        @Option(help: "Each parameter's values, e.g. 'factors=32,64 regularization=0.01,0.1'.") var grid: String?
        @Option(help: "loo, temporal, ratio or cold-items.") var split = "loo"
        @Option(help: "The cutoff K.") var k = 10
        @Option(help: "What picks the best point: ndcg, recall or mrr (at K).") var metric = "ndcg"
        @OptionGroup var params: ParamOptions
        @Option(help: "Ranking threads (results do not depend on it).") var threads = 1
        @Flag(inversion: .prefixedNo, help: "Store the best point as the model's parameters for the catalog.") var store = true
        @Flag(help: "Forget the model's tuned parameters and exit.") var clear = false
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                let kind = try ModelKind(named: model)
                let catalog = try options.open()
                if clear {
                    let had = try catalog.deleteTunedParameters(model: kind.rawValue)
                    print(had ? "\(kind.rawValue): tuned parameters forgotten; training uses the defaults again"
                              : "\(kind.rawValue): had no tuned parameters")
                    return
                }
                guard let grid else { throw CommandError("--grid is needed (e.g. --grid 'factors=32,64 regularization=0.01,0.1'), or --clear") }
                let axes = try Self.parseGrid(grid, model: kind)
                guard k > 0 else { throw CommandError("--k must be positive, found \(k)") }
                guard threads >= 1 else { throw CommandError("--threads must be at least 1, found \(threads)") }
                guard let measure = ["ndcg": Metric.ndcg, "recall": .recall, "mrr": .mrr][metric] else {
                    throw CommandError("--metric \(metric): expected ndcg, recall or mrr")
                }
                guard ModelWorkbench.splitNames.contains(split) else {
                    throw CommandError("unknown split '\(split)' (expected \(ModelWorkbench.splitList))")
                }
                let fixed = try params.params(for: kind)
                for axis in axes where fixed[axis.name] != nil {
                    throw CommandError("--grid and --param both set \(axis.name); give it in one of them")
                }
                let points = Self.points(axes).map { $0.merging(fixed) { a, _ in a } }
                for point in points { _ = try kind.resolvedParams(point) }  // every point is valid before any trains

                let bench = try ModelWorkbench(catalog: catalog)
                let s = try bench.split(split)
                let log = bench.log
                let valid = s.heldOut(.valid, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
                let users = (0..<log.userCount).filter { valid.truth.rowStart[$0 + 1] > valid.truth.rowStart[$0] }.count
                let popularity = PopularityProfile(counts: bench.matrix(s).itemCounts(), userCount: log.userCount)
                guard users > 0 else { throw CommandError("split \(split) has no valid rows to tune on") }
                if kind == .rank, fixed["labels"] != "holdout" {
                    FileSystem.writeError("note: rank fits its ranker on the valid rows, so they judge it in-sample; tune it with --param labels=holdout\n")
                }
                let evaluator = Evaluator(cutoffs: [k], metrics: [.recall, .ndcg, .mrr], beyondAccuracy: [], threads: threads)
                let key = measure.key(at: k)
                var rows: [(point: [String: String], means: [String: Double], fit: Double)] = []
                var best: (row: Int, model: any TrainedModel, fit: Double)? = nil
                for (n, point) in points.enumerated() {
                    if FileSystem.isTerminal(2) {
                        FileSystem.writeError("\rtune \(kind.rawValue): point \(n + 1)/\(points.count)   ")
                    }
                    let (trained, fit) = try bench.fit(kind, params: point, split: split)
                    let report = evaluator.evaluate(trained, heldOut: valid, popularity: popularity)
                    rows.append((point, report.means, fit))
                    if best == nil || (report.means[key] ?? -.infinity) > (rows[best!.row].means[key] ?? -.infinity) {
                        best = (n, trained, fit)
                    }
                }
                if FileSystem.isTerminal(2) { FileSystem.writeError("\r\u{1B}[K") }
                let winner = best!
                // The point as the model reads it: `threads` sets how a fit runs, never what it learns, so it
                // is not a parameter to keep (eval and the explorer choose their own).
                let chosen = (point: rows[winner.row].point.filter { $0.key != "threads" }, means: rows[winner.row].means)
                if store {
                    try catalog.saveTunedParameters(TunedParameters(model: kind.rawValue, params: chosen.point, split: split,
                                                                    metric: key, value: chosen.means[key] ?? 0, grid: grid))
                    _ = try bench.save(winner.model, split: split, fitSeconds: winner.fit)
                }
                if json {
                    try printJSON([
                        "model": kind.rawValue, "split": split, "on": "valid", "users": users, "metric": key, "stored": store,
                        "best": chosen.point,
                        "points": rows.map { r in ["params": r.point, "fit_seconds": r.fit,
                                                   "metrics": r.means.mapValues(jsonNumber)] as [String: Any] },
                    ])
                    return
                }
                print(Self.table(rows, axes: axes.map(\.name), k: k, best: winner.row, header:
                    "tune \(kind.rawValue) on split \(split), valid rows, full ranking, \(users) users, \(points.count) points, best by \(key)"))
                let spelled = chosen.point.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                print("best: \(spelled) (\(key) \(String(format: "%.4f", chosen.means[key] ?? 0)))")
                if store {
                    print("stored as \(kind.rawValue)'s parameters for \(catalog.path): eval, recommend and the explorer train "
                          + "\(kind.rawValue) with them (--param overrides one; recscope tune --model \(kind.rawValue) --clear forgets them)")
                }
            }
        }

        /// `name=v1,v2 name2=w1` into ordered axes; names may carry the model's prefix (`als.factors`).
        static func parseGrid(_ text: String, model: ModelKind) throws -> [(name: String, values: [String])] {
            var axes: [(name: String, values: [String])] = []
            for part in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                guard let eq = part.firstIndex(of: "="), eq != part.startIndex else {
                    throw CommandError("--grid \(part): expected name=v1,v2,… (e.g. factors=32,64)")
                }
                var name = String(part[..<eq])
                if name.hasPrefix(model.rawValue + ".") { name.removeFirst(model.rawValue.count + 1) }
                let values = part[part.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
                    throw CommandError("--grid \(part): every value of \(name) must be non-empty")
                }
                guard !axes.contains(where: { $0.name == name }) else { throw CommandError("--grid names \(name) twice") }
                axes.append((name, values))
            }
            guard !axes.isEmpty else { throw CommandError("--grid is empty (e.g. --grid 'factors=32,64')") }
            let count = axes.reduce(1) { $0 * $1.values.count }
            guard count <= 1000 else { throw CommandError("--grid has \(count) points; at most 1000") }
            return axes
        }

        /// Every combination, the last axis fastest.
        static func points(_ axes: [(name: String, values: [String])]) -> [[String: String]] {
            axes.reduce([[:]]) { partial, axis in
                partial.flatMap { p in axis.values.map { v in p.merging([axis.name: v]) { a, _ in a } } }
            }
        }

        static func table(_ rows: [(point: [String: String], means: [String: Double], fit: Double)], axes: [String], k: Int,
                          best: Int, header: String) -> String {
            let keys = [Metric.recall, .ndcg, .mrr].map { $0.key(at: k) }
            let widths = axes.map { name in max(name.count, rows.map { ($0.point[name] ?? "").count }.max() ?? 0) + 2 }
            var lines = [header]
            lines.append(zip(axes, widths).map { $0.leftPadded($1) }.joined() + keys.map { $0.leftPadded(11) }.joined() + "fit s".leftPadded(9))
            for (n, r) in rows.enumerated() {
                lines.append(zip(axes, widths).map { (r.point[$0] ?? "").leftPadded($1) }.joined()
                             + keys.map { String(format: "%.4f", r.means[$0] ?? 0).leftPadded(11) }.joined()
                             + String(format: "%.2f", r.fit).leftPadded(9) + (n == best ? "  best" : ""))
            }
            return lines.map(TerminalText.sanitize).joined(separator: "\n")
        }
    }
}
