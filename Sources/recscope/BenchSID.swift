import ArgumentParser
import Foundation
import RecCore
import RecModels

extension RecScope.Bench {
    /// `recscope bench sid`: builds semantic IDs (RQ-KMeans) for seeded clustered random vectors.
    struct SIDBenchmark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sid",
            abstract: "RQ-KMeans semantic IDs for random clustered vectors (levels × codes, as sid build).",
            discussion: """
                Data: --clusters Gaussian centres (unit variance per coordinate), each item a centre plus noise of
                standard deviation 0.5, drawn from --seed. Times ResidualQuantizer.fit, disambiguation included.
                """)

        @Option(help: "Number of items.") var items: Int = 100_000
        @Option(help: "Embedding dimension.") var dim: Int = 64
        @Option(help: "Code levels.") var levels: Int = 3
        @Option(help: "Codes per level.") var codes: Int = 256
        @Option(help: "k-means iterations per level.") var iterations: Int = 25
        @Option(help: "Planted clusters in the data.") var clusters: Int = 1000
        @Flag(help: "Capacity-constrained codes (capacity 1.25 × items / K).") var balanced = false
        @Option(help: "Worker threads.") var threads: Int = 1
        @Option(help: "Random seed (data and k-means++).") var seed: UInt64 = 42
        @Option(help: "Timed repetitions (median and min are reported).") var runs: Int = 3
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            guard items > 0, dim > 0, levels > 0, codes > 1, iterations > 0, clusters > 0, threads > 0, runs > 0 else {
                throw ValidationError("items, dim, levels, iterations, clusters, threads and runs must be positive; codes ≥ 2")
            }
        }

        func run() async throws {
            let data = Self.clustered(items: items, dim: dim, clusters: clusters, seed: seed)
            let configuration = ResidualQuantizer.Configuration(levels: levels, codes: codes, iterations: iterations,
                                                                seed: seed, threads: threads,
                                                                balance: balanced ? 1.25 : nil)
            var times: [Double] = []
            var ids: SemanticIDs?
            for _ in 0..<runs {
                times.append(BenchTiming.milliseconds { ids = ResidualQuantizer.fit(embeddings: data, configuration: configuration) })
            }
            let stats = SemanticIDStats(ids: ids!, embeddings: data)
            let median = BenchTiming.median(times) / 1000, best = times.min()! / 1000
            let k = ResidualQuantizer.effectiveCodes(requested: codes, items: items)
            if json {
                print(BenchTiming.json([
                    ("items", "\(items)"), ("dim", "\(dim)"), ("levels", "\(levels)"), ("codes", "\(k)"),
                    ("iterations", "\(iterations)"), ("balanced", "\(balanced)"), ("threads", "\(threads)"),
                    ("runs", "\(runs)"), ("seed", "\(seed)"),
                    ("median_s", BenchTiming.fmt(median)), ("min_s", BenchTiming.fmt(best)),
                    ("collision_rate", "\(stats.collisionRate)"),
                    ("perplexity_per_level", "[" + stats.perplexityPerLevel.map { BenchTiming.fmt($0) }.joined(separator: ", ") + "]"),
                ]))
            } else {
                print("sid: \(items) items × \(dim), \(levels) levels × \(k) codes, \(iterations) iterations\(balanced ? ", balanced" : ""), \(threads) thread(s), \(runs) runs")
                print("  build  median \(BenchTiming.fmt(median)) s  min \(BenchTiming.fmt(best)) s")
                print("  collision rate \(String(format: "%.4f", stats.collisionRate)), perplexity "
                    + stats.perplexityPerLevel.map { String(format: "%.1f", $0) }.joined(separator: " / ")
                    + ", max code path \(stats.maxItemsPerPath) items")
            }
        }

        /// `items` rows, each a random one of `clusters` Gaussian centres plus N(0, 0.5²) noise.
        static func clustered(items: Int, dim: Int, clusters: Int, seed: UInt64) -> DenseMatrix {
            var rng = SeededGenerator(seed: seed)
            let centres = DenseMatrix(rows: clusters, cols: dim) { _, _ in Float(rng.nextGaussian()) }
            var data = DenseMatrix(rows: items, cols: dim)
            for i in 0..<items {
                let centre = centres.row(rng.nextIndex(below: clusters))
                let row = data.mutableRow(i)
                for j in 0..<dim { row[j] = centre[j] + 0.5 * Float(rng.nextGaussian()) }
            }
            return data
        }
    }
}
