import Foundation
import RecCore
import Testing
@testable import RecModels

/// The transformer's forward pass against a Double-precision reference, and every layer's gradient against
/// central finite differences of that reference.
@Suite struct TransformerGradientTests {
    static let shape = TransformerShape(items: 11, tokens: 12, dim: 8, heads: 2, layers: 2, ffn: 12, maxLen: 6)

    /// Three sequences of lengths 5, 2 and 6 (SASRec: next-item targets; BERT4Rec: a few masked positions).
    static func batch(masked: Bool) -> SequenceBatch {
        var b = SequenceBatch()
        let sequences: [[Int32]] = [[3, 7, 1, 9, 2], [4, 10], [0, 5, 5, 8, 6, 1]]
        for s in sequences {
            if masked {
                var tokens = s, targets = [Int32](repeating: -1, count: s.count)
                for t in s.indices where t % 2 == 1 || t == s.count - 1 { tokens[t] = 11; targets[t] = s[t] }
                b.append(tokens: tokens, targets: targets, maxLen: shape.maxLen)
            } else {
                b.append(tokens: Array(s.dropLast()), targets: Array(s.dropFirst()), maxLen: shape.maxLen)
            }
        }
        return b
    }

    static func network(causal: Bool) -> TransformerNetwork {
        // Initial weights are too small to exercise the layers: scale every weight up, and give the
        // LayerNorms and biases varied values.
        var weights = TransformerWeights(initial: shape, seed: 5)
        var rng = SeededGenerator(seed: 9)
        for i in weights.t.indices {
            for r in 0..<weights.t[i].rows {
                let p = weights.t[i].mutableRow(r)
                for c in 0..<weights.t[i].cols { p[c] = p[c] * 15 + (rng.nextUnitFloat() - 0.5) * 0.3 }
            }
        }
        return TransformerNetwork(shape: shape, causal: causal, weights: weights)
    }

    /// ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖) per tensor, the numeric gradient by central
    /// differences (step 1e-5) of the Double reference at the same weights.
    func relativeErrors(causal: Bool, dropout: Float, candidates: [Int32]? = nil) -> [(name: String, error: Double)] {
        let network = Self.network(causal: causal)
        let batch = Self.batch(masked: !causal)
        let seed: UInt64 = 77
        var gradient = TransformerWeights(zeros: Self.shape)
        let cache = network.forward(batch, dropout: dropout, seed: seed, threads: 1)
        _ = network.lossAndGradient(batch, cache, dropout: dropout, seed: seed, candidates: candidates, into: &gradient, threads: 1)
        var reference = TransformerReference(network)
        let names = TransformerWeights.shapes(Self.shape).map(\.name)
        var out: [(String, Double)] = []
        for tensor in reference.w.indices {
            let cols = network.weights.t[tensor].cols
            var diff = 0.0, norm = 0.0
            // Every entry of small tensors, a spread of entries of the large ones.
            let entries = reference.w[tensor].count
            let step = max(1, entries / 40)
            for k in stride(from: 0, to: entries, by: step) {
                let saved = reference.w[tensor][k]
                let h = 1e-5
                reference.w[tensor][k] = saved + h
                let up = reference.loss(batch, dropout: dropout, seed: seed, candidates: candidates)
                reference.w[tensor][k] = saved - h
                let down = reference.loss(batch, dropout: dropout, seed: seed, candidates: candidates)
                reference.w[tensor][k] = saved
                let numeric = (up - down) / (2 * h)
                let analytic = Double(gradient.t[tensor][k / cols, k % cols])
                diff += (analytic - numeric) * (analytic - numeric)
                norm += (abs(analytic) + abs(numeric)) * (abs(analytic) + abs(numeric))
            }
            out.append((names[tensor], norm == 0 ? 0 : (diff / norm).squareRoot()))
        }
        return out
    }

