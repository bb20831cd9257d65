import RecCore

/// The keys and values a causal network computed for the rows of one sequence, per block: further tokens
/// attend to them without recomputing the rows (a key/value cache, as autoregressive decoders keep).
struct DecodingCache: Sendable {
    /// Per block, one row per cached position: the key (first `d` values) and value (next `d`) side by side.
    var rows: [[Float]]
    /// Cached positions.
    var count: Int

    init(layers: Int) {
        rows = [[Float]](repeating: [], count: layers)
        count = 0
    }
}

extension TransformerNetwork {
    /// Runs a causal network over one sequence (no dropout) whose first token reads position
    /// `firstPosition`, keeping every block's keys and values: the cache `extend` continues from, and the
    /// hidden state at the last row.
    func prefill(_ tokens: [Int32], firstPosition: Int) -> (cache: DecodingCache, hidden: [Float]) {
        precondition(causal && !tokens.isEmpty && firstPosition + tokens.count <= shape.maxLen)
        let d = shape.dim, rows = tokens.count
        var x = embed(tokens, position: { firstPosition + $0 })
        let starts = [0, rows]
        let offsets = TransformerAttention.offsets(starts, heads: shape.heads)
        var probs = [Float](repeating: 0, count: offsets.last!)
        var qkv = DenseMatrix(rows: rows, cols: 3 * d), attended = DenseMatrix(rows: rows, cols: d)
        var cache = DecodingCache(layers: shape.layers)
        cache.count = rows
        for l in 0..<shape.layers {
            projectQKV(l, x, into: &qkv, threads: 1)
            var kv = [Float](repeating: 0, count: rows * 2 * d)
            for r in 0..<rows {
                kv.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: r * 2 * d).update(from: qkv.row(r) + d, count: 2 * d) }
            }
            cache.rows[l] = kv
            TransformerAttention.forward(qkv: qkv, starts: starts, heads: shape.heads, causal: true,
                                         into: &attended, probs: &probs, offsets: offsets, threads: 1)
            block(l, x: &x, attended: attended, threads: 1)
        }
        return (cache, finalNorm(Self.gather(x, rows: [rows - 1])).rowArray(0))
    }

    /// One more token for each of several continuations of a cached sequence: continuation b has read the
    /// shared `prefix` and then its own `extensions[b]`, and now reads `tokens[b]` at `position`. Appends each
    /// token's keys and values to its extension and returns the new rows' hidden states (one per token).
    ///
    /// The same arithmetic as `forward` at that row (attention over every earlier row and itself), computed
    /// for the new rows only.
    func extend(_ prefix: DecodingCache, _ extensions: inout [DecodingCache], tokens: [Int32], position: Int) -> DenseMatrix {
        precondition(causal && tokens.count == extensions.count && position < shape.maxLen)
        let d = shape.dim, rows = tokens.count, heads = shape.heads, dh = d / heads
        let scale = 1 / Float(dh).squareRoot()
        var x = embed(tokens, position: { _ in position })
        var qkv = DenseMatrix(rows: rows, cols: 3 * d), attended = DenseMatrix(rows: rows, cols: d)
        var weightsRow = [Float](repeating: 0, count: prefix.count + (extensions.map(\.count).max() ?? 0) + 1)
        for l in 0..<shape.layers {
            projectQKV(l, x, into: &qkv, threads: 1)
            for r in 0..<rows {
                extensions[r].rows[l] += UnsafeBufferPointer(start: qkv.row(r) + d, count: 2 * d)
                let own = extensions[r].rows[l], shared = prefix.rows[l]
                let keys = prefix.count + extensions[r].count + 1
                let q = qkv.row(r), o = attended.mutableRow(r)
                own.withUnsafeBufferPointer { ownRows in
                    shared.withUnsafeBufferPointer { sharedRows in
                        weightsRow.withUnsafeMutableBufferPointer { wb in
                            let s = wb.baseAddress!
                            func key(_ u: Int) -> UnsafePointer<Float> {
                                u < prefix.count ? sharedRows.baseAddress! + u * 2 * d : ownRows.baseAddress! + (u - prefix.count) * 2 * d
                            }
                            for h in 0..<heads {
                                for u in 0..<keys { s[u] = scale * Kernels.dot(q + h * dh, key(u) + h * dh, count: dh) }
                                var m = -Float.infinity
                                for u in 0..<keys where s[u] > m { m = s[u] }
                                let total = Kernels.exponentiate(s, count: keys, subtracting: m)
                                let out = o + h * dh
                                out.update(repeating: 0, count: dh)
                                for u in 0..<keys { Kernels.axpy(s[u] / total, key(u) + d + h * dh, out, count: dh) }
                            }
                        }
                    }
                }
            }
            block(l, x: &x, attended: attended, threads: 1)
        }
        for r in 0..<rows { extensions[r].count += 1 }
        return finalNorm(x)
    }

    /// The final LayerNorm of each row.
    func finalNorm(_ x: DenseMatrix) -> DenseMatrix {
        let w = weights.t
        var out = DenseMatrix(rows: x.rows, cols: shape.dim), normalised = DenseMatrix(rows: x.rows, cols: shape.dim)
        var rstd = [Float](repeating: 0, count: x.rows)
        TransformerLayers.layerNorm(x, gain: w[TransformerWeights.finalGain], bias: w[TransformerWeights.finalBias],
                                    into: &out, normalised: &normalised, rstd: &rstd, threads: 1)
        return out
    }
}
