import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecSim
import RecWorkbench

extension RecScope {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runs simulated users against a model, with or without an agent that follows their instructions.",
            discussion: """
                Each simulated user is built from a catalog user (history and held-out future from the loo split), \
                reviews a slate per turn, tires, speaks up when disengaging, and leaves when out of patience. The \
                model is the one trained on the loo split (trained and stored first when missing). Every run is \
                stored in sim_runs/sim_turns and printed with its id.

                --compare KEY=VALUE[,KEY=VALUE] runs a second configuration on the same users and seeds \
                (keys: agent=on|off, model=NAME, hold=N) and reports per-user paired differences of session \
                length, clicks and CTR with bootstrap 95% intervals; * marks a difference where the paired t-test \
                and Wilcoxon both give p < 0.05 and the interval excludes 0.

                --compare policy=static,feedback,ts,cascade runs static without instructions (the baseline) and \
                each listed policy with and without instructions, all on the same users and seeds, stores every \
                run, and reports session length, retention, clicks, CTR and diversity with the paired difference \
                from the baseline and its bootstrap 95% interval.

                Policies (--policy): static (the base model's ranking), feedback (a Bayesian linear model of the \
                user's responses, updated after every slate, greedy on its mean), ts (Thompson-sampled, diverse \
                slates from the same posterior), cascade (a cascading bandit that does not count items below the \
                last click as skips). The simulated user's click model is a knob: --knob click_model=cascade.

                Stored runs: --list lists them, --export RUN_ID --out FILE.jsonl writes one JSON line per turn, \
                --replay RUN_ID re-runs one from its stored parameters and checks the transcript byte for byte \
                (exit code 1 on any difference).
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model name (\(ModelKind.namesWithRuns)).") var model = "als"
        @Option(help: "Simulated users (drawn from the catalog's users; repeated with new traits past its size).") var users = 200
        @Option(help: "Turns per user at most.") var turns = 20
        @Option(help: "Run seed.") var seed: UInt64 = 1
        @Option(help: "on: the agent follows instructions; off: the baseline ignores them.") var agent = "on"
        @Option(help: "Agent policy: \(AgentPolicy.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).")
        var policy = "static"
        @Flag(help: "Measure each turn's regret against an oracle that knows the click probabilities (slower).") var regret = false
        @Option(help: "Items per slate.") var slate = 10
        @Option(help: "Turns the agent keeps an action (its weight fading each turn).") var hold = 3
        @Option(help: "Topics for satiation and instructions: categories, or sid (level-0 semantic-ID prefixes).") var topics = "categories"
        @Option(help: "A second configuration to compare on the same users and seeds, e.g. agent=off.") var compare: String?
        @Option(help: "Threads (results do not depend on it; 0: one per processor).") var threads = 0
        @Option(help: "Print the turns of this simulated user (0-based) after the summary.") var show: Int?
        @Flag(help: "List the stored runs.") var list = false
        @Option(help: ArgumentHelp("Write stored run RUN_ID as JSONL (needs --out).", valueName: "RUN_ID")) var export: Int64?
        @Option(help: "The JSONL file for --export.") var out: String?
        @Option(help: ArgumentHelp("Re-run stored run RUN_ID and compare its transcript byte for byte.", valueName: "RUN_ID")) var replay: Int64?
        @Flag(help: "Do not store the run.") var noStore = false
        @Option(help: ArgumentHelp("A simulated-user knob, NAME=VALUE (repeatable), e.g. satiation=1.2 (an unknown name lists them all).", valueName: "NAME=VALUE"))
        var knob: [String] = []
        @OptionGroup var params: ParamOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                let bench = try ModelWorkbench(catalog: try options.open())
                if list { return try printList(bench) }
                if let export { return try exportRun(bench, export) }
                if let replay { return try replayRun(bench, replay) }
                let a = try request()
                let progress = ModelWorkbench.progressPrinter(a.model)
                let inputs = try SimulationInputs(bench: bench, split: a.split, topics: a.topics)
                if let compare, let policies = try comparedPolicies(compare) {
                    return try runPolicyComparison(bench, a, policies: policies, inputs: inputs, progress: progress)
                }
                let first = try bench.simulate(a, inputs: inputs, threads: threads, progress: progress)
                let firstID = noStore ? nil : try bench.save(first, summary: try jsonText(summaryJSON(first, id: nil)))
                guard let compare else {
                    if json { try printJSON(summaryJSON(first, id: firstID)) } else { printSummary(first, id: firstID) }
                    if let show { try printUser(first, index: show) }
                    return
                }
                let b = try variant(a, compare)
                let model = b.model == a.model && b.modelParams == a.modelParams ? try bench.simulationModel(a) : nil
                let second = try bench.simulate(b, inputs: inputs, model: model, threads: threads, progress: ModelWorkbench.progressPrinter(b.model))
                let secondID = noStore ? nil : try bench.save(second, summary: try jsonText(summaryJSON(second, id: nil)))
                let rows = comparisons(first, second)
                if json {
                    var doc = summaryJSON(first, id: firstID)
                    doc["compare"] = [
                        "b": summaryJSON(second, id: secondID),
                        "differences": Dictionary(uniqueKeysWithValues: rows.map { ($0.key, comparisonJSON($0.comparison)) }),
                    ] as [String: Any]
                    try printJSON(doc)
                } else {
                    printSummary(first, id: firstID)
                    print("")
                    printSummary(second, id: secondID)
                    print("")
                    printComparison(rows, a: label(a), b: label(b))
                }
            }
        }

        func request() throws -> SimulationRequest {
            let kind = try ModelKind(named: model)
            guard let listens = ["on": true, "off": false][agent] else { throw CommandError("--agent \(agent): expected on or off") }
            guard let t = SimulationTopics(rawValue: topics) else { throw CommandError("--topics \(topics): expected categories or sid") }
            guard users >= 1, turns >= 1, slate >= 1, hold >= 1 else {
                throw CommandError("--users, --turns, --slate and --hold must be at least 1")
            }
            var user = UserModel()
            for pair in knob {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw CommandError("--knob \(pair): expected NAME=VALUE with NAME one of \(UserModel.knobNames.joined(separator: ", "))")
                }
                do { try user.set(parts[0], parts[1]) } catch { throw CommandError("--knob: \(error)") }
            }
            let chosen: AgentPolicy
            do { chosen = try AgentPolicy(named: policy) } catch { throw CommandError("--policy: \(error)") }
            return SimulationRequest(model: kind, modelParams: try params.params(for: kind), users: users, turns: turns, seed: seed,
                                     agent: listens, slateSize: slate, holdTurns: hold, topics: t, user: user, policy: chosen,
                                     measuresRegret: regret)
        }

        /// The policies of `--compare policy=A,B,…`, or nil when the comparison is not of policies.
        func comparedPolicies(_ text: String) throws -> [AgentPolicy]? {
            guard text.trimmingCharacters(in: .whitespaces).hasPrefix("policy=") else {
                if text.contains("policy=") {
                    throw CommandError("--compare \(text): policy=A,B,… compares policies on one configuration and takes no other keys")
                }
                return nil
            }
            let names = text.trimmingCharacters(in: .whitespaces).dropFirst("policy=".count).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, !names.contains(where: { $0.isEmpty || $0.contains("=") }) else {
                throw CommandError("--compare \(text): expected policy=A,B,… with policies from \(AgentPolicy.names)")
            }
            var out: [AgentPolicy] = []
            for name in names {
                let p: AgentPolicy
                do { p = try AgentPolicy(named: name) } catch { throw CommandError("--compare: \(error)") }
                if !out.contains(p) { out.append(p) }
            }
            return out
        }

        /// `a` with the `--compare` overrides applied.
        func variant(_ a: SimulationRequest, _ text: String) throws -> SimulationRequest {
            var b = a
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw CommandError("--compare \(text): expected KEY=VALUE pairs such as agent=off or model=ease") }
                switch parts[0] {
                case "agent":
                    guard let v = ["on": true, "off": false][parts[1]] else { throw CommandError("--compare agent=\(parts[1]): expected on or off") }
                    b.agent = v
                case "model":
                    b.model = try ModelKind(named: parts[1])
                    b.modelParams = try params.params(for: b.model)
                case "hold":
                    guard let v = Int(parts[1]), v >= 1 else { throw CommandError("--compare hold=\(parts[1]): expected a positive integer") }
                    b.holdTurns = v
                default:
                    throw CommandError("--compare \(parts[0]): unknown key (expected agent, model or hold)")
                }
            }
            guard b != a else { throw CommandError("--compare \(text) changes nothing: name a different agent, model or hold") }
            return b
        }

        func printList(_ bench: ModelWorkbench) throws {
            let runs = try bench.catalog.listSimRuns()
            if json {
                return try printJSON(["runs": runs.map {
                    ["id": $0.id, "model": $0.model, "agent": $0.agent, "policy": $0.params["policy"] ?? "static", "users": $0.users,
                     "turns": $0.turns, "seed": $0.seed, "created_at": $0.createdAt] as [String: Any]
                }])
            }
            // Runs stored before policies existed ran static.
            print("id    model    agent  policy    users  turns  seed  created")
            for r in runs {
                print(String(r.id).padding(toLength: 6, withPad: " ", startingAt: 0) + r.model.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + (r.agent ? "on " : "off").padding(toLength: 7, withPad: " ", startingAt: 0)
                      + TerminalText.sanitize(r.params["policy"] ?? "static").padding(toLength: 10, withPad: " ", startingAt: 0)
                      + String(r.users).padding(toLength: 7, withPad: " ", startingAt: 0) + String(r.turns).padding(toLength: 7, withPad: " ", startingAt: 0)
                      + String(r.seed).padding(toLength: 6, withPad: " ", startingAt: 0) + r.createdAt)
            }
        }

        func exportRun(_ bench: ModelWorkbench, _ id: Int64) throws {
            guard let out else { throw CommandError("--export \(id) needs --out FILE.jsonl") }
            let lines = try bench.exportSimRun(id)
            let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
            do {
                try text.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw CommandError("\(out): cannot write (\(error.localizedDescription))")
            }
            if json { try printJSON(["run": id, "lines": lines.count, "out": out]) } else { print("run \(id): \(lines.count) turns written to \(out)") }
        }

        func replayRun(_ bench: ModelWorkbench, _ id: Int64) throws {
            let result = try bench.replaySimRun(id, threads: threads)
            if json {
                try printJSON(["run": id, "lines": result.lines, "identical": result.firstDifference == nil,
                               "first_difference": result.firstDifference ?? NSNull()])
            } else if let n = result.firstDifference {
                print("run \(id): transcripts differ at line \(n) of \(result.lines)")
                print("stored:   \(TerminalText.sanitize(result.expected ?? "(missing)"))")
                print("replayed: \(TerminalText.sanitize(result.found ?? "(missing)"))")
            } else {
                print("run \(id): replayed \(result.lines) turns, identical byte for byte")
            }
            if result.firstDifference != nil { throw ExitCode(1) }
        }
    }
}
