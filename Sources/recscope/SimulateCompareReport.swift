import Foundation
import RecCore
import RecEval
import RecModels
import RecSim
import RecWorkbench

extension RecScope.Simulate {
    /// `--compare policy=A,B,…`: every policy with and without instructions against static without, each
    /// run stored (unless `--no-store`) so it can be replayed.
    func runPolicyComparison(_ bench: ModelWorkbench, _ a: SimulationRequest, policies: [AgentPolicy], inputs: SimulationInputs,
                             progress: TrainingProgress?) throws {
        var ids: [Int64?] = []
        let comparison = try bench.comparePolicies(a, policies: policies, inputs: inputs, threads: threads, progress: progress) { o in
            ids.append(noStore ? nil : try bench.save(o, summary: try jsonText(summaryJSON(o, id: nil))))
        }
        if json { return try printJSON(comparisonJSON(comparison, ids: ids)) }
        printComparison(comparison, ids: ids)
    }

    func comparisonJSON(_ c: PolicyComparison, ids: [Int64?]) -> [String: Any] {
        let r = c.baseline.outcome.request
        var doc: [String: Any] = [
            "compare": "policy", "model": r.model.rawValue, "users": r.users, "turns": r.turns, "seed": r.seed,
            "knobs": r.user.changedKnobs, "click_model": r.user.clickModel.rawValue, "baseline": "static without instructions",
            "retention_marks": c.retentionMarks,
        ]
        doc["arms"] = c.arms.enumerated().map { n, arm -> [String: Any] in
            var row = summaryJSON(arm.outcome, id: ids[n])
            row["label"] = arm.label
            row["ratio_to_baseline"] = ratio(arm.outcome, c.baseline.outcome)
            row["differences"] = Dictionary(uniqueKeysWithValues: arm.differences.map { ($0.key, comparisonJSON($0.comparison)) })
            return row
        }
        if let (best, against) = c.bestLearning {
            var b: [String: Any] = ["label": best.label, "mean_session_length": best.outcome.run.summary.meanSessionLength,
                                    "ratio_to_baseline": ratio(best.outcome, c.baseline.outcome)]
            if let s = c.arm(.static, listens: true) {
                b["ratio_to_static_with_instructions"] = ratio(best.outcome, s.outcome)
                b["difference_from_static_with_instructions"] = against.map(comparisonJSON) ?? NSNull()
            }
            doc["best_learning"] = b
        }
        return doc
    }

    /// Mean session length of `a` over `b`'s.
    func ratio(_ a: SimulationOutcome, _ b: SimulationOutcome) -> Double {
        let d = b.run.summary.meanSessionLength
        return d == 0 ? 0 : a.run.summary.meanSessionLength / d
    }

    func printComparison(_ c: PolicyComparison, ids: [Int64?]) {
        let r = c.baseline.outcome.request
        let knobs = r.user.changedKnobs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        print("policies over \(r.model.rawValue): \(r.users) users × \(r.turns) turns, seed \(r.seed), click model \(r.user.clickModel.rawValue)"
              + (knobs.isEmpty ? "" : ", knobs " + knobs.joined(separator: " ")))
        print("baseline: static without instructions; every run on the same users and seeds")
        print("")
        let marks = c.retentionMarks
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        print(pad("policy", 10) + pad("instructions", 14) + pad("run", 6) + pad("turns", 8) + pad("×base", 7) + pad("clicks", 8)
              + pad("CTR", 7) + pad("diversity", 11) + marks.map { pad("ret@\($0)", 8) }.joined() + "seconds")
        for (n, arm) in c.arms.enumerated() {
            let s = arm.outcome.run.summary
            print(pad(arm.policy.rawValue, 10) + pad(arm.listens ? "with" : "without", 14) + pad(ids[n].map(String.init) ?? "-", 6)
                  + pad(String(format: "%.2f", s.meanSessionLength), 8) + pad(String(format: "%.3f", ratio(arm.outcome, c.baseline.outcome)), 7)
                  + pad(String(format: "%.2f", Double(s.clicks) / Double(max(1, s.users))), 8) + pad(String(format: "%.3f", s.ctr), 7)
                  + pad(String(format: "%.3f", s.diversity), 11) + marks.map { pad(String(format: "%.3f", s.retention[$0 - 1]), 8) }.joined()
                  + String(format: "%.2f", arm.outcome.seconds))
            if !s.regret.isEmpty {
                print(pad("", 24) + "regret per turn " + Self.regretWindows.map { w in
                    "\(w.lowerBound)-\(w.upperBound): " + (s.meanRegret(turns: w).map { String(format: "%.3f", $0) } ?? "n/a")
                }.joined(separator: "  "))
            }
        }
        print("")
        print("difference from the baseline per user, mean [95% bootstrap CI]; * where the t-test, Wilcoxon and the interval agree (p < 0.05)")
        func cell(_ key: String, _ arm: PolicyComparison.Arm) -> String {
            guard let d = arm.differences.first(where: { $0.key == key })?.comparison else { return "" }
            return String(format: "%+.3f [%+.3f, %+.3f]", d.meanDifference, d.bootstrap.lower, d.bootstrap.upper) + (d.isSignificant ? "*" : " ")
        }
        let keys = ["session_length", "clicks", "ctr", "diversity"] + marks.map { "retention@\($0)" }
        for group in [Array(keys.prefix(4)), Array(keys.dropFirst(4))] where !group.isEmpty {
            print(pad("", 24) + group.map { pad($0, 27) }.joined())
            for arm in c.arms.dropFirst() {
                print(pad(arm.policy.rawValue, 10) + pad(arm.listens ? "with" : "without", 14) + group.map { pad(cell($0, arm), 27) }.joined())
            }
        }
        guard let (best, against) = c.bestLearning else { return }
        print("")
        var line = "best learning policy with instructions: \(best.policy.rawValue), "
            + String(format: "%.2f turns, ×%.3f of static without instructions", best.outcome.run.summary.meanSessionLength,
                     ratio(best.outcome, c.baseline.outcome))
        if let s = c.arm(.static, listens: true), let d = against {
            line += String(format: ", ×%.3f of static with instructions (%+.3f [%+.3f, %+.3f]", ratio(best.outcome, s.outcome),
                           d.meanDifference, d.bootstrap.lower, d.bootstrap.upper) + (d.isSignificant ? " *)" : ")")
        }
        print(line)
    }
}
