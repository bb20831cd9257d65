import RecCore

/// The sizes of a transformer over item sequences.
struct TransformerShape: Sendable, Equatable {
    /// Items scored by the output layer (embedding rows `0..<items`).
    var items: Int
    /// Embedding rows: `items`, plus one `[mask]` token for the masked (BERT4Rec) variant.
    var tokens: Int
    var dim: Int
    var heads: Int
    var layers: Int
    /// Width of the feed-forward layer.
    var ffn: Int
    /// Positions: the last `maxLen` items of a sequence are read.
    var maxLen: Int

    var headDim: Int { dim / heads }
    /// The `[mask]` token's embedding row.
    var maskToken: Int32 { Int32(items) }
    var tensorCount: Int { TransformerWeights.blockBase + TransformerWeights.perBlock * layers }
}

/// Every parameter of the transformer, as padded row-major matrices (biases and LayerNorm gains are 1 × n).
///
/// Order: the item embedding (shared with the output layer), the learned positions, the final LayerNorm's
/// gain and bias, then per block: LayerNorm 1, the query/key/value projection (3d × d) and its bias, the
/// attention output (d × d) and bias, LayerNorm 2, the feed-forward in (ffn × d) and out (d × ffn) with their
/// biases. A gradient has the same layout.
struct TransformerWeights: Sendable {
    var t: [DenseMatrix]

    static let embedding = 0, position = 1, finalGain = 2, finalBias = 3
    static let blockBase = 4, perBlock = 12
    static let ln1Gain = 0, ln1Bias = 1, qkv = 2, qkvBias = 3, out = 4, outBias = 5
    static let ln2Gain = 6, ln2Bias = 7, ffnIn = 8, ffnInBias = 9, ffnOut = 10, ffnOutBias = 11

    /// The index of tensor `part` of block `layer`.
    @inline(__always) static func index(_ layer: Int, _ part: Int) -> Int { blockBase + perBlock * layer + part }

    /// Zeros in the shapes of `shape` (a gradient, or optimiser state).
    init(zeros shape: TransformerShape) {
        t = Self.shapes(shape).map { DenseMatrix(rows: $0.rows, cols: $0.cols) }
    }

    /// Seeded initial weights: embeddings, positions and projections ~ N(0, 0.02²), biases 0, LayerNorm
    /// gains 1 (BERT's scheme, which `bench/sequence_models.py` mirrors).
    init(initial shape: TransformerShape, seed: UInt64) {
        self.init(zeros: shape)
        var rng = SeededGenerator(seed: seed)
        for (i, s) in Self.shapes(shape).enumerated() {
            switch s.kind {
            case .gain: for r in 0..<s.rows { let p = t[i].mutableRow(r); for c in 0..<s.cols { p[c] = 1 } }
            case .bias: break
            case .weight:
                for r in 0..<s.rows {
                    let p = t[i].mutableRow(r)
                    for c in 0..<s.cols { p[c] = 0.02 * Self.normal(&rng) }
                }
            }
        }
    }

    init(tensors: [DenseMatrix]) { t = tensors }

    enum Kind { case weight, bias, gain }

    /// Every tensor's name, shape and kind, in order.
    static func shapes(_ s: TransformerShape) -> [(name: String, rows: Int, cols: Int, kind: Kind)] {
        var out: [(name: String, rows: Int, cols: Int, kind: Kind)] = [
            ("embedding", s.tokens, s.dim, .weight), ("position", s.maxLen, s.dim, .weight),
            ("final.gain", 1, s.dim, .gain), ("final.bias", 1, s.dim, .bias),
        ]
        for l in 0..<s.layers {
            let p = "block\(l)."
            out += [(p + "ln1.gain", 1, s.dim, .gain), (p + "ln1.bias", 1, s.dim, .bias),
                    (p + "qkv", 3 * s.dim, s.dim, .weight), (p + "qkv.bias", 1, 3 * s.dim, .bias),
                    (p + "out", s.dim, s.dim, .weight), (p + "out.bias", 1, s.dim, .bias),
                    (p + "ln2.gain", 1, s.dim, .gain), (p + "ln2.bias", 1, s.dim, .bias),
                    (p + "ffn.in", s.ffn, s.dim, .weight), (p + "ffn.in.bias", 1, s.ffn, .bias),
                    (p + "ffn.out", s.dim, s.ffn, .weight), (p + "ffn.out.bias", 1, s.dim, .bias)]
        }
        return out
    }

    /// A standard normal draw (Box–Muller on two uniforms).
    static func normal(_ rng: inout SeededGenerator) -> Float {
        let u1 = max(Double(rng.nextUnitFloat()), 1e-12), u2 = Double(rng.nextUnitFloat())
        return Float((-2 * _naturalLog(u1)).squareRoot() * _cosine(2 * Double.pi * u2))
    }

    /// Sets every value to zero (a gradient before a step).
    mutating func zero() {
        for i in t.indices {
            let count = t[i].rows * t[i].stride
            t[i].mutableBaseAddress().update(repeating: 0, count: count)
        }
    }

    /// The number of trained values (unpadded).
    var count: Int { t.reduce(0) { $0 + $1.rows * $1.cols } }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _cosine(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _naturalLog(_ x: Double) -> Double { Glibc.log(x) }
#else
import Darwin
@inline(__always) func _cosine(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) func _naturalLog(_ x: Double) -> Double { Darwin.log(x) }
#endif
