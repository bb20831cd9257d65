import ArgumentParser
import Foundation
import RecCore

extension RecScope.Bench {
    /// `recscope bench gemm`: RecCore's GEMM on the three products of a sequence model's output layer, against
    /// this core's own FMA peak, and the least time an epoch of that shape can take on one core.
    struct GemmBenchmark: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gemm",
            abstract: "Times RecCore's GEMM on sasrec's output-layer products against the core's measured FMA peak.",
            discussion: """
            The defaults are sasrec on ml-100k at its defaults: 39,157 training positions (each user's last 50
            training items), 1,682 items, dim 64, 2 blocks with a 256-wide feed-forward. The peak is a
            register-only loop of independent FMA chains on the vector width the build uses (AVX2: 8 floats).
            The epoch floor counts only the dense products (output layer, projections, feed-forward; forward
            and backward), so the true epoch costs more: it is a lower bound on one core's time.
            """)

        @Option(help: "Positions per epoch (rows of the hidden states).") var positions: Int = 39_157
        @Option(help: "Items (rows of the output embedding).") var items: Int = 1_682
        @Option(help: "Model width.") var dim: Int = 64
        @Option(help: "Transformer blocks.") var layers: Int = 2
        @Option(help: "Feed-forward width.") var ffn: Int = 256
        @Option(help: "Timed repetitions (median reported).") var runs: Int = 5
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            guard positions > 0, items > 0, dim > 0, layers >= 0, ffn > 0, runs > 0 else {
                throw ValidationError("positions, items, dim, ffn and runs must be positive, layers ≥ 0")
            }
        }

        func run() async throws {
            var rng = SeededGenerator(seed: 7)
            let hidden = DenseMatrix.random(rows: positions, cols: dim, using: &rng)
            let embedding = DenseMatrix.random(rows: items, cols: dim, using: &rng)
            var logits = DenseMatrix(rows: positions, cols: items)
            var dHidden = DenseMatrix(rows: positions, cols: dim)
            var dEmbedding = DenseMatrix(rows: items, cols: dim)
            let product = 2 * Double(positions) * Double(items) * Double(dim)
            var times: [String: [Double]] = [:]
            let peak = BenchTiming.median((0...runs).map { _ in Self.fmaPeak() }.dropFirst().map { $0 })
            Gemm.multiplyTransposed(hidden, embedding, into: &logits)  // warm-up
            let logitsT = logits.transposed()
            for _ in 0..<runs {
                times["logits = H·Eᵀ", default: []].append(BenchTiming.milliseconds { Gemm.multiplyTransposed(hidden, embedding, into: &logits) })
                times["dH = G·E", default: []].append(BenchTiming.milliseconds { Gemm.multiply(logits, embedding, into: &dHidden) })
                times["dE = Gᵀ·H", default: []].append(BenchTiming.milliseconds { Gemm.multiply(logitsT, hidden, into: &dEmbedding) })
            }
            let names = ["logits = H·Eᵀ", "dH = G·E", "dE = Gᵀ·H"]
            let rates = names.map { product / (BenchTiming.median(times[$0]!) / 1000) / 1e9 }
            let output = 3 * product
            let blocks = Double(layers) * 6 * Double(positions) * (4 * Double(dim * dim) + 2 * Double(dim * ffn))
            let epoch = (output + blocks) / 1e9
            let gemmRate = 3 / rates.map { 1 / $0 }.reduce(0, +)  // the three products' combined rate
            if json {
                print(BenchTiming.json([("peak_gflops", BenchTiming.fmt(peak))]
                    + zip(names, rates).map { ($0.0, BenchTiming.fmt($0.1)) }
                    + [("epoch_dense_gflop", BenchTiming.fmt(epoch)), ("floor_at_peak_s", BenchTiming.fmt(epoch / peak)),
                       ("floor_at_gemm_rate_s", BenchTiming.fmt(epoch / gemmRate))]))
                return
            }
            print("one core, medians of \(runs): \(positions) positions × \(items) items × dim \(dim)")
            print("  FMA peak (register-only loop)   \(BenchTiming.fmt(peak)) GFLOP/s")
            for (name, rate) in zip(names, rates) {
                print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(BenchTiming.fmt(BenchTiming.median(times[name]!))) ms  "
                      + "\(BenchTiming.fmt(rate)) GFLOP/s  \(String(format: "%.0f", 100 * rate / peak))% of peak")
            }
            print("  epoch's dense products        \(BenchTiming.fmt(epoch)) GFLOP (output \(BenchTiming.fmt(output / 1e9)), blocks \(BenchTiming.fmt(blocks / 1e9)))")
            print("  epoch floor                   \(BenchTiming.fmt(epoch / peak)) s at the FMA peak, \(BenchTiming.fmt(epoch / gemmRate)) s at the GEMM's rate")
        }

        /// GFLOP/s of six independent FMA chains on 16-float vectors (two 8-float registers each: twelve chains
        /// in flight, enough to cover the FMA latency on two pipes), kept in registers, written as the GEMM's
        /// micro-kernel writes its accumulators.
        static func fmaPeak() -> Double {
            let n = 20_000_000
            var sum: Float = 0
            let ms = BenchTiming.milliseconds { sum = chains(n) }
            if sum == -1 { print("") }  // keeps the chains live
            return Double(n) * 6 * 16 * 2 / (ms / 1000) / 1e9
        }

        /// The chains, as locals of their own function (captured by a closure they would live in memory).
        @inline(never)
        static func chains(_ n: Int) -> Float {
            let x = SIMD16<Float>(repeating: 0.999_999), y = SIMD16<Float>(repeating: 1e-7)
            var a0 = SIMD16<Float>(repeating: 1), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5
            for _ in 0..<n {
                a0.addProduct(x, y); a1.addProduct(x, y); a2.addProduct(x, y)
                a3.addProduct(x, y); a4.addProduct(x, y); a5.addProduct(x, y)
            }
            let sum = (a0 + a1) + (a2 + a3) + (a4 + a5)
            return sum[0]
        }
    }
}
