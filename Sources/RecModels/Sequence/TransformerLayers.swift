import RecCore

/// Row-wise layers of the transformer, forward and backward, on padded row-major matrices. Each works on
/// whole rows independently, so rows may be split across threads with the same result.
enum TransformerLayers {
    static let layerNormEpsilon: Float = 1e-5

    // MARK: LayerNorm

    /// y = (x − mean) / √(var + ε) · gain + bias per row (Ba et al. 2016); keeps x̂ and 1/σ for the backward.
    static func layerNorm(_ x: DenseMatrix, gain: DenseMatrix, bias: DenseMatrix, into y: inout DenseMatrix,
                          normalised xhat: inout DenseMatrix, rstd: inout [Float], threads: Int) {
        let d = x.cols, s = x.stride
        let yp = UncheckedSendable(y.mutableBaseAddress()), hp = UncheckedSendable(xhat.mutableBaseAddress())
        rstd.withUnsafeMutableBufferPointer { buffer in
            let rp = UncheckedSendable(buffer.baseAddress!)
            withExtendedLifetime((x, gain, bias)) {
                Parallel.forEachSlice(count: x.rows, threads: threads) { rows in
                    for r in rows {
                        let xr = x.row(r)
                        let mean = Kernels.sum(xr, count: d) / Float(d)
                        var v: Float = 0
                        for c in 0..<d { let e = xr[c] - mean; v += e * e }
                        let inv = 1 / (v / Float(d) + layerNormEpsilon).squareRoot()
                        rp.value[r] = inv
                        let hr = hp.value + r &* s, yr = yp.value + r &* s
                        for c in 0..<d {
                            let h = (xr[c] - mean) * inv
                            hr[c] = h
                            yr[c] = h * gain.baseAddress[c] + bias.baseAddress[c]
                        }
                    }
                }
            }
        }
    }

    /// dx from dy through a LayerNorm: dx = (1/σ)(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·gain; adds
    /// Σ dy·x̂ to `gainGrad` and Σ dy to `biasGrad` (summed over rows in row order, one thread).
    static func layerNormBackward(_ dy: DenseMatrix, normalised xhat: DenseMatrix, rstd: [Float], gain: DenseMatrix,
                                  into dx: inout DenseMatrix, accumulate: Bool, gainGrad gg: UnsafeMutablePointer<Float>,
                                  biasGrad bg: UnsafeMutablePointer<Float>, threads: Int) {
        let d = dy.cols, s = dy.stride
        for r in 0..<dy.rows {
            let g = dy.row(r), h = xhat.row(r)
            for c in 0..<d {
                gg[c] += g[c] * h[c]
                bg[c] += g[c]
            }
        }
        let dp = UncheckedSendable(dx.mutableBaseAddress())
        withExtendedLifetime((dy, xhat, rstd, gain)) {
            Parallel.forEachSlice(count: dy.rows, threads: threads) { rows in
                var ghat = [Float](repeating: 0, count: d)
                for r in rows {
                    let g = dy.row(r), h = xhat.row(r)
                    var m1: Float = 0, m2: Float = 0
                    for c in 0..<d {
                        let v = g[c] * gain.baseAddress[c]
                        ghat[c] = v
                        m1 += v
                        m2 += v * h[c]
                    }
                    m1 /= Float(d)
                    m2 /= Float(d)
                    let inv = rstd[r], out = dp.value + r &* s
                    for c in 0..<d {
                        let v = inv * (ghat[c] - m1 - h[c] * m2)
                        out[c] = accumulate ? out[c] + v : v
                    }
                }
            }
        }
    }

    // MARK: GELU

    static let geluC: Float = 0.797_884_56  // √(2/π)

    /// GELU with the tanh approximation (Hendrycks & Gimpel 2016), in place from `x` into `y`.
    static func gelu(_ x: DenseMatrix, into y: inout DenseMatrix, threads: Int) {
        let count = x.rows * x.stride
        let yp = UncheckedSendable(y.mutableBaseAddress())
        withExtendedLifetime(x) {
            Parallel.forEachSlice(count: count / 16, threads: threads) { chunks in
                for k in chunks {
                    let v = Kernels.load16(x.baseAddress + k &* 16)
                    let t = Kernels.tanh16(geluC * (v + 0.044_715 * v * v * v))
                    Kernels.store16(0.5 * v * (1 + t), yp.value + k &* 16)
                }
            }
        }
    }

