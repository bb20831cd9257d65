import RecCore

extension TransformerNetwork {
    /// Rows of the output layer's logits computed at once (bounds its memory at about 16 MB).
    static func outputChunk(items: Int) -> Int { max(16, min(4096, (1 << 22) / max(1, items))) }

    /// The mean cross-entropy of the batch's targets under a softmax over every item (or over `candidates`,
    /// sorted item indices holding every target: a sampled softmax), and its gradient with respect to every
    /// weight (added to `gradient`, which the caller zeroes).
    ///
    /// Every reduction runs in one fixed order whatever `threads` is: weight gradients are Gemm rows (each
    /// entry summed by one thread), bias, LayerNorm and embedding gradients are summed row by row on one
    /// thread. So one thread and two give the same gradient bit for bit.
    func lossAndGradient(_ batch: SequenceBatch, _ cache: TransformerCache, dropout: Float, seed: UInt64,
                         candidates: [Int32]? = nil, into gradient: inout TransformerWeights, threads: Int) -> Float {
        var logits = DenseMatrix(rows: 0, cols: 0)
        return lossAndGradient(batch, cache, dropout: dropout, seed: seed, candidates: candidates, logits: &logits,
                               into: &gradient, threads: threads)
    }

    /// As above, with `logits` the buffer the output layer's logits are computed in, chunk by chunk; it is
    /// grown when too small and can be passed again to the next batch (a training run allocates it once).
    func lossAndGradient(_ batch: SequenceBatch, _ cache: TransformerCache, dropout: Float, seed: UInt64,
                         candidates: [Int32]? = nil, logits z: inout DenseMatrix, into gradient: inout TransformerWeights,
                         threads: Int) -> Float {
        let d = shape.dim, rows = batch.rows
        let w = weights.t
        let lossRows = batch.targets.indices.filter { batch.targets[$0] >= 0 }
        guard !lossRows.isEmpty else { return 0 }
        let items = candidates?.count ?? shape.items
        var embedding = w[TransformerWeights.embedding]
        if let candidates {
            var gathered = DenseMatrix(rows: candidates.count, cols: d)
            for (n, i) in candidates.enumerated() { gathered.mutableRow(n).update(from: embedding.row(Int(i)), count: gathered.stride) }
            embedding = gathered
        }
        var dOut = DenseMatrix(rows: rows, cols: d)
        var dEt = DenseMatrix(rows: d, cols: items)
        var total = 0.0
        let chunk = Self.outputChunk(items: items)
        if z.cols != items || z.rows < min(chunk, lossRows.count) { z = DenseMatrix(rows: min(chunk, lossRows.count), cols: items) }
        let zp = UncheckedSendable(z.mutableBaseAddress()), zs = z.stride
        let dEtp = UncheckedSendable(dEt.mutableBaseAddress()), dEts = dEt.stride
        var start = 0
        while start < lossRows.count {
            let part = Array(lossRows[start..<min(lossRows.count, start + chunk)])
            var hidden = DenseMatrix(rows: part.count, cols: d)
            for (n, r) in part.enumerated() { hidden.mutableRow(n).update(from: cache.output.row(r), count: hidden.stride) }
            withExtendedLifetime((hidden, embedding)) {
                Parallel.forEachSlice(count: part.count, threads: threads) { r in
                    Gemm._multiplyABt(m: r.count, n: items, depth: d, a: hidden.row(r.lowerBound), lda: hidden.stride,
                                      b: embedding.baseAddress, ldb: embedding.stride, c: zp.value + r.lowerBound &* zs, ldc: zs,
                                      alpha: 1, accumulate: false, lowerFrom: nil)
                }
            }
            let targets = part.map { r -> Int32 in
                guard let candidates else { return batch.targets[r] }
                return Int32(candidates.partitioningIndex(for: batch.targets[r]))
            }
            var losses = [Float](repeating: 0, count: part.count)
            targets.withUnsafeBufferPointer { t in
                losses.withUnsafeMutableBufferPointer { l in
                    TransformerLayers.softmaxCrossEntropy(zp.value, rows: part.count, stride: zs, columns: items, targets: t.baseAddress!,
                                                          scale: 1 / Float(lossRows.count), losses: l.baseAddress!, threads: threads)
                }
            }
            for l in losses { total += Double(l) }
            // dh = dz · E (rows × items · items × d); dEᵀ += hᵀ · dz.
            var dHidden = DenseMatrix(rows: part.count, cols: d)
            let dp = UncheckedSendable(dHidden.mutableBaseAddress()), ds = dHidden.stride
            let hiddenT = hidden.transposed()
            withExtendedLifetime((z, embedding, hiddenT)) {
                Parallel.forEachSlice(count: part.count, threads: threads) { r in
                    Gemm._multiplyAB(m: r.count, n: d, depth: items, a: zp.value + r.lowerBound &* zs, lda: zs,
                                     b: embedding.baseAddress, ldb: embedding.stride, c: dp.value + r.lowerBound &* ds, ldc: ds,
                                     alpha: 1, accumulate: false)
                }
                Parallel.forEachSlice(count: d, threads: threads) { r in
                    Gemm._multiplyAB(m: r.count, n: items, depth: part.count, a: hiddenT.row(r.lowerBound), lda: hiddenT.stride,
                                     b: zp.value, ldb: zs, c: dEtp.value + r.lowerBound &* dEts, ldc: dEts, alpha: 1, accumulate: true)
                }
            }
            for (n, r) in part.enumerated() { dOut.mutableRow(r).update(from: dHidden.row(n), count: ds) }
            start += part.count
        }
        // The output layer's share of the embedding gradient.
        let outputShare = dEt.transposed()
        let ge = gradient.t[TransformerWeights.embedding].mutableBaseAddress(), es = gradient.t[TransformerWeights.embedding].stride
        for i in 0..<items {
            let row = candidates.map { Int($0[i]) } ?? i
            Kernels.axpy(1, outputShare.row(i), ge + row &* es, count: es)
        }

        var dx = DenseMatrix(rows: rows, cols: d)
        TransformerLayers.layerNormBackward(dOut, normalised: cache.finalNormalised, rstd: cache.finalRstd,
                                            gain: w[TransformerWeights.finalGain], into: &dx, accumulate: false,
                                            gainGrad: gradient.t[TransformerWeights.finalGain].mutableBaseAddress(),
                                            biasGrad: gradient.t[TransformerWeights.finalBias].mutableBaseAddress(), threads: threads)
        for l in (0..<shape.layers).reversed() {
            backwardBlock(l, cache.blocks[l], batch: batch, offsets: cache.offsets, gradient: &dx, dropout: dropout,
                          seed: seed, into: &gradient, threads: threads)
        }
        TransformerLayers.dropout(&dx, p: dropout, seed: seed, site: 0, threads: threads)
        let gp = gradient.t[TransformerWeights.position].mutableBaseAddress(), ps = gradient.t[TransformerWeights.position].stride
        for r in 0..<rows {
            Kernels.axpy(1, dx.row(r), ge + Int(batch.tokens[r]) &* es, count: es)
            Kernels.axpy(1, dx.row(r), gp + Int(batch.positions[r]) &* ps, count: ps)
        }
        return Float(total / Double(lossRows.count))
    }

