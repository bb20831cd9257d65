import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench

extension RecScope {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Full-ranking evaluation of models on a split, one row per model.",
            discussion: """
                Each model is judged on the split's test rows, ranking every item the user has not seen in
                train or valid (RecBole's full-sort rule). A model not yet trained on the split (or stored with
                other --param values) is trained on its training part first and stored. With --compare A,B, a
                paired test per metric over the same users: * marks a difference where the paired t-test and the
                Wilcoxon signed-rank test both give p < 0.05 and the bootstrap 95% interval excludes 0.

                Besides accuracy, every model gets beyond-accuracy and fairness measures over its top-K lists:
                popularity bias (coverage, novelty, arp, tail_share), item-exposure fairness (jain, qf_our, ent,
                gini, gini_w, fsat and their _our corrections, vocd, ii_d, ai_d), hubness (kocc_skew, hub_occ),
                user fairness (puf_ndcg, puf_prec) and the distance to the fairness/relevance Pareto frontier
                (dpfr_jain, dpfr_ent, dpfr_gini). The table shows \(EvaluationReport.defaultColumns.joined(separator: ","))
                unless --metrics names others; --json has every measure unless --metrics names some.
                docs/METRICS.md gives each formula, its source and its range. --by prints the same per segment.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model names, comma-separated, of \(ModelKind.namesWithRuns) (e.g. pop,als,ease).") var models: String
        @Option(help: "loo, temporal, ratio or cold-items.") var split = "loo"
        @Option(help: "Cutoffs, comma-separated.") var k = "10"
        @Option(help: "Judge on the split's test rows, or on its valid rows (ranking excludes train items only) to tune parameters.")
        var on = "test"
        @Option(help: "Two models to compare with paired tests, e.g. ease,als.") var compare: String?
        @OptionGroup var params: ParamOptions
        @Option(help: ArgumentHelp("SAMPLED evaluation: rank each user's held-out items among N random unseen items instead of all items (labelled 'sampled-N' everywhere; not comparable with full ranking).", valueName: "N"))
        var sampled: Int?
        @Option(help: "With --sampled: the seed of the negative samples.") var sampleSeed: UInt64 = 1
        @Option(help: "Ranking threads (results do not depend on it).") var threads = 1
        @Option(help: "Measures to show, comma-separated, without @K (e.g. recall,ndcg,jain_our,dpfr_gini); 'all' for every one.")
        var metrics: String?
        @Option(help: "Also per segment of users: activity, popularity (of the target items) or regularity (of time gaps).")
        var by: String?
        @Flag(help: "Print one JSON document.") var json = false
        @Flag(help: "With --json: every point of each cutoff's Pareto frontier (NDCG and the corrected fairness measures).")
        var frontier = false

        func run() throws {
            try reportingModelErrors {
                var kinds = try parseModels(models)
                let cutoffs = try parseCutoffs(k)
                guard threads >= 1 else { throw CommandError("--threads must be at least 1, found \(threads)") }
                guard ModelWorkbench.splitNames.contains(split) else {
                    throw CommandError("unknown split '\(split)' (expected \(ModelWorkbench.splitList))")
                }
                var pair: [ModelKind] = []
                if let compare {
                    pair = try parseModels(compare)
                    guard pair.count == 2 else { throw CommandError("--compare needs two models, e.g. --compare ease,als; found '\(compare)'") }
                    for kind in pair where !kinds.contains(kind) { kinds.append(kind) }
                }
                guard let role = ["test": SplitRole.test, "valid": .valid][on] else {
                    throw CommandError("--on \(on): expected test or valid")
                }
                let bench = try ModelWorkbench(catalog: try options.open())
                let s = try bench.split(split)
                let log = bench.log
                let train = bench.matrix(s)
                let test = s.heldOut(role, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
                let popularity = PopularityProfile(counts: train.itemCounts(), userCount: log.userCount)
                if let sampled, sampled < 1 { throw CommandError("--sampled must be at least 1, found \(sampled)") }
                let candidates: CandidateMode = sampled.map { .sampledNegatives(count: $0, seed: sampleSeed) } ?? .fullRanking
                let columns = try parseMetrics(metrics)
                let axis = try by.map { name -> SegmentAxis in
                    guard let axis = SegmentAxis(rawValue: name) else {
                        throw CommandError("--by \(name): expected activity, popularity or regularity")
                    }
                    return axis
                }
                let evaluator = Evaluator(cutoffs: cutoffs, candidates: candidates, threads: threads)
                var ranked: [(kind: ModelKind, lists: RankedLists, fit: Double, eval: Double, trained: Bool, id: Int64, epochs: [[String: Any]]?)] = []
                for kind in kinds {
                    if let tuned = try bench.store.loadTunedParameters(model: kind.rawValue) {
                        let spelled = tuned.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                        FileSystem.writeError(TerminalText.sanitize("note: \(kind.rawValue) uses its tuned parameters \(spelled) "
                            + "(recscope tune, \(tuned.metric) \(String(format: "%.4f", tuned.value)) on \(tuned.split)'s valid rows)") + "\n")
                    }
                    let log = TrainingLog(kind)
                    let (model, fit, id, trained) = try bench.model(kind, params: try params.params(for: kind), split: split,
                                                                    progress: log.progress)
                    if role == .valid, kind == .rank, model.params["labels"] != "holdout" {
                        FileSystem.writeError("note: rank fitted its ranker on this split's valid rows, so its valid metrics are in-sample; "
                                              + "judge it on them with --param rank.labels=holdout\n")
                    }
                    let (lists, seconds) = Stopwatch.time { evaluator.rank(model, heldOut: test) }
                    ranked.append((kind, lists, fit, seconds, trained, id, log.json))
                }
                // Users a model gave no list (an imported run that does not list them): they count as misses.
                let withoutList = Dictionary(uniqueKeysWithValues: ranked.map { r in (r.kind, r.lists.lists.count { $0.isEmpty }) })
                let models = ranked.map { RankedModel(name: $0.kind.rawValue, lists: $0.lists) }
                let (lens, lensSeconds) = Stopwatch.time {
                    evaluator.evaluateLens(models, heldOut: test, popularity: popularity, train: train)
                }
                var results: [(kind: ModelKind, report: EvaluationReport, fit: Double, eval: Double, trained: Bool, epochs: [[String: Any]]?)] = []
                for (r, report) in zip(ranked, lens.reports) {
                    results.append((r.kind, report, r.fit, r.eval, r.trained, r.epochs))
                    if role == .test && sampled == nil {  // models.metrics keeps the latest full-ranking test evaluation
                        let metrics = Dictionary(uniqueKeysWithValues: report.keys.compactMap { key in
                            report.means[key].map { (key, jsonNumber($0)) } })
                        let data = try JSONSerialization.data(withJSONObject: metrics, options: [.sortedKeys])
                        try bench.catalog.saveModelMetrics(modelID: r.id, json: String(decoding: data, as: UTF8.self))
                    }
                }
                if lens.pufSampled {
                    FileSystem.writeError("note: puf_* pair a seeded sample of \(lens.pufUsers) of the \(lens.reports.first?.users.count ?? 0) "
                                          + "evaluated users (their cost grows with the square of the users sharing an item)\n")
                }
                let segments = axis.map { axis in
                    let groups = bench.segments(axis, split: s, heldOut: test, train: train)
                    return (groups, evaluator.evaluateSegments(models, segments: groups, popularity: popularity, train: train))
                }
                let comparisons = pair.isEmpty ? [] : comparison(results.first { $0.kind == pair[0] }!.report,
                                                                 results.first { $0.kind == pair[1] }!.report, cutoffs: cutoffs)
                if json {
                    var doc: [String: Any] = [
                        "split": split, "on": on, "candidates": candidates.label, "users": results.first?.report.users.count ?? 0,
                        "lens_seconds": lensSeconds, "puf_users": lens.pufUsers,
                        "models": results.map { r -> [String: Any] in
                            var row: [String: Any] = [
                                "name": r.kind.rawValue, "fit_seconds": r.fit, "eval_seconds": r.eval, "trained_now": r.trained,
                                "users_without_list": withoutList[r.kind] ?? 0,
                                "metrics": Self.metricsJSON(r.report, columns: columns)]
                            if let epochs = r.epochs { row["epochs"] = epochs }
                            return row
                        },
                        "frontier": Self.frontierJSON(lens.frontiers, everyPoint: frontier),
                    ]
                    if let (groups, parts) = segments { doc["by"] = Self.segmentsJSON(groups, parts, columns: columns) }
                    if !pair.isEmpty {
                        doc["comparison"] = ["a": pair[0].rawValue, "b": pair[1].rawValue,
                                             "metrics": Dictionary(uniqueKeysWithValues: comparisons.map { c in
                                                 (c.key, ["mean_a": jsonNumber(c.comparison.meanA), "mean_b": jsonNumber(c.comparison.meanB),
                                                          "difference": jsonNumber(c.comparison.meanDifference),
                                                          "t_p": jsonNumber(c.comparison.tTest.pValue),
                                                          "wilcoxon_p": jsonNumber(c.comparison.wilcoxon.pValue),
                                                          "ci": [jsonNumber(c.comparison.bootstrap.lower), jsonNumber(c.comparison.bootstrap.upper)],
                                                          "significant": c.comparison.isSignificant] as [String: Any])
                                             })]
                    }
                    try printJSON(doc)
                } else {
                    print(table(results.map { ($0.kind.rawValue, $0.report, $0.fit, $0.eval, $0.trained) }, cutoffs: cutoffs,
                                candidates: candidates, columns: columns ?? EvaluationReport.defaultColumns))
                    for r in results where (withoutList[r.kind] ?? 0) > 0 {
                        print(TerminalText.sanitize("note: \(r.kind.rawValue) gave no list to \(withoutList[r.kind]!) of \(r.report.users.count) evaluated users "
                                                    + "(its run does not list them); they count as misses"))
                    }
                    if let (groups, parts) = segments {
                        print("")
                        print(segmentTables(groups, parts, cutoffs: cutoffs, columns: columns ?? EvaluationReport.defaultColumns))
                    }
                    if !pair.isEmpty { print(""); print(comparisonTable(comparisons, a: pair[0].rawValue, b: pair[1].rawValue)) }
                }
            }
        }

        func parseCutoffs(_ text: String) throws -> [Int] {
            var out: [Int] = []
            for part in text.split(separator: ",") {
                guard let v = Int(part.trimmingCharacters(in: .whitespaces)), v > 0 else {
                    throw CommandError("--k \(text): expected positive integers separated by commas, e.g. 10,20")
                }
                if !out.contains(v) { out.append(v) }
            }
            guard !out.isEmpty else { throw CommandError("--k needs at least one cutoff, e.g. --k 10") }
            return out.sorted()
        }

        /// The accuracy keys shown in tables and compared: recall, ndcg, mrr at each cutoff.
        static func keys(_ cutoffs: [Int]) -> [String] {
            cutoffs.flatMap { k in [Metric.recall, .ndcg, .mrr].map { $0.key(at: k) } }
        }

        func comparison(_ a: EvaluationReport, _ b: EvaluationReport, cutoffs: [Int]) -> [(key: String, comparison: PairedComparison)] {
            PairedComparison.compare(a, b, keys: Self.keys(cutoffs))
        }

        func table(_ rows: [(String, EvaluationReport, Double, Double, Bool)], cutoffs: [Int],
                   candidates: CandidateMode = .fullRanking, columns: [String] = EvaluationReport.defaultColumns,
                   times: Bool = true) -> String {
            let keys = cutoffs.flatMap { k in columns.map { "\($0)@\(k)" } }
            let users = rows.first?.1.users.count ?? 0
            let ranking: String
            switch candidates {
            case .fullRanking: ranking = "full ranking"
            case .sampledNegatives(let n, let seed): ranking = "SAMPLED: held-out items among \(n) random negatives (seed \(seed)), not full ranking"
            }
            var lines = ["split \(split), \(on) rows, \(ranking), \(users) users evaluated"]
            let widths = keys.map { max(8, $0.count) + 1 }
            let nameWidth = max(9, (rows.map(\.0.count).max() ?? 0) + 1)
            lines.append("model".padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                         + zip(keys, widths).map { $0.leftPadded($1) }.joined() + (times ? "fit s".leftPadded(9) + "eval s".leftPadded(9) : ""))
            for (name, report, fit, eval, trained) in rows {
                lines.append(name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                             + zip(keys, widths).map { Self.cell(report.means[$0]).leftPadded($1) }.joined()
                             + (times ? String(format: "%.3f", fit).leftPadded(9) + String(format: "%.3f", eval).leftPadded(9) : "")
                             + (trained ? "  (trained now)" : ""))
            }
            return lines.map(TerminalText.sanitize).joined(separator: "\n")
        }

        func comparisonTable(_ rows: [(key: String, comparison: PairedComparison)], a: String, b: String) -> String {
            let n = rows.first?.comparison.count ?? 0
            var lines = ["\(a) vs \(b), paired over \(n) users (* = t-test and Wilcoxon p < 0.05 and bootstrap 95% CI excludes 0)"]
            lines.append("metric".padding(toLength: 11, withPad: " ", startingAt: 0) + a.leftPadded(9) + b.leftPadded(9)
                         + "diff".leftPadded(9) + "p(t)".leftPadded(9) + "p(W)".leftPadded(9) + "  95% CI of diff")
            for (key, c) in rows {
                lines.append(key.padding(toLength: 11, withPad: " ", startingAt: 0)
                             + String(format: "%.4f", c.meanA).leftPadded(9) + String(format: "%.4f", c.meanB).leftPadded(9)
                             + String(format: "%+.4f", c.meanDifference).leftPadded(9)
                             + String(format: "%.3g", c.tTest.pValue).leftPadded(9) + String(format: "%.3g", c.wilcoxon.pValue).leftPadded(9)
                             + String(format: "  [%+.4f, %+.4f] ", c.bootstrap.lower, c.bootstrap.upper) + c.marker)
            }
            return lines.map(TerminalText.sanitize).joined(separator: "\n")
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