    /// dx = dy · GELU′(x), in place into `dy`.
    static func geluBackward(_ x: DenseMatrix, gradient dy: inout DenseMatrix, threads: Int) {
        let count = x.rows * x.stride
        let gp = UncheckedSendable(dy.mutableBaseAddress())
        withExtendedLifetime(x) {
            Parallel.forEachSlice(count: count / 16, threads: threads) { chunks in
                for k in chunks {
                    let v = Kernels.load16(x.baseAddress + k &* 16)
                    let v2 = v * v
                    let t = Kernels.tanh16(geluC * (v + 0.044_715 * v2 * v))
                    let inner = geluC * (1 + 3 * 0.044_715 * v2)
                    let derivative = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * inner
                    let p = gp.value + k &* 16
                    Kernels.store16(Kernels.load16(UnsafePointer(p)) * derivative, p)
                }
            }
        }
    }

    // MARK: biases and column sums

    /// Adds the 1 × n `bias` to every row of `y`.
    static func addBias(_ bias: DenseMatrix, to y: inout DenseMatrix) {
        let s = y.stride, base = y.mutableBaseAddress()
        for r in 0..<y.rows { Kernels.axpy(1, bias.baseAddress, base + r &* s, count: s) }
    }

    /// Adds the sum of `y`'s rows (in row order) to the 1 × n `into`.
    static func addColumnSums(_ y: DenseMatrix, into sums: inout DenseMatrix) {
        let out = sums.mutableBaseAddress(), s = y.stride
        for r in 0..<y.rows { Kernels.axpy(1, y.row(r), out, count: s) }
    }

    // MARK: dropout

    /// Whether element (row, col) of dropout `site` survives: a hash of (seed, site, row, col) against p, so
    /// the mask is the same in the backward pass and for any thread count.
    @inline(__always)
    static func keeps(_ seed: UInt64, site: UInt64, row: Int, col: Int, p: Float) -> Bool {
        var z = seed &+ site &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(row) &* 0xBF58_476D_1CE4_E5B9 &+ UInt64(col) &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-24 >= p
    }

    /// Inverted dropout in place: each element kept with probability 1 − p and scaled by 1/(1 − p).
    /// The backward pass applies the same call to the gradient.
    static func dropout(_ y: inout DenseMatrix, p: Float, seed: UInt64, site: UInt64, threads: Int) {
        guard p > 0 else { return }
        let scale = 1 / (1 - p), cols = y.cols, s = y.stride
        let base = UncheckedSendable(y.mutableBaseAddress())
        Parallel.forEachSlice(count: y.rows, threads: threads) { rows in
            for r in rows {
                let row = base.value + r &* s
                for c in 0..<cols { row[c] = keeps(seed, site: site, row: r, col: c, p: p) ? row[c] * scale : 0 }
            }
        }
    }

    // MARK: softmax cross-entropy

    /// For each of `rows` rows of logits (`stride` apart) with a target, the loss −log softmax(z)[target]
    /// (returned per row) and, in place, the gradient (softmax(z) − onehot(target)) · `scale`. Columns past
    /// `n` are left alone.
    static func softmaxCrossEntropy(_ z: UnsafeMutablePointer<Float>, rows count: Int, stride s: Int, columns n: Int,
                                    targets: UnsafePointer<Int32>, scale: Float, losses: UnsafeMutablePointer<Float>, threads: Int) {
        let base = UncheckedSendable(z), lp = UncheckedSendable(losses)
        Parallel.forEachSlice(count: count, threads: threads) { rows in
            for r in rows {
                let row = base.value + r &* s
                var max16 = SIMD16<Float>(repeating: -.infinity), c = 0
                while c &+ 16 <= n {
                    let v = Kernels.load16(UnsafePointer(row + c))
                    max16 = max16.replacing(with: v, where: v .> max16)
                    c &+= 16
                }
                var m = Kernels.reduceMax(max16)
                while c < n { m = Swift.max(m, row[c]); c &+= 1 }
                let sum = Kernels.exponentiate(row, count: n, subtracting: m)
                let target = Int(targets[r])
                let pTarget = row[target] / sum
                lp.value[r] = -_logf(Swift.max(pTarget, .leastNormalMagnitude))
                Kernels.scale(row, by: scale / sum, count: n)
                row[target] -= scale
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _logf(_ x: Float) -> Float { Glibc.logf(x) }
#else
import Darwin
@inline(__always) func _logf(_ x: Float) -> Float { Darwin.logf(x) }
#endif
