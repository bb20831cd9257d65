import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope.Bench {
    /// `recscope bench sid-beam`: the time of one beam-search retrieval, per user, on a catalog's sid model.
    struct SIDBeam: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sid-beam",
            abstract: "Times one sid beam-search retrieval per user (median over users) on a catalog; run a release build.")

        @OptionGroup var options: CatalogOptions
        @Option(help: "Use the sid model trained on this split's training part (loo, temporal, ratio, cold-items).") var split = "loo"
        @Option(help: "Beam width for the timed searches.") var beam = 32
        @Option(help: "Results per retrieval.") var k = 10
        @Option(help: "Timed passes over every user (the median is over all timings).") var runs = 3
        @OptionGroup var params: ParamOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                guard beam >= 1, k >= 1, runs >= 1 else { throw CommandError("--beam, --k and --runs must be at least 1") }
                let bench = try ModelWorkbench(catalog: try options.open())
                let trained = try bench.model(.sid, params: try params.params(for: .sid), split: split, progress: nil)
                guard let sid = trained.model as? SemanticIDRetriever else { throw CommandError("the stored sid model did not load as sid") }
                let s = try bench.split(split)
                let seen = bench.matrix(s, roles: [.train, .valid])
                let users = (0..<bench.log.userCount).filter { seen.rowLength($0) > 0 }
                var times: [Double] = [], checksum = 0
                for u in users.prefix(50) { checksum &+= sid.trace(user: u, k: k, exclude: ExclusionSet(sorted: seen.items(ofUser: u)), beam: beam).items.count }
                var passes = 0, scored = 0
                for _ in 0..<runs {
                    for u in users {
                        let exclude = ExclusionSet(sorted: seen.items(ofUser: u))
                        let watch = Stopwatch()
                        let t = sid.search(user: u, k: k, exclude: exclude, beam: beam)
                        times.append(watch.elapsedMilliseconds)
                        checksum &+= t.items.count
                        passes += t.passes
                        scored += t.itemsScored
                    }
                }
                times.sort()
                let median = Quantile.linear(sorted: times, p: 0.5), p95 = Quantile.linear(sorted: times, p: 0.95)
                let fields: [(String, String)] = [
                    ("users", "\(users.count)"), ("items", "\(sid.itemCount)"), ("levels", "\(sid.semanticIDs.levels)"),
                    ("codes_per_level", "\(sid.semanticIDs.codesPerLevel)"), ("beam", "\(beam)"), ("k", "\(k)"), ("runs", "\(runs)"),
                    ("median_ms", BenchTiming.fmt(median)), ("p95_ms", BenchTiming.fmt(p95)), ("min_ms", BenchTiming.fmt(times.first!)),
                    ("mean_passes", BenchTiming.fmt(Double(passes) / Double(times.count))),
                    ("mean_items_scored", BenchTiming.fmt(Double(scored) / Double(times.count))), ("balanced", "\(sid.params["balanced"] == "true")"), ("checksum", "\(checksum)"),
                ]
                if json { print(BenchTiming.json(fields)); return }
                print("sid beam: \(users.count) users × \(runs) runs, \(sid.itemCount) items, codes \(sid.semanticIDs.codesPerLevel), beam \(beam), k \(k)")
                print("  per retrieval  median \(BenchTiming.fmt(median)) ms  p95 \(BenchTiming.fmt(p95)) ms  min \(BenchTiming.fmt(times.first!)) ms"
                      + "  (\(BenchTiming.fmt(Double(passes) / Double(times.count))) passes, \(BenchTiming.fmt(Double(scored) / Double(times.count))) items scored on average)")
            }
        }
    }
}