    @Test func theForwardPassMatchesTheReference() {
        for causal in [true, false] {
            let network = Self.network(causal: causal)
            let batch = Self.batch(masked: !causal)
            let cache = network.forward(batch, dropout: 0.25, seed: 3, threads: 1)
            let expected = TransformerReference(network).hidden(batch, dropout: 0.25, seed: 3)
            let d = Self.shape.dim
            // The test network's weights are scaled up 15× (so every layer is exercised), which makes its
            // attention sharp and amplifies float rounding: 5e-4 here; the attention kernel alone is held to
            // 2e-6 by AttentionKernelTests.
            for r in 0..<batch.rows {
                for c in 0..<d { #expect(abs(Double(cache.output[r, c]) - expected[r * d + c]) < 5e-4, "row \(r) col \(c)") }
            }
        }
    }

    @Test(arguments: [true, false])
    func everyLayersGradientMatchesFiniteDifferences(causal: Bool) {
        for (name, error) in relativeErrors(causal: causal, dropout: 0) {
            #expect(error < 1e-3, "\(causal ? "SASRec" : "BERT4Rec") \(name): relative error \(error)")
        }
    }

    @Test func gradientsHoldWithDropoutAndASampledSoftmax() {
        for (name, error) in relativeErrors(causal: true, dropout: 0.3, candidates: [1, 2, 5, 6, 7, 8, 9, 10]) {
            #expect(error < 1e-3, "\(name): relative error \(error)")
        }
    }

    @Test func theLossMatchesTheReference() {
        let network = Self.network(causal: true)
        let batch = Self.batch(masked: false)
        var g = TransformerWeights(zeros: Self.shape)
        let cache = network.forward(batch, dropout: 0, seed: 1, threads: 1)
        let loss = network.lossAndGradient(batch, cache, dropout: 0, seed: 1, into: &g, threads: 1)
        #expect(abs(Double(loss) - TransformerReference(network).loss(batch, dropout: 0, seed: 1)) < 1e-4)
    }

    @Test func oneAndTwoThreadsGiveTheSameGradientBitForBit() {
        let network = Self.network(causal: false)
        let batch = Self.batch(masked: true)
        var one = TransformerWeights(zeros: Self.shape), two = TransformerWeights(zeros: Self.shape)
        _ = network.lossAndGradient(batch, network.forward(batch, dropout: 0.2, seed: 4, threads: 1), dropout: 0.2, seed: 4,
                                    into: &one, threads: 1)
        _ = network.lossAndGradient(batch, network.forward(batch, dropout: 0.2, seed: 4, threads: 2), dropout: 0.2, seed: 4,
                                    into: &two, threads: 2)
        for i in one.t.indices { #expect(one.t[i] == two.t[i], "tensor \(i)") }
    }

    @Test(arguments: [true, false])
    func servingReadsTheSameHiddenStatesAsTraining(causal: Bool) {
        let network = Self.network(causal: causal)
        let batch = Self.batch(masked: !causal)
        let cache = network.forward(batch, dropout: 0, seed: 0, threads: 1)
        let served = network.lastHidden(batch, threads: 2)
        #expect(served.rows == batch.sequences)
        for s in 0..<batch.sequences {
            let trained = cache.output.rowArray(batch.starts[s + 1] - 1), got = served.rowArray(s)
            for c in got.indices { #expect(abs(got[c] - trained[c]) <= 1e-5 * max(1, abs(trained[c])), "sequence \(s) column \(c)") }
        }
    }
}

@Suite struct AttentionKernelTests {
    /// Attention alone against Double sums, for packed sequences of several lengths (up to 37, past a
    /// 16-column panel) and a head width that is not a multiple of 16.
    @Test(arguments: [true, false])
    func attentionMatchesDoubleSums(causal: Bool) {
        let heads = 3, dh = 5, d = heads * dh
        let lengths = [1, 7, 37, 16, 2]
        var starts = [0]
        for n in lengths { starts.append(starts.last! + n) }
        var rng = SeededGenerator(seed: 21)
        let qkv = DenseMatrix(rows: starts.last!, cols: 3 * d) { _, _ in rng.nextUnitFloat() * 2 - 1 }
        let offsets = TransformerAttention.offsets(starts, heads: heads)
        var probs = [Float](repeating: 0, count: offsets.last!)
        var out = DenseMatrix(rows: qkv.rows, cols: d)
        TransformerAttention.forward(qkv: qkv, starts: starts, heads: heads, causal: causal, into: &out, probs: &probs,
                                     offsets: offsets, threads: 2)
        var worst = 0.0
        for s in lengths.indices {
            let r0 = starts[s], n = lengths[s]
            for h in 0..<heads {
                for t in 0..<n {
                    let limit = causal ? t + 1 : n
                    let logits = (0..<limit).map { u in
                        (0..<dh).reduce(0.0) { $0 + Double(qkv[r0 + t, h * dh + $1]) * Double(qkv[r0 + u, d + h * dh + $1]) } / Double(dh).squareRoot()
                    }
                    let m = logits.max()!
                    let e = logits.map { Foundation.exp($0 - m) }
                    let z = e.reduce(0, +)
                    for c in 0..<dh {
                        let exact = (0..<limit).reduce(0.0) { $0 + e[$1] / z * Double(qkv[r0 + $1, 2 * d + h * dh + c]) }
                        worst = max(worst, abs(Double(out[r0 + t, h * dh + c]) - exact))
                    }
                    for u in 0..<n {
                        let p = Double(probs[offsets[s] + h * n * n + t * n + u])
                        worst = max(worst, abs(p - (u < limit ? e[u] / z : 0)))
                    }
                }
            }
        }
        #expect(worst < 2e-6, "largest difference \(worst)")
    }
}
