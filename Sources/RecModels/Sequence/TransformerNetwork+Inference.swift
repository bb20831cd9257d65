import RecCore

extension TransformerNetwork {
    /// Each sequence's hidden state at its last row, without dropout and without keeping anything for a
    /// backward pass: the same values `forward` gives at those rows (the same kernels in the same order),
    /// but the last block computes its attention output and feed-forward only at the last rows, and buffers
    /// are reused from block to block.
    func lastHidden(_ batch: SequenceBatch, threads: Int) -> DenseMatrix {
        let d = shape.dim, rows = batch.rows, sequences = batch.sequences
        let w = weights.t
        var x = embed(batch.tokens, position: { Int(batch.positions[$0]) })
        let offsets = TransformerAttention.offsets(batch.starts, heads: shape.heads)
        var probs = [Float](repeating: 0, count: offsets.last!)
        var qkv = DenseMatrix(rows: rows, cols: 3 * d), attended = DenseMatrix(rows: rows, cols: d)
        let last = (0..<sequences).map { batch.starts[$0 + 1] - 1 }
        for l in 0..<shape.layers {
            projectQKV(l, x, into: &qkv, threads: threads)
            TransformerAttention.forward(qkv: qkv, starts: batch.starts, heads: shape.heads, causal: causal,
                                         into: &attended, probs: &probs, offsets: offsets, threads: threads)
            if l == shape.layers - 1 {
                // Only the last rows are read from here on.
                x = Self.gather(x, rows: last)
                attended = Self.gather(attended, rows: last)
            }
            block(l, x: &x, attended: attended, threads: threads)
        }
        if shape.layers == 0 { x = Self.gather(x, rows: last) }
        var out = DenseMatrix(rows: sequences, cols: d)
        var finalNormalised = DenseMatrix(rows: sequences, cols: d)
        var finalRstd = [Float](repeating: 0, count: sequences)
        TransformerLayers.layerNorm(x, gain: w[TransformerWeights.finalGain], bias: w[TransformerWeights.finalBias],
                                    into: &out, normalised: &finalNormalised, rstd: &finalRstd, threads: threads)
        return out
    }

    /// The rest of block `l` after attention: x += attended·W_oᵀ + b_o; x += FFN(LN₂(x)).
    func block(_ l: Int, x: inout DenseMatrix, attended: DenseMatrix, threads: Int) {
        let w = weights.t
        func p(_ part: Int) -> DenseMatrix { w[TransformerWeights.index(l, part)] }
        var y = Gemm.multiplyTransposed(attended, p(TransformerWeights.out), threads: threads)
        TransformerLayers.addBias(p(TransformerWeights.outBias), to: &y)
        Self.add(y, to: &x)
        var normalised = DenseMatrix(rows: x.rows, cols: shape.dim), input = DenseMatrix(rows: x.rows, cols: shape.dim)
        var rstd = [Float](repeating: 0, count: x.rows)
        TransformerLayers.layerNorm(x, gain: p(TransformerWeights.ln2Gain), bias: p(TransformerWeights.ln2Bias),
                                    into: &input, normalised: &normalised, rstd: &rstd, threads: threads)
        var pre = Gemm.multiplyTransposed(input, p(TransformerWeights.ffnIn), threads: threads)
        TransformerLayers.addBias(p(TransformerWeights.ffnInBias), to: &pre)
        var activation = DenseMatrix(rows: x.rows, cols: shape.ffn)
        TransformerLayers.gelu(pre, into: &activation, threads: threads)
        var y2 = Gemm.multiplyTransposed(activation, p(TransformerWeights.ffnOut), threads: threads)
        TransformerLayers.addBias(p(TransformerWeights.ffnOutBias), to: &y2)
        Self.add(y2, to: &x)
    }

    /// The listed rows of `m`, in order.
    static func gather(_ m: DenseMatrix, rows: [Int]) -> DenseMatrix {
        var out = DenseMatrix(rows: rows.count, cols: m.cols)
        for (n, r) in rows.enumerated() { out.mutableRow(n).update(from: m.row(r), count: m.stride) }
        return out
    }
}
