import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope.Bench {
    /// `recscope bench recommend`: one user's top-K from a stored (or newly trained) model, timed per user.
    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recommend",
            abstract: "Times one user's recommendation (median and p95 over users) for any model; run a release build.",
            discussion: """
                Each timing is one call of the model's recommend for one user (scoring, and for sasrec/bert4rec the
                forward pass over the user's window, then the fused top-k), seen items excluded, one thread. The
                model is the one stored for --split (trained and stored first when there is none).
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model name (\(ModelKind.namesWithRuns)).") var model: String
        @Option(help: "Use the model trained on this split's training part (loo, temporal, ratio, cold-items).") var split = "loo"
        @Option(help: "Results per recommendation.") var k = 10
        @Option(help: "Timed passes over the users (the median is over all timings).") var runs = 3
        @Option(help: "Time at most this many users (spread evenly over the catalog); 0 = all.") var users = 2000
        @OptionGroup var params: ParamOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                guard k >= 1, runs >= 1, users >= 0 else { throw CommandError("--k and --runs must be at least 1, --users at least 0") }
                let kind = try parseModels(model)
                guard kind.count == 1 else { throw CommandError("--model takes one model name, found '\(model)'") }
                let bench = try ModelWorkbench(catalog: try options.open())
                let trained = try bench.model(kind[0], params: try params.params(for: kind[0]), split: split,
                                              progress: ModelWorkbench.progressPrinter(kind[0])).model
                let s = try bench.split(split)
                let seen = bench.matrix(s, roles: [.train, .valid])
                let all = (0..<bench.log.userCount).filter { seen.rowLength($0) > 0 }
                let step = users == 0 ? 1 : max(1, all.count / users)
                let chosen = Array(stride(from: 0, to: all.count, by: step).map { all[$0] }.prefix(users == 0 ? all.count : users))
                var times: [Double] = [], checksum = 0
                for u in chosen.prefix(20) { checksum &+= trained.recommend(user: u, k: k, exclude: ExclusionSet(sorted: seen.items(ofUser: u))).count }
                for _ in 0..<runs {
                    for u in chosen {
                        let exclude = ExclusionSet(sorted: seen.items(ofUser: u))
                        let watch = Stopwatch()
                        let list = trained.recommend(user: u, k: k, exclude: exclude)
                        times.append(watch.elapsedMilliseconds)
                        checksum &+= list.count
                    }
                }
                times.sort()
                let median = Quantile.linear(sorted: times, p: 0.5), p95 = Quantile.linear(sorted: times, p: 0.95)
                let fields: [(String, String)] = [
                    ("model", kind[0].rawValue), ("users", "\(chosen.count)"), ("items", "\(bench.log.itemCount)"), ("k", "\(k)"),
                    ("runs", "\(runs)"), ("median_ms", BenchTiming.fmt(median)), ("p95_ms", BenchTiming.fmt(p95)),
                    ("max_ms", BenchTiming.fmt(times.last!)), ("checksum", "\(checksum)"),
                ]
                if json { print(BenchTiming.json(fields)); return }
                print("\(kind[0].rawValue) recommend: \(chosen.count) users × \(runs) runs, \(bench.log.itemCount) items, k \(k), one thread")
                print("  per user  median \(BenchTiming.fmt(median)) ms  p95 \(BenchTiming.fmt(p95)) ms  max \(BenchTiming.fmt(times.last!)) ms")
            }
        }
    }
}
