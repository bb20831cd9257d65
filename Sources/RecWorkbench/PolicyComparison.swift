import RecCore
import RecEval
import RecModels
import RecSim

/// Agent policies run on the same simulated users and seeds, each compared per user with one baseline:
/// `static` without instructions (the platform's ranking as it is). What `recscope simulate --compare
/// policy=…` prints and the Simulate pane's population chart draws.
public struct PolicyComparison: Sendable {
    /// One configuration's run and its paired differences from the baseline.
    public struct Arm: Sendable {
        public let outcome: SimulationOutcome
        /// Per-user differences from the baseline: `session_length`, `clicks`, `ctr`, `diversity`, then
        /// `retention@T` (still there at the start of turn T, 0 or 1 per user) at `retentionMarks`.
        /// Empty for the baseline itself.
        public let differences: [(key: String, comparison: PairedComparison)]
        public var policy: AgentPolicy { outcome.request.policy }
        public var listens: Bool { outcome.request.agent }
        /// `ts with instructions`, `static without instructions`.
        public var label: String { "\(policy.rawValue) \(listens ? "with" : "without") instructions" }
    }

    /// The baseline first, then each policy asked for, with instructions and without (the baseline is not
    /// run twice).
    public let arms: [Arm]
    /// 1-based turns at which retention differences are tested.
    public let retentionMarks: [Int]

    public var baseline: Arm { arms[0] }

    /// The arm of `policy` with or without instructions.
    public func arm(_ policy: AgentPolicy, listens: Bool) -> Arm? {
        arms.first { $0.policy == policy && $0.listens == listens }
    }

    /// The learning policy with instructions that keeps users longest (ties: the earlier policy), and its
    /// paired comparison of session length with `static` with instructions when both were run.
    public var bestLearning: (arm: Arm, againstStatic: PairedComparison?)? {
        let learning = arms.filter { $0.policy.learns && $0.listens }
        guard let best = learning.max(by: { $0.outcome.run.summary.meanSessionLength < $1.outcome.run.summary.meanSessionLength }) else {
            return nil
        }
        let against = arm(.static, listens: true).map {
            PairedComparison(Self.lengths(best.outcome), Self.lengths($0.outcome), seed: best.outcome.request.seed)
        }
        return (best, against)
    }

    static func lengths(_ o: SimulationOutcome) -> [Double] { o.run.summary.sessionLengths.map(Double.init) }

    /// The turns at which retention is compared: about a quarter, half, three quarters and all of `turns`.
    public static func marks(turns: Int) -> [Int] {
        Array(Set([turns / 4, turns / 2, 3 * turns / 4, turns].filter { $0 >= 2 })).sorted()
    }
}

extension ModelWorkbench {
    /// Runs `request` (its users, turns, seed, model and knobs) as `static` without instructions and as each
    /// of `policies` with and without instructions, on the same users and seeds, and compares each with the
    /// first. `arms` hears each finished run (to store it) as it comes.
    public func comparePolicies(_ request: SimulationRequest, policies: [AgentPolicy], inputs: SimulationInputs? = nil,
                                model: (any TrainedModel)? = nil, threads: Int = 0, progress: TrainingProgress? = nil,
                                finished: (SimulationOutcome) throws -> Void = { _ in }) throws -> PolicyComparison {
        guard !policies.isEmpty else { throw WorkbenchError("a policy comparison needs at least one policy (\(AgentPolicy.names))") }
        let inputs = try inputs ?? SimulationInputs(bench: self, split: request.split, topics: request.topics)
        let model = try model ?? simulationModel(request, progress: progress)
        var configurations: [(AgentPolicy, Bool)] = [(.static, false)]
        for p in policies {
            for listens in [true, false] where !configurations.contains(where: { $0 == (p, listens) }) { configurations.append((p, listens)) }
        }
        // One fitted prior per way of reading sessions (feedback and ts share one), whatever the instructions.
        var priors: [AgentPolicy: BeliefPrior] = [:]
        var outcomes: [SimulationOutcome] = []
        for (policy, listens) in configurations {
            var r = request
            r.policy = policy
            r.agent = listens
            var prior: BeliefPrior?
            if policy.learns {
                let reading = AgentRecommender.priorReading(policy)
                prior = priors[reading] ?? Self.beliefPrior(r, inputs: inputs, model: model, threads: threads)
                priors[reading] = prior
            }
            let outcome = try simulate(r, inputs: inputs, model: model, prior: prior, threads: threads)
            try finished(outcome)
            outcomes.append(outcome)
        }
        let marks = PolicyComparison.marks(turns: request.turns)
        let base = outcomes[0].run.summary
        let arms = outcomes.enumerated().map { n, o -> PolicyComparison.Arm in
            guard n > 0 else { return PolicyComparison.Arm(outcome: o, differences: []) }
            let s = o.run.summary, seed = request.seed
            func paired(_ a: [Double], _ b: [Double]) -> PairedComparison { PairedComparison(a, b, seed: seed) }
            var rows: [(key: String, comparison: PairedComparison)] = [
                ("session_length", paired(s.sessionLengths.map(Double.init), base.sessionLengths.map(Double.init))),
                ("clicks", paired(s.userClicks.map(Double.init), base.userClicks.map(Double.init))),
                ("ctr", paired(s.userCTR, base.userCTR)),
                ("diversity", paired(s.userDiversity, base.userDiversity)),
            ]
            for t in marks {
                let stayed = { (lengths: [Int]) in lengths.map { $0 >= t ? 1.0 : 0.0 } }
                rows.append(("retention@\(t)", paired(stayed(s.sessionLengths), stayed(base.sessionLengths))))
            }
            return PolicyComparison.Arm(outcome: o, differences: rows)
        }
        return PolicyComparison(arms: arms, retentionMarks: marks)
    }
}