    /// One block backward: `dx` (the gradient of the block's output) becomes the gradient of its input.
    func backwardBlock(_ l: Int, _ block: BlockCache, batch: SequenceBatch, offsets: [Int], gradient dx: inout DenseMatrix,
                       dropout: Float, seed: UInt64, into g: inout TransformerWeights, threads: Int) {
        let w = weights.t
        let rows = batch.rows
        func i(_ part: Int) -> Int { TransformerWeights.index(l, part) }
        // x_out = x_mid + Dropout(GELU(LN₂(x_mid)·W₁ᵀ + b₁)·W₂ᵀ + b₂)
        var dy2 = dx
        TransformerLayers.dropout(&dy2, p: dropout, seed: seed, site: UInt64(2 + 2 * l), threads: threads)
        TransformerLayers.addColumnSums(dy2, into: &g.t[i(TransformerWeights.ffnOutBias)])
        let dy2t = dy2.transposed()
        Gemm.multiply(dy2t, block.activation, into: &g.t[i(TransformerWeights.ffnOut)], accumulate: true, threads: threads)
        var dAct = DenseMatrix(rows: rows, cols: shape.ffn)
        Gemm.multiply(dy2, w[i(TransformerWeights.ffnOut)], into: &dAct, threads: threads)
        TransformerLayers.geluBackward(block.preActivation, gradient: &dAct, threads: threads)
        TransformerLayers.addColumnSums(dAct, into: &g.t[i(TransformerWeights.ffnInBias)])
        Gemm.multiply(dAct.transposed(), block.ffnInput, into: &g.t[i(TransformerWeights.ffnIn)], accumulate: true, threads: threads)
        var dFfnInput = DenseMatrix(rows: rows, cols: shape.dim)
        Gemm.multiply(dAct, w[i(TransformerWeights.ffnIn)], into: &dFfnInput, threads: threads)
        TransformerLayers.layerNormBackward(dFfnInput, normalised: block.normalised2, rstd: block.rstd2, gain: w[i(TransformerWeights.ln2Gain)],
                                            into: &dx, accumulate: true, gainGrad: g.t[i(TransformerWeights.ln2Gain)].mutableBaseAddress(),
                                            biasGrad: g.t[i(TransformerWeights.ln2Bias)].mutableBaseAddress(), threads: threads)
        // x_mid = x_in + Dropout(Attn(LN₁(x_in))·W_oᵀ + b_o)
        var dy = dx
        TransformerLayers.dropout(&dy, p: dropout, seed: seed, site: UInt64(1 + 2 * l), threads: threads)
        TransformerLayers.addColumnSums(dy, into: &g.t[i(TransformerWeights.outBias)])
        Gemm.multiply(dy.transposed(), block.attended, into: &g.t[i(TransformerWeights.out)], accumulate: true, threads: threads)
        var dAttended = DenseMatrix(rows: rows, cols: shape.dim)
        Gemm.multiply(dy, w[i(TransformerWeights.out)], into: &dAttended, threads: threads)
        var dqkv = DenseMatrix(rows: rows, cols: 3 * shape.dim)
        TransformerAttention.backward(qkv: block.qkv, probs: block.probs, offsets: offsets, starts: batch.starts,
                                      heads: shape.heads, causal: causal, gradient: dAttended, into: &dqkv, threads: threads)
        TransformerLayers.addColumnSums(dqkv, into: &g.t[i(TransformerWeights.qkvBias)])
        Gemm.multiply(dqkv.transposed(), block.attentionInput, into: &g.t[i(TransformerWeights.qkv)], accumulate: true, threads: threads)
        var dAttentionInput = DenseMatrix(rows: rows, cols: shape.dim)
        Gemm.multiply(dqkv, w[i(TransformerWeights.qkv)], into: &dAttentionInput, threads: threads)
        TransformerLayers.layerNormBackward(dAttentionInput, normalised: block.normalised1, rstd: block.rstd1,
                                            gain: w[i(TransformerWeights.ln1Gain)], into: &dx, accumulate: true,
                                            gainGrad: g.t[i(TransformerWeights.ln1Gain)].mutableBaseAddress(), biasGrad: g.t[i(TransformerWeights.ln1Bias)].mutableBaseAddress(),
                                            threads: threads)
    }
}
