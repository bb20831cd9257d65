import Foundation
import RecCore
import RecEval
import RecSim
import RecWorkbench

extension RecScope.Simulate {
    /// The run's JSON document (keys of the command-line contract first among many).
    func summaryJSON(_ o: SimulationOutcome, id: Int64?) -> [String: Any] {
        let s = o.run.summary, r = o.request
        return [
            "model": r.model.rawValue, "agent": r.agent, "users": r.users, "turns": r.turns, "seed": r.seed,
            "slate": r.slateSize, "hold": r.holdTurns, "topics": r.topics.rawValue, "split": r.split,
            "run": id.map { $0 as Any } ?? NSNull(),
            "mean_session_length": s.meanSessionLength, "retention": s.retention, "instructions": s.instructions,
            "instruction_share": s.instructionShare, "recovery_rate": s.recoveryRate, "ctr": s.ctr,
            "clicks": s.clicks, "likes": s.likes, "impressions": s.impressions, "satisfaction": s.satisfaction,
            "diversity": s.diversity, "coverage": s.coverage, "left": s.leaveReasons, "seconds": o.seconds,
            "knobs": r.user.changedKnobs, "model_params": r.modelParams, "policy": r.policy.rawValue,
            "regret": s.regret.isEmpty ? NSNull() : Self.regretWindows.map { w in
                ["turns": "\(w.lowerBound)-\(w.upperBound)", "mean": s.meanRegret(turns: w).map { $0 as Any } ?? NSNull()] as [String: Any]
            } as Any,
        ]
    }

    /// The turn windows regret is reported over.
    static let regretWindows: [ClosedRange<Int>] = [1...10, 11...20, 21...40]

    func jsonText(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func label(_ r: SimulationRequest) -> String {
        "\(r.model.rawValue) \(r.policy.rawValue) \(r.agent ? "with" : "without") instructions"
    }

    func printSummary(_ o: SimulationOutcome, id: Int64?) {
        let s = o.run.summary, r = o.request
        let stored = id.map { "run \($0)" } ?? "not stored"
        print("\(label(r)): \(r.users) users × \(r.turns) turns, seed \(r.seed) (\(stored); simulated in \(String(format: "%.3f", o.seconds)) s)")
        print("  mean session length  \(String(format: "%.2f", s.meanSessionLength)) turns")
        let marks = Array(Set([0, r.turns / 4, r.turns / 2, 3 * r.turns / 4, r.turns - 1])).sorted()
        print("  retention            " + marks.map { "t\($0 + 1) \(String(format: "%.2f", s.retention[$0]))" }.joined(separator: "  "))
        print("  satisfaction         " + marks.map { "t\($0 + 1) \(String(format: "%.2f", s.satisfaction[$0]))" }.joined(separator: "  "))
        print("  clicks               \(s.clicks) (\(s.likes) liked) of \(s.impressions) shown, CTR \(String(format: "%.3f", s.ctr))")
        print("  instructions         \(s.instructions) (\(String(format: "%.1f", 100 * s.instructionShare))% of turns), recovery \(String(format: "%.2f", s.recoveryRate))")
        print("  diversity            \(String(format: "%.3f", s.diversity)), coverage \(String(format: "%.3f", s.coverage))")
        print("  ended                " + s.leaveReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        if !s.regret.isEmpty {
            print("  regret per turn      " + Self.regretWindows.map { w in
                "turns \(w.lowerBound)-\(w.upperBound) " + (s.meanRegret(turns: w).map { String(format: "%.3f", $0) } ?? "n/a")
            }.joined(separator: "  "))
        }
    }

    /// The turns of one simulated user, as text.
    func printUser(_ o: SimulationOutcome, index: Int) throws {
        guard index >= 0 && index < o.run.sessions.count else {
            throw CommandError("--show \(index): expected a simulated user between 0 and \(o.run.sessions.count - 1)")
        }
        let c = o.inputs.catalog, p = o.run.personas[index]
        print("")
        print(TerminalText.sanitize("user \(index) (catalog user \(p.name)): activity \(String(format: "%.2f", p.traits.activity)), conformity \(String(format: "%.2f", p.traits.conformity)), novelty \(String(format: "%.2f", p.traits.noveltyAppetite)); likes " + p.favouriteTopics(3).map { c.topicNames[Int($0)] }.joined(separator: ", ")))
        for t in o.run.sessions[index] {
            print(TerminalText.sanitize("turn \(t.turn)  [\(String(t.reactions.map(\.letter)))]  clicks \(t.clicks)  patience \(String(format: "%.2f", t.state.patience))  fatigue \(String(format: "%.2f", t.state.fatigue))"))
            print(TerminalText.sanitize("  agent: \(t.trace)"))
            for (item, reaction) in zip(t.slate, t.reactions) where reaction.isClick {
                print(TerminalText.sanitize("  \(reaction == .like ? "liked" : "clicked") \(c.titles[Int(item)])"))
            }
            if let i = t.instruction { print(TerminalText.sanitize("  says: \"\(i.text)\"  (\(i.cause))")) }
            if let left = t.left { print(TerminalText.sanitize("  leaves: \(left.label(c))")) }
        }
    }

    /// Paired per-user comparisons of A against B.
    func comparisons(_ a: SimulationOutcome, _ b: SimulationOutcome) -> [(key: String, comparison: PairedComparison)] {
        let sa = a.run.summary, sb = b.run.summary
        return [
            ("session_length", PairedComparison(sa.sessionLengths.map(Double.init), sb.sessionLengths.map(Double.init), seed: a.request.seed)),
            ("clicks", PairedComparison(sa.userClicks.map(Double.init), sb.userClicks.map(Double.init), seed: a.request.seed)),
            ("ctr", PairedComparison(sa.userCTR, sb.userCTR, seed: a.request.seed)),
        ]
    }

    func comparisonJSON(_ c: PairedComparison) -> [String: Any] {
        ["a": jsonNumber(c.meanA), "b": jsonNumber(c.meanB), "difference": jsonNumber(c.meanDifference),
         "ci": [jsonNumber(c.bootstrap.lower), jsonNumber(c.bootstrap.upper)], "level": c.bootstrap.level,
         "p_t": jsonNumber(c.tTest.pValue), "p_wilcoxon": jsonNumber(c.wilcoxon.pValue), "significant": c.isSignificant,
         "users": c.count]
    }

    func printComparison(_ rows: [(key: String, comparison: PairedComparison)], a: String, b: String) {
        print("paired over the same users and seeds: A = \(a), B = \(b)")
        print("per user         A          B          A − B      95% CI (bootstrap)     p (t)     p (Wilcoxon)")
        for (key, c) in rows {
            let f = { (x: Double) in String(format: "%.4f", x).padding(toLength: 11, withPad: " ", startingAt: 0) }
            print(key.padding(toLength: 17, withPad: " ", startingAt: 0) + f(c.meanA) + f(c.meanB) + f(c.meanDifference)
                  + "[\(String(format: "%.4f", c.bootstrap.lower)), \(String(format: "%.4f", c.bootstrap.upper))]".padding(toLength: 23, withPad: " ", startingAt: 0)
                  + String(format: "%.2g", c.tTest.pValue).padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: "%.2g", c.wilcoxon.pValue) + " " + c.marker)
        }
    }
}
