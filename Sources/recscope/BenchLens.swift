import ArgumentParser
import ExplorerApp
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench
import TUIKit

extension RecScope.Bench {
    /// `recscope bench lens`: the fairness lens of several models on a catalog, timed as the Lens pane computes it.
    struct Lens: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lens",
            abstract: "Times the fairness lens (every measure, the Pareto frontier, PUF, three segmentations) of models on a catalog; run a release build.",
            discussion: """
                Models are loaded as stored on the split (or trained first, untimed). Each run times, separately:
                ranking every test user with every model (ranking), every lens measure of all models from those
                lists (lens: what `eval` computes beyond ranking, plus the three segmentations the pane shows), and
                drawing the Lens pane from the result at 120×40 (pane). Medians and minimums over the runs; the lens also
                reports the CPU time of its thread, which a machine shared with other jobs does not inflate.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model names, comma-separated.") var models = "pop,itemknn,als,ease"
        @Option(help: "The split whose stored models and test rows are used.") var split = "loo"
        @Option(help: "The cutoff.") var k = 10
        @Option(help: "Timed runs (median and min are reported).") var runs = 5
        @Option(help: "Workers for the lens's four evaluations (whole split and three segmentations); 0: every core.")
        var threads = 1
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                guard runs >= 1, k >= 1 else { throw CommandError("--runs and --k must be at least 1") }
                let kinds = try parseModels(models)
                let catalog = try options.open()
                let splitModels = SplitModels(split: split) { try ModelWorkbench(catalog: catalog) }
                for kind in kinds { _ = try splitModels.prepare(kind, progress: { _ in }) }
                let d = try splitModels.data()
                var ranking: [Double] = [], lens: [Double] = [], lensCPU: [Double] = [], pane: [Double] = []
                var snapshot: LensSnapshot?
                for _ in 0..<runs {
                    ranking.append(try BenchTiming.milliseconds {
                        for kind in kinds { _ = Evaluator(cutoffs: [k]).rank(try splitModels.trained(kind), heldOut: d.view.test) }
                    })
                    _ = try kinds.map { try splitModels.rankedLists($0, k: k) }   // kept after the first run
                    let cpu = Self.threadCPUMilliseconds()
                    lens.append(try BenchTiming.milliseconds { snapshot = try splitModels.lens(models: kinds, k: k, threads: threads) })
                    lensCPU.append(Self.threadCPUMilliseconds() - cpu)
                    var state = AppState(catalogName: "bench", width: 120, height: 40)
                    state.models.kinds = kinds
                    for kind in kinds { state.models.status[kind] = .ready(ModelInfo(model: kind, origin: .stored, fitSeconds: 0)) }
                    state.stack = [.lens]
                    state.lens.snapshot = snapshot
                    pane.append(BenchTiming.milliseconds {
                        var canvas = Canvas(width: 120, height: 40)
                        Explorer.render(state, on: &canvas)
                    })
                }
                guard let s = snapshot else { return }
                let fields: [(String, String)] = [
                    ("models", "\(kinds.count)"), ("threads", "\(threads)"), ("users", "\(s.users)"), ("items", "\(s.items)"), ("k", "\(k)"), ("runs", "\(runs)"),
                    ("frontier_points", "\(s.frontier.count)"),
                    ("ranking_median_ms", BenchTiming.fmt(BenchTiming.median(ranking))), ("ranking_min_ms", BenchTiming.fmt(ranking.min()!)),
                    ("lens_median_ms", BenchTiming.fmt(BenchTiming.median(lens))), ("lens_min_ms", BenchTiming.fmt(lens.min()!)),
                    ("lens_cpu_median_ms", BenchTiming.fmt(BenchTiming.median(lensCPU))),
                    ("pane_median_ms", BenchTiming.fmt(BenchTiming.median(pane))), ("pane_min_ms", BenchTiming.fmt(pane.min()!)),
                ]
                if json { print(BenchTiming.json(fields)); return }
                print("lens: \(kinds.map(\.rawValue).joined(separator: ",")) on \(split), \(s.users) users × \(s.items) items, K \(k), "
                      + "\(s.frontier.count) frontier points, \(runs) runs")
                print("  ranking  median \(BenchTiming.fmt(BenchTiming.median(ranking))) ms  min \(BenchTiming.fmt(ranking.min()!)) ms")
                print("  lens     median \(BenchTiming.fmt(BenchTiming.median(lens))) ms  min \(BenchTiming.fmt(lens.min()!)) ms"
                      + (threads == 1 ? "  (CPU of this thread: median \(BenchTiming.fmt(BenchTiming.median(lensCPU))) ms)" : "  (\(threads) workers)"))
                print("  pane     median \(BenchTiming.fmt(BenchTiming.median(pane))) ms  min \(BenchTiming.fmt(pane.min()!)) ms  (120×40)")
            }
        }

        /// CPU time the calling thread has used, in milliseconds.
        static func threadCPUMilliseconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
        }
    }
}
