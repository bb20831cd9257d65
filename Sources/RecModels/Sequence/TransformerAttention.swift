import RecCore

/// Multi-head scaled dot-product attention (Vaswani et al. 2017) within each sequence of a packed batch.
///
/// Rows `starts[s]..<starts[s + 1]` of the batch are sequence s, oldest first. Row t of a sequence attends
/// to its rows u ≤ t (causal, SASRec) or to all of them (bidirectional, BERT4Rec); nothing crosses sequences.
/// `qkv` holds each row's query, key and value side by side (3d columns), heads as consecutive slices of
/// `d / heads`. Sequences run in parallel and write only their own rows, so any thread count gives the same
/// result.
enum TransformerAttention {
    /// Where each sequence's attention weights start in the flat `probs` buffer (heads × T × T each).
    static func offsets(_ starts: [Int], heads: Int) -> [Int] {
        var out = [0]
        for s in 0..<(starts.count - 1) {
            let t = starts[s + 1] - starts[s]
            out.append(out[s] + heads * t * t)
        }
        return out
    }

    /// `o` (rows × d) = softmax(q·kᵀ/√dₕ) v per head; keeps the weights in `probs`.
    static func forward(qkv: DenseMatrix, starts: [Int], heads: Int, causal: Bool, into o: inout DenseMatrix,
                        probs: inout [Float], offsets: [Int], threads: Int) {
        let d = o.cols, dh = d / heads, ls = qkv.stride, os = o.stride
        let scale = 1 / Float(dh).squareRoot()
        let op = UncheckedSendable(o.mutableBaseAddress())
        probs.withUnsafeMutableBufferPointer { buffer in
            let pp = UncheckedSendable(buffer.baseAddress!)
            withExtendedLifetime(qkv) {
                Parallel.forEachSlice(count: starts.count - 1, threads: threads) { sequences in
                    for s in sequences {
                        let r0 = starts[s], n = starts[s + 1] - r0
                        for h in 0..<heads {
                            let weights = pp.value + (offsets[s] &+ h &* n &* n)
                            for t in 0..<n {
                                let q = qkv.baseAddress + ((r0 &+ t) &* ls &+ h &* dh)
                                let row = weights + (t &* n)
                                let limit = causal ? t &+ 1 : n
                                var m = -Float.infinity
                                for u in 0..<limit {
                                    let k = qkv.baseAddress + ((r0 &+ u) &* ls &+ d &+ h &* dh)
                                    let v = Kernels.dot(q, k, count: dh) * scale
                                    row[u] = v
                                    if v > m { m = v }
                                }
                                let inv = 1 / Kernels.exponentiate(row, count: limit, subtracting: m)
                                Kernels.scale(row, by: inv, count: limit)
                                for u in limit..<n { row[u] = 0 }
                                let out = op.value + ((r0 &+ t) &* os &+ h &* dh)
                                out.update(repeating: 0, count: dh)
                                for u in 0..<limit {
                                    Kernels.axpy(row[u], qkv.baseAddress + ((r0 &+ u) &* ls &+ 2 &* d &+ h &* dh), out, count: dh)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dq, dk, dv (into `dqkv`, overwritten) from do, given the forward's weights.
    static func backward(qkv: DenseMatrix, probs: [Float], offsets: [Int], starts: [Int], heads: Int, causal: Bool,
                         gradient dO: DenseMatrix, into dqkv: inout DenseMatrix, threads: Int) {
        let d = dO.cols, dh = d / heads, ls = qkv.stride, gs = dO.stride
        let scale = 1 / Float(dh).squareRoot()
        let count = dqkv.rows * dqkv.stride
        let gp = UncheckedSendable(dqkv.mutableBaseAddress())
        gp.value.update(repeating: 0, count: count)
        probs.withUnsafeBufferPointer { buffer in
            let pp = UncheckedSendable(buffer.baseAddress!)
            withExtendedLifetime((qkv, dO)) {
                Parallel.forEachSlice(count: starts.count - 1, threads: threads) { sequences in
                    var dp = [Float](repeating: 0, count: 0)
                    for s in sequences {
                        let r0 = starts[s], n = starts[s + 1] - r0
                        if dp.count < n { dp = [Float](repeating: 0, count: n) }
                        for h in 0..<heads {
                            let weights = pp.value + (offsets[s] &+ h &* n &* n)
                            for t in 0..<n {
                                let row = weights + (t &* n)
                                let limit = causal ? t &+ 1 : n
                                let g = dO.baseAddress + ((r0 &+ t) &* gs &+ h &* dh)
                                var weighted: Float = 0
                                for u in 0..<limit {
                                    let v = qkv.baseAddress + ((r0 &+ u) &* ls &+ 2 &* d &+ h &* dh)
                                    let x = Kernels.dot(g, v, count: dh)
                                    dp[u] = x
                                    weighted += row[u] * x
                                    Kernels.axpy(row[u], g, gp.value + ((r0 &+ u) &* ls &+ 2 &* d &+ h &* dh), count: dh)
                                }
                                let q = qkv.baseAddress + ((r0 &+ t) &* ls &+ h &* dh)
                                let dq = gp.value + ((r0 &+ t) &* ls &+ h &* dh)
                                for u in 0..<limit {
                                    let ds = row[u] * (dp[u] - weighted) * scale
                                    let k = qkv.baseAddress + ((r0 &+ u) &* ls &+ d &+ h &* dh)
                                    Kernels.axpy(ds, k, dq, count: dh)
                                    Kernels.axpy(ds, q, gp.value + ((r0 &+ u) &* ls &+ d &+ h &* dh), count: dh)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
