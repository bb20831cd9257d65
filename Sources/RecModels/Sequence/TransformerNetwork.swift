import RecCore

/// Sequences packed row after row: each row one position of one sequence.
struct SequenceBatch: Sendable {
    /// The input token of each row (an item, or the `[mask]` token).
    var tokens: [Int32] = []
    /// The position embedding each row reads (the last item of a sequence at `maxLen − 1`).
    var positions: [Int32] = []
    /// Sequence s is rows `starts[s]..<starts[s + 1]`.
    var starts: [Int] = [0]
    /// The item each row predicts, or −1 where the loss does not look.
    var targets: [Int32] = []

    var rows: Int { tokens.count }
    var sequences: Int { starts.count - 1 }

    /// Appends one sequence of `tokens` (oldest first) with the targets of its rows.
    mutating func append(tokens seq: [Int32], targets t: [Int32], maxLen: Int) {
        append(tokens: seq, targets: t, firstPosition: maxLen - seq.count, maxLen: maxLen)
    }

    /// Appends one sequence whose first row reads position `first` (semantic-ID sequences align positions
    /// to item boundaries, so a position also tells a code's level).
    mutating func append(tokens seq: [Int32], targets t: [Int32], firstPosition first: Int, maxLen: Int) {
        precondition(seq.count == t.count && first >= 0 && first + seq.count <= maxLen && !seq.isEmpty)
        for (n, token) in seq.enumerated() {
            tokens.append(token)
            positions.append(Int32(first + n))
        }
        targets += t
        starts.append(tokens.count)
    }
}

/// What the forward pass keeps of one block for the backward pass.
struct BlockCache {
    var normalised1: DenseMatrix, rstd1: [Float], attentionInput: DenseMatrix
    var qkv: DenseMatrix, probs: [Float], attended: DenseMatrix
    var normalised2: DenseMatrix, rstd2: [Float], ffnInput: DenseMatrix
    var preActivation: DenseMatrix, activation: DenseMatrix
}

/// What the forward pass keeps for the backward pass, and its output.
struct TransformerCache {
    var blocks: [BlockCache] = []
    var offsets: [Int] = []
    var finalNormalised: DenseMatrix
    var finalRstd: [Float]
    /// The final LayerNorm's output: each row's hidden state.
    var output: DenseMatrix
}

/// A pre-LayerNorm transformer over item sequences (Vaswani et al. 2017; pre-LN as Xiong et al. 2020):
/// item embedding + learned position, dropout, then per block x += Dropout(Attn(LN₁(x))) and
/// x += Dropout(FFN(LN₂(x))) with FFN = W₂·GELU(W₁·+b₁)+b₂, then a final LayerNorm. Scores of row r for
/// item i are hᵣ·eᵢ with the item embedding shared by input and output (SASRec, Kang & McAuley 2018;
/// BERT4Rec, Sun et al. 2019). Every matrix product goes through RecCore's `Gemm`.
struct TransformerNetwork: Sendable {
    let shape: TransformerShape
    /// Causal attention (SASRec) or bidirectional (BERT4Rec).
    let causal: Bool
    var weights: TransformerWeights

