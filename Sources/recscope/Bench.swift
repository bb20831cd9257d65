import ArgumentParser
import Foundation
import RecCore

extension RecScope {
    /// `recscope bench …`: times the SIMD core on seeded random data.
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmarks: the SIMD core (mips, cholesky, kmeans), semantic IDs (sid, sid-beam), the explorer (tui), the fairness lens (lens) and the simulator (simulate); run a release build.",
            subcommands: [Mips.self, Cholesky.self, KMeans.self, SIDBenchmark.self, SIDBeam.self, Recommend.self, Content.self, TUI.self, Lens.self, GemmBenchmark.self,
                          Simulate.self])
    }
}

extension RecScope.Bench {
    /// `recscope bench mips`: top-k maximum inner product search against a streaming read of the same matrix.
    struct Mips: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Top-k inner-product search over random items, with the streaming-read floor.")

        @Option(help: "Number of items (rows).") var items: Int = 1_000_000
        @Option(help: "Embedding dimension.") var dim: Int = 64
        @Option(help: "Number of queries, answered in one batch.") var queries: Int = 1
        @Option(help: "Results per query.") var k: Int = 100
        @Option(help: "Worker threads (queries are divided among them).") var threads: Int = 1
        @Option(help: "Random seed for items and queries.") var seed: UInt64 = 42
        @Option(help: "Timed repetitions (median and min are reported).") var runs: Int = 7
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            guard items > 0, dim > 0, queries > 0, k >= 0, threads > 0, runs > 0 else {
                throw ValidationError("items, dim, queries, threads and runs must be positive and k ≥ 0")
            }
        }

        func run() async throws {
            var rng = SeededGenerator(seed: seed)
            let itemMatrix = DenseMatrix.random(rows: items, cols: dim, using: &rng)
            let queryMatrix = DenseMatrix.random(rows: queries, cols: dim, using: &rng)
            // Warm up once (page faults, caches), then alternate the two measurements.
            var checksum = BenchTiming.stream(itemMatrix, threads: threads)
            var results = BatchedRetrieval.topK(queries: queryMatrix, items: itemMatrix, k: k, threads: threads)
            var searchMs: [Double] = [], streamMs: [Double] = []
            for _ in 0..<runs {
                streamMs.append(BenchTiming.milliseconds {
                    checksum += BenchTiming.stream(itemMatrix, threads: threads)
                })
                searchMs.append(BenchTiming.milliseconds {
                    results = BatchedRetrieval.topK(queries: queryMatrix, items: itemMatrix, k: k, threads: threads)
                })
            }
            let median = BenchTiming.median(searchMs), stream = BenchTiming.median(streamMs)
            let bytes = Double(items) * Double(dim) * 4
            let flops = 2 * Double(items) * Double(dim) * Double(queries)
            let topScore = results.first?.first?.score ?? 0
            let fields: [(String, String)] = [
                ("items", "\(items)"), ("dim", "\(dim)"), ("queries", "\(queries)"), ("k", "\(k)"),
                ("threads", "\(threads)"), ("runs", "\(runs)"), ("seed", "\(seed)"),
                ("median_ms", BenchTiming.fmt(median)), ("min_ms", BenchTiming.fmt(searchMs.min()!)),
                ("stream_ms", BenchTiming.fmt(stream)), ("stream_min_ms", BenchTiming.fmt(streamMs.min()!)),
                ("ratio_to_stream", BenchTiming.fmt(median / stream)),
                ("gb_per_s", BenchTiming.fmt(bytes / (median * 1e6))),
                ("stream_gb_per_s", BenchTiming.fmt(bytes / (stream * 1e6))),
                ("gflop_per_s", BenchTiming.fmt(flops / (median * 1e6))),
                ("top_score", "\(topScore)"), ("stream_checksum", "\(checksum)"),
            ]
            if json {
                print(BenchTiming.json(fields))
            } else {
                print("mips: \(items) items × \(dim), \(queries) queries, k=\(k), \(threads) thread(s), \(runs) runs")
                print("  search  median \(BenchTiming.fmt(median)) ms  min \(BenchTiming.fmt(searchMs.min()!)) ms"
                    + "  \(BenchTiming.fmt(bytes / (median * 1e6))) GB/s  \(BenchTiming.fmt(flops / (median * 1e6))) GFLOP/s")
                print("  stream  median \(BenchTiming.fmt(stream)) ms  min \(BenchTiming.fmt(streamMs.min()!)) ms"
                    + "  \(BenchTiming.fmt(bytes / (stream * 1e6))) GB/s")
                print("  search / stream = \(BenchTiming.fmt(median / stream))")
            }
        }
    }

    /// `recscope bench cholesky`: factors a seeded SPD matrix.
    struct Cholesky: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cholesky factorisation of a random SPD matrix.")

        @Option(help: "Matrix size n (n × n).") var n: Int = 2000
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "Timed repetitions.") var runs: Int = 7
        @Option(help: "Threads for the inverse (the factorisation runs on one).") var threads: Int = 1
        @Flag(help: "Also time the SPD inverse (as EASE uses it).") var inverse = false
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            guard n > 0, runs > 0, threads > 0 else { throw ValidationError("n and runs must be positive") }
        }

        func run() async throws {
            let a = BenchTiming.randomSPD(n: n, seed: seed)
            var times: [Double] = []
            var factor = a
            try RecCore.Cholesky.factor(&factor)  // warm-up
            for _ in 0..<runs {
                var m = a
                times.append(try BenchTiming.milliseconds { try RecCore.Cholesky.factor(&m) })
                factor = m
            }
            let median = BenchTiming.median(times)
            let flops = Double(n) * Double(n) * Double(n) / 3
            var inverseTimes: [Double] = []
            if inverse {
                for _ in 0..<runs {
                    inverseTimes.append(try BenchTiming.milliseconds {
                        _ = try RecCore.Cholesky.inverse(a, threads: threads)
                    })
                }
            }
            var fields: [(String, String)] = [
                ("n", "\(n)"), ("runs", "\(runs)"), ("seed", "\(seed)"),
                ("median_ms", BenchTiming.fmt(median)), ("min_ms", BenchTiming.fmt(times.min()!)),
                ("gflop_per_s", BenchTiming.fmt(flops / (median * 1e6))),
                ("l_last", "\(factor[n - 1, n - 1])"),
            ]
            if inverse {
                fields.append(("inverse_median_ms", BenchTiming.fmt(BenchTiming.median(inverseTimes))))
                fields.append(("inverse_threads", "\(threads)"))
            }
            if json {
                print(BenchTiming.json(fields))
            } else {
                print("cholesky n=\(n): median \(BenchTiming.fmt(median)) ms, min \(BenchTiming.fmt(times.min()!)) ms, "
                    + "\(BenchTiming.fmt(flops / (median * 1e6))) GFLOP/s")
                if inverse {
                    print("inverse n=\(n), \(threads) thread(s): median "
                        + "\(BenchTiming.fmt(BenchTiming.median(inverseTimes))) ms")
                }
            }
        }
    }
}

