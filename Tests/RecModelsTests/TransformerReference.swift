import Foundation
import RecCore
@testable import RecModels

/// The transformer's loss written again in Double with plain loops: an oracle for the forward pass and, by
/// central finite differences, for every gradient. Shares nothing with the Float32 code but the dropout
/// hash (so both see the same masks).
struct TransformerReference {
    let shape: TransformerShape
    let causal: Bool
    /// Each tensor unpadded, row-major, in `TransformerWeights` order.
    var w: [[Double]]

    init(_ network: TransformerNetwork) {
        shape = network.shape
        causal = network.causal
        w = network.weights.t.map { m in m.toArray().map(Double.init) }
    }

    func linear(_ x: [Double], rows: Int, inDim: Int, weight: [Double], bias: [Double], outDim: Int) -> [Double] {
        var y = [Double](repeating: 0, count: rows * outDim)
        for r in 0..<rows {
            for o in 0..<outDim {
                var s = bias[o]
                for i in 0..<inDim { s += x[r * inDim + i] * weight[o * inDim + i] }
                y[r * outDim + o] = s
            }
        }
        return y
    }

    func layerNorm(_ x: [Double], rows: Int, gain: [Double], bias: [Double]) -> [Double] {
        let d = shape.dim
        var y = x
        for r in 0..<rows {
            let row = x[(r * d)..<(r * d + d)]
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d)
            let inv = 1 / (variance + Double(TransformerLayers.layerNormEpsilon)).squareRoot()
            for c in 0..<d { y[r * d + c] = (x[r * d + c] - mean) * inv * gain[c] + bias[c] }
        }
        return y
    }

    func dropout(_ x: inout [Double], rows: Int, cols: Int, p: Float, seed: UInt64, site: UInt64) {
        guard p > 0 else { return }
        for r in 0..<rows {
            for c in 0..<cols {
                x[r * cols + c] = TransformerLayers.keeps(seed, site: site, row: r, col: c, p: p) ? x[r * cols + c] / Double(1 - p) : 0
            }
        }
    }

    func gelu(_ v: Double) -> Double {
        0.5 * v * (1 + tanh(0.797_884_560_802_865_4 * (v + 0.044_715 * v * v * v)))
    }

    /// The hidden state of every row after the final LayerNorm.
    func hidden(_ batch: SequenceBatch, dropout p: Float, seed: UInt64) -> [Double] {
        let d = shape.dim, rows = batch.rows, heads = shape.heads, dh = d / heads
        var x = [Double](repeating: 0, count: rows * d)
        for r in 0..<rows {
            for c in 0..<d {
                x[r * d + c] = w[TransformerWeights.embedding][Int(batch.tokens[r]) * d + c]
                    + w[TransformerWeights.position][Int(batch.positions[r]) * d + c]
            }
        }
        dropout(&x, rows: rows, cols: d, p: p, seed: seed, site: 0)
        for l in 0..<shape.layers {
            func t(_ part: Int) -> [Double] { w[TransformerWeights.index(l, part)] }
            let a = layerNorm(x, rows: rows, gain: t(TransformerWeights.ln1Gain), bias: t(TransformerWeights.ln1Bias))
            let qkv = linear(a, rows: rows, inDim: d, weight: t(TransformerWeights.qkv), bias: t(TransformerWeights.qkvBias), outDim: 3 * d)
            var o = [Double](repeating: 0, count: rows * d)
            for s in 0..<batch.sequences {
                let r0 = batch.starts[s], n = batch.starts[s + 1] - r0
                for h in 0..<heads {
                    for ti in 0..<n {
                        let limit = causal ? ti + 1 : n
                        var scores = [Double](repeating: 0, count: limit)
                        for u in 0..<limit {
                            var dot = 0.0
                            for j in 0..<dh { dot += qkv[(r0 + ti) * 3 * d + h * dh + j] * qkv[(r0 + u) * 3 * d + d + h * dh + j] }
                            scores[u] = dot / Double(dh).squareRoot()
                        }
                        let m = scores.max()!
                        let e = scores.map { exp($0 - m) }
                        let sum = e.reduce(0, +)
                        for u in 0..<limit {
                            for j in 0..<dh { o[(r0 + ti) * d + h * dh + j] += e[u] / sum * qkv[(r0 + u) * 3 * d + 2 * d + h * dh + j] }
                        }
                    }
                }
            }
            var y = linear(o, rows: rows, inDim: d, weight: t(TransformerWeights.out), bias: t(TransformerWeights.outBias), outDim: d)
            dropout(&y, rows: rows, cols: d, p: p, seed: seed, site: UInt64(1 + 2 * l))
            for k in x.indices { x[k] += y[k] }
            let b = layerNorm(x, rows: rows, gain: t(TransformerWeights.ln2Gain), bias: t(TransformerWeights.ln2Bias))
            let pre = linear(b, rows: rows, inDim: d, weight: t(TransformerWeights.ffnIn), bias: t(TransformerWeights.ffnInBias), outDim: shape.ffn)
            var y2 = linear(pre.map(gelu), rows: rows, inDim: shape.ffn, weight: t(TransformerWeights.ffnOut),
                            bias: t(TransformerWeights.ffnOutBias), outDim: d)
            dropout(&y2, rows: rows, cols: d, p: p, seed: seed, site: UInt64(2 + 2 * l))
            for k in x.indices { x[k] += y2[k] }
        }
        return layerNorm(x, rows: rows, gain: w[TransformerWeights.finalGain], bias: w[TransformerWeights.finalBias])
    }

    /// The mean cross-entropy of the batch's targets over every item (or over `candidates`).
    func loss(_ batch: SequenceBatch, dropout p: Float, seed: UInt64, candidates: [Int32]? = nil) -> Double {
        let d = shape.dim
        let h = hidden(batch, dropout: p, seed: seed)
        let classes = candidates ?? (0..<Int32(shape.items)).map { $0 }
        var total = 0.0, count = 0
        for r in 0..<batch.rows where batch.targets[r] >= 0 {
            let logits = classes.map { i in (0..<d).reduce(0.0) { $0 + h[r * d + $1] * w[TransformerWeights.embedding][Int(i) * d + $1] } }
            let m = logits.max()!
            let lse = m + log(logits.reduce(0) { $0 + exp($1 - m) })
            total += lse - logits[classes.firstIndex(of: batch.targets[r])!]
            count += 1
        }
        return total / Double(count)
    }
}