    /// Runs the batch forward; `dropout` > 0 only when training (masks from `seed`).
    func forward(_ batch: SequenceBatch, dropout: Float, seed: UInt64, threads: Int) -> TransformerCache {
        let d = shape.dim, rows = batch.rows
        let w = weights.t
        var x = embed(batch.tokens, position: { Int(batch.positions[$0]) })
        TransformerLayers.dropout(&x, p: dropout, seed: seed, site: 0, threads: threads)
        var cache = TransformerCache(finalNormalised: DenseMatrix(rows: rows, cols: d), finalRstd: [Float](repeating: 0, count: rows),
                                     output: DenseMatrix(rows: rows, cols: d))
        cache.offsets = TransformerAttention.offsets(batch.starts, heads: shape.heads)
        for l in 0..<shape.layers {
            func p(_ part: Int) -> DenseMatrix { w[TransformerWeights.index(l, part)] }
            var block = BlockCache(normalised1: DenseMatrix(rows: rows, cols: d), rstd1: [Float](repeating: 0, count: rows),
                                   attentionInput: DenseMatrix(rows: rows, cols: d), qkv: DenseMatrix(rows: rows, cols: 3 * d),
                                   probs: [Float](repeating: 0, count: cache.offsets.last!), attended: DenseMatrix(rows: rows, cols: d),
                                   normalised2: DenseMatrix(rows: rows, cols: d), rstd2: [Float](repeating: 0, count: rows),
                                   ffnInput: DenseMatrix(rows: rows, cols: d), preActivation: DenseMatrix(rows: rows, cols: shape.ffn),
                                   activation: DenseMatrix(rows: rows, cols: shape.ffn))
            TransformerLayers.layerNorm(x, gain: p(TransformerWeights.ln1Gain), bias: p(TransformerWeights.ln1Bias),
                                        into: &block.attentionInput, normalised: &block.normalised1, rstd: &block.rstd1, threads: threads)
            Gemm.multiplyTransposed(block.attentionInput, p(TransformerWeights.qkv), into: &block.qkv, threads: threads)
            TransformerLayers.addBias(p(TransformerWeights.qkvBias), to: &block.qkv)
            TransformerAttention.forward(qkv: block.qkv, starts: batch.starts, heads: shape.heads, causal: causal,
                                         into: &block.attended, probs: &block.probs, offsets: cache.offsets, threads: threads)
            var y = Gemm.multiplyTransposed(block.attended, p(TransformerWeights.out), threads: threads)
            TransformerLayers.addBias(p(TransformerWeights.outBias), to: &y)
            TransformerLayers.dropout(&y, p: dropout, seed: seed, site: UInt64(1 + 2 * l), threads: threads)
            Self.add(y, to: &x)
            TransformerLayers.layerNorm(x, gain: p(TransformerWeights.ln2Gain), bias: p(TransformerWeights.ln2Bias),
                                        into: &block.ffnInput, normalised: &block.normalised2, rstd: &block.rstd2, threads: threads)
            Gemm.multiplyTransposed(block.ffnInput, p(TransformerWeights.ffnIn), into: &block.preActivation, threads: threads)
            TransformerLayers.addBias(p(TransformerWeights.ffnInBias), to: &block.preActivation)
            TransformerLayers.gelu(block.preActivation, into: &block.activation, threads: threads)
            var y2 = Gemm.multiplyTransposed(block.activation, p(TransformerWeights.ffnOut), threads: threads)
            TransformerLayers.addBias(p(TransformerWeights.ffnOutBias), to: &y2)
            TransformerLayers.dropout(&y2, p: dropout, seed: seed, site: UInt64(2 + 2 * l), threads: threads)
            Self.add(y2, to: &x)
            cache.blocks.append(block)
        }
        TransformerLayers.layerNorm(x, gain: w[TransformerWeights.finalGain], bias: w[TransformerWeights.finalBias],
                                    into: &cache.output, normalised: &cache.finalNormalised, rstd: &cache.finalRstd, threads: threads)
        return cache
    }

    /// Row r: the embedding of `tokens[r]` plus the learned position `position(r)` (the input of block 0).
    func embed(_ tokens: [Int32], position: (Int) -> Int) -> DenseMatrix {
        let w = weights.t, e = w[TransformerWeights.embedding], p = w[TransformerWeights.position]
        var x = DenseMatrix(rows: tokens.count, cols: shape.dim)
        let xs = x.stride, xb = x.mutableBaseAddress()
        for (r, token) in tokens.enumerated() {
            let out = xb + r &* xs
            out.update(from: e.row(Int(token)), count: xs)
            Kernels.axpy(1, p.row(position(r)), out, count: xs)
        }
        return x
    }

    /// Block `l`'s query, key and value rows: LN₁(x)·W_qkvᵀ + b_qkv (the inference paths; `forward` keeps
    /// the intermediates instead).
    func projectQKV(_ l: Int, _ x: DenseMatrix, into qkv: inout DenseMatrix, threads: Int) {
        let w = weights.t
        func p(_ part: Int) -> DenseMatrix { w[TransformerWeights.index(l, part)] }
        var normalised = DenseMatrix(rows: x.rows, cols: shape.dim), input = DenseMatrix(rows: x.rows, cols: shape.dim)
        var rstd = [Float](repeating: 0, count: x.rows)
        TransformerLayers.layerNorm(x, gain: p(TransformerWeights.ln1Gain), bias: p(TransformerWeights.ln1Bias),
                                    into: &input, normalised: &normalised, rstd: &rstd, threads: threads)
        Gemm.multiplyTransposed(input, p(TransformerWeights.qkv), into: &qkv, threads: threads)
        TransformerLayers.addBias(p(TransformerWeights.qkvBias), to: &qkv)
    }

    /// y += x, whole padded buffers.
    static func add(_ x: DenseMatrix, to y: inout DenseMatrix) {
        Kernels.axpy(1, x.baseAddress, y.mutableBaseAddress(), count: x.rows * x.stride)
    }
}