extension RecScope.Bench {
    /// `recscope bench kmeans`: k-means++ and Lloyd iterations on seeded random data.
    struct KMeans: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kmeans", abstract: "k-means on random points (as RQ-KMeans uses it).")

        @Option(help: "Number of points.") var rows: Int = 100_000
        @Option(help: "Dimension.") var dim: Int = 64
        @Option(help: "Clusters.") var k: Int = 256
        @Option(help: "Lloyd iterations.") var iterations: Int = 10
        @Option(help: "Worker threads.") var threads: Int = 1
        @Option(help: "Random seed (data and k-means++).") var seed: UInt64 = 42
        @Option(help: "Timed repetitions.") var runs: Int = 3
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            guard rows > 0, dim > 0, k > 0, k <= rows, iterations > 0, threads > 0, runs > 0 else {
                throw ValidationError("rows, dim, k (≤ rows), iterations, threads and runs must be positive")
            }
        }

        func run() async throws {
            var rng = SeededGenerator(seed: seed)
            let data = DenseMatrix.random(rows: rows, cols: dim, using: &rng)
            var times: [Double] = []
            var result: RecCore.KMeans.Result?
            for _ in 0..<runs {
                times.append(BenchTiming.milliseconds {
                    result = RecCore.KMeans.fit(data: data, k: k, iterations: iterations, seed: seed, threads: threads)
                })
            }
            let r = result!
            let fields: [(String, String)] = [
                ("rows", "\(rows)"), ("dim", "\(dim)"), ("k", "\(k)"), ("iterations", "\(r.iterations)"),
                ("threads", "\(threads)"), ("median_ms", BenchTiming.fmt(BenchTiming.median(times))),
                ("min_ms", BenchTiming.fmt(times.min()!)), ("inertia", "\(r.inertia)"), ("repairs", "\(r.repairs)"),
            ]
            if json {
                print(BenchTiming.json(fields))
            } else {
                print("kmeans \(rows) × \(dim), k=\(k), \(r.iterations) iterations, \(threads) thread(s): median "
                    + "\(BenchTiming.fmt(BenchTiming.median(times))) ms, inertia \(r.inertia), repairs \(r.repairs)")
            }
        }
    }
}

/// Timing and formatting helpers for the benchmarks.
enum BenchTiming {
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let watch = Stopwatch()
        try body()
        return watch.elapsedMilliseconds
    }

    static func median(_ xs: [Double]) -> Double { Quantile.linear(xs, p: 0.5) }

    static func fmt(_ x: Double) -> String { String(format: "%.3f", x) }

    static func json(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Reads every float of the matrix once (threads split the rows): the memory-bandwidth floor.
    static func stream(_ m: DenseMatrix, threads: Int) -> Float {
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        sums.initialize(repeating: 0, count: threads)
        defer { sums.deallocate() }
        let box = UncheckedSendable(sums)
        Parallel.forEachSlice(count: threads, threads: threads) { range in
            for piece in range {
                let lo = m.rows * piece / threads, hi = m.rows * (piece + 1) / threads
                box.value[piece] = Kernels.sum(m.row(lo), count: (hi - lo) * m.stride)
            }
        }
        return (0..<threads).reduce(0) { $0 + sums[$1] }
    }

    /// A symmetric matrix with uniform(−1, 1) off-diagonal entries and n on the diagonal (SPD by Gershgorin).
    static func randomSPD(n: Int, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        var a = DenseMatrix(rows: n, cols: n)
        let p = a.mutableBaseAddress()
        let s = a.stride
        for i in 0..<n {
            for j in 0..<i {
                let v = 2 * rng.nextUnitFloat() - 1
                p[i * s + j] = v
                p[j * s + i] = v
            }
            p[i * s + i] = Float(n)
        }
        return a
    }
}
