import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecSim
import RecWorkbench

extension RecScope.Bench {
    /// `recscope bench simulate`: a population run of one policy, and one step as the Simulate pane takes it.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Times a population run of one agent policy and one stepped turn; run a release build.",
            discussion: """
                Each run is what `recscope simulate --policy P --users N --turns T --seed S` simulates: for a learning
                policy, the prior's fit on logged sessions (timed apart), then the population on --threads threads.
                Wall and process CPU seconds, median over --runs. The step is one turn of one simulated user as the
                explorer's Simulate pane plays it (the agent's slate, the user's review, the agent's update, and the
                belief the pane draws), one thread, over --step-users users' whole sessions.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Base model (\(ModelKind.names)).") var model = "als"
        @Option(help: "Agent policy (\(AgentPolicy.names)).") var policy = "ts"
        @Option(help: "Simulated users.") var users = 1000
        @Option(help: "Turns per user at most.") var turns = 30
        @Option(help: "Run seed.") var seed: UInt64 = 1
        @Option(help: "Threads for the population (0: one per processor).") var threads = 0
        @Option(help: "Timed runs (the median is reported).") var runs = 3
        @Option(help: "Users whose sessions are stepped one turn at a time.") var stepUsers = 50
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                guard users >= 1, turns >= 1, runs >= 1, stepUsers >= 1 else {
                    throw CommandError("--users, --turns, --runs and --step-users must be at least 1")
                }
                let kinds = try parseModels(model)
                guard kinds.count == 1 else { throw CommandError("--model takes one model name, found '\(model)'") }
                let chosen: AgentPolicy
                do { chosen = try AgentPolicy(named: policy) } catch { throw CommandError("--policy: \(error)") }
                let bench = try ModelWorkbench(catalog: try options.open())
                let request = SimulationRequest(model: kinds[0], users: users, turns: turns, seed: seed, agent: true, policy: chosen)
                let inputs = try SimulationInputs(bench: bench, split: request.split, topics: request.topics)
                let trained = try bench.simulationModel(request, progress: ModelWorkbench.progressPrinter(kinds[0]))

                var priorWall: [Double] = [], runWall: [Double] = [], totalCPU: [Double] = []
                var outcome: SimulationOutcome?
                var prior: BeliefPrior?
                for _ in 0..<runs {
                    let cpu = Self.processCPUSeconds()
                    let watch = Stopwatch()
                    prior = chosen.learns ? ModelWorkbench.beliefPrior(request, inputs: inputs, model: trained, threads: threads) : nil
                    priorWall.append(watch.elapsed)
                    let o = try bench.simulate(request, inputs: inputs, model: trained, prior: prior ?? BeliefPrior(), threads: threads)
                    runWall.append(o.seconds)
                    totalCPU.append(Self.processCPUSeconds() - cpu)
                    outcome = o
                }
                let summary = outcome!.run.summary

                // One turn at a time, as the pane steps a session.
                var agent = AgentRecommender(model: trained, catalog: inputs.catalog, listens: true, policy: chosen)
                if let prior { agent.prior = prior }
                var steps: [Double] = [], shownTopics = 0
                let sample = PopulationRun.sample(inputs.profiles, count: stepUsers, seed: seed)
                for (k, profile) in sample.enumerated() {
                    var session = PopulationRun.session(profile, index: k, agent: agent, config: request.config)
                    while !session.isFinished {
                        let watch = Stopwatch()
                        session.step()
                        let beliefs = agent.topicBeliefs(session.memory)
                        steps.append(watch.elapsedMilliseconds)
                        shownTopics &+= beliefs.count
                    }
                }
                steps.sort()
                let median = BenchTiming.median
                let fields: [(String, String)] = [
                    ("model", "\"\(kinds[0].rawValue)\""), ("policy", "\"\(chosen.rawValue)\""), ("users", "\(users)"), ("turns", "\(turns)"),
                    ("threads", "\(threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : threads)"), ("runs", "\(runs)"),
                    ("turns_played", "\(summary.sessionLengths.reduce(0, +))"),
                    ("mean_session_length", BenchTiming.fmt(summary.meanSessionLength)),
                    ("prior_fit_seconds", BenchTiming.fmt(median(priorWall))), ("simulate_seconds", BenchTiming.fmt(median(runWall))),
                    ("total_seconds", BenchTiming.fmt(median(priorWall) + median(runWall))),
                    ("cpu_seconds", BenchTiming.fmt(median(totalCPU))),
                    ("step_median_ms", BenchTiming.fmt(Quantile.linear(sorted: steps, p: 0.5))),
                    ("step_p95_ms", BenchTiming.fmt(Quantile.linear(sorted: steps, p: 0.95))),
                    ("step_max_ms", BenchTiming.fmt(steps.last!)), ("steps", "\(steps.count)"), ("checksum", "\(shownTopics)"),
                ]
                if json { print(BenchTiming.json(fields)); return }
                print("\(chosen.rawValue) over \(kinds[0].rawValue): \(users) users × \(turns) turns, seed \(seed), "
                      + "\(fields[4].1) threads, median of \(runs) runs (\(fields[6].1) turns played, \(fields[7].1) turns per user)")
                print("  prior fit      \(fields[8].1) s" + (chosen.learns ? " (logged sessions of \(AgentRecommender.calibrationUsers) users, twice)" : " (static fits none)"))
                print("  population     \(fields[9].1) s")
                print("  total          \(fields[10].1) s wall, \(fields[11].1) s CPU")
                print("  one pane step  median \(fields[12].1) ms, p95 \(fields[13].1) ms, max \(fields[14].1) ms over \(steps.count) steps of \(stepUsers) users")
            }
        }

        /// CPU seconds of the whole process so far (every thread).
        static func processCPUSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }
}
