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
    ///
    /// Per sequence and head, the head's q, k and v are copied into padded scratch (so every product is a
    /// `Gemm` call on whole 16-float segments), S = q·kᵀ/√dₕ, each row's softmax over the keys it may see,
    /// then o = P·v.
    static func forward(qkv: DenseMatrix, starts: [Int], heads: Int, causal: Bool, into o: inout DenseMatrix,
                        probs: inout [Float], offsets: [Int], threads: Int) {
        let d = o.cols, dh = d / heads, os = o.stride
        let scale = 1 / Float(dh).squareRoot()
        let op = UncheckedSendable(o.mutableBaseAddress())
        let longest = zip(starts, starts.dropFirst()).map { $1 - $0 }.max() ?? 0
        probs.withUnsafeMutableBufferPointer { buffer in
            let pp = UncheckedSendable(buffer.baseAddress!)
            withExtendedLifetime(qkv) {
                Parallel.forEachSlice(count: starts.count - 1, threads: threads) { sequences in
                    var w = HeadScratch(rows: longest, headDim: dh, parts: 4, squares: 1)
                    defer { w.free() }
                    for s in sequences {
                        let r0 = starts[s], n = starts[s + 1] - r0, n16 = HeadScratch.padded(n)
                        for h in 0..<heads {
                            let (q, k, v, out) = (w.part(0), w.part(1), w.part(2), w.part(3))
                            w.gather(qkv, rows: r0, count: n, column: h &* dh, into: q)
                            w.gather(qkv, rows: r0, count: n, column: d &+ h &* dh, into: k)
                            w.gather(qkv, rows: r0, count: n, column: 2 &* d &+ h &* dh, into: v)
                            let scores = w.square(0)
                            Gemm._multiplyABt(m: n, n: n, depth: dh, a: q, lda: w.ld, b: k, ldb: w.ld, c: scores, ldc: n16,
                                              alpha: scale, accumulate: false, lowerFrom: causal ? 0 : nil)
                            let weights = pp.value + (offsets[s] &+ h &* n &* n)
                            for t in 0..<n {
                                let row = scores + t &* n16
                                let limit = causal ? t &+ 1 : n
                                var m = -Float.infinity
                                for u in 0..<limit where row[u] > m { m = row[u] }
                                Kernels.scale(row, by: 1 / Kernels.exponentiate(row, count: limit, subtracting: m), count: limit)
                                (row + limit).update(repeating: 0, count: n &- limit)
                                (weights + t &* n).update(from: row, count: n)
                            }
                            Gemm._multiplyAB(m: n, n: dh, depth: n, a: scores, lda: n16, b: v, ldb: w.ld, c: out, ldc: w.ld,
                                             alpha: 1, accumulate: false)
                            for t in 0..<n { (op.value + ((r0 &+ t) &* os &+ h &* dh)).update(from: out + t &* w.ld, count: dh) }
                        }
                    }
                }
            }
        }
    }

    /// dq, dk, dv (into `dqkv`, overwritten) from do, given the forward's weights P: dv = Pᵀ·do,
    /// dP = do·vᵀ, dS = P ∘ (dP − rowsum(P ∘ dP)) / √dₕ, dq = dS·k, dk = dSᵀ·q.
    static func backward(qkv: DenseMatrix, probs: [Float], offsets: [Int], starts: [Int], heads: Int, causal: Bool,
                         gradient dO: DenseMatrix, into dqkv: inout DenseMatrix, threads: Int) {
        let d = dO.cols, dh = d / heads, ls = qkv.stride
        let scale = 1 / Float(dh).squareRoot()
        let gp = UncheckedSendable(dqkv.mutableBaseAddress())
        gp.value.update(repeating: 0, count: dqkv.rows * dqkv.stride)
        let longest = zip(starts, starts.dropFirst()).map { $1 - $0 }.max() ?? 0
        probs.withUnsafeBufferPointer { buffer in
            let pp = UncheckedSendable(buffer.baseAddress!)
            withExtendedLifetime((qkv, dO)) {
                Parallel.forEachSlice(count: starts.count - 1, threads: threads) { sequences in
                    var w = HeadScratch(rows: longest, headDim: dh, parts: 7, squares: 3)
                    defer { w.free() }
                    for s in sequences {
                        let r0 = starts[s], n = starts[s + 1] - r0, n16 = HeadScratch.padded(n)
                        for h in 0..<heads {
                            let (q, k, v, g) = (w.part(0), w.part(1), w.part(2), w.part(3))
                            let (dq, dk, dv) = (w.part(4), w.part(5), w.part(6))
                            let (p, dp, t) = (w.square(0), w.square(1), w.square(2))
                            w.gather(qkv, rows: r0, count: n, column: h &* dh, into: q)
                            w.gather(qkv, rows: r0, count: n, column: d &+ h &* dh, into: k)
                            w.gather(qkv, rows: r0, count: n, column: 2 &* d &+ h &* dh, into: v)
                            w.gather(dO, rows: r0, count: n, column: h &* dh, into: g)
                            let weights = pp.value + (offsets[s] &+ h &* n &* n)
                            for r in 0..<n { (p + r &* n16).update(from: weights + r &* n, count: n) }
                            HeadScratch.transpose(p, n: n, ld: n16, into: t)
                            Gemm._multiplyAB(m: n, n: dh, depth: n, a: t, lda: n16, b: g, ldb: w.ld, c: dv, ldc: w.ld,
                                             alpha: 1, accumulate: false)
                            Gemm._multiplyABt(m: n, n: n, depth: dh, a: g, lda: w.ld, b: v, ldb: w.ld, c: dp, ldc: n16,
                                              alpha: 1, accumulate: false, lowerFrom: nil)
                            for r in 0..<n {
                                let pr = p + r &* n16, dr = dp + r &* n16
                                let limit = causal ? r &+ 1 : n
                                let weighted = Kernels.dot(pr, dr, count: limit)
                                for u in 0..<limit { dr[u] = pr[u] * (dr[u] - weighted) * scale }
                                (dr + limit).update(repeating: 0, count: n &- limit)
                            }
                            Gemm._multiplyAB(m: n, n: dh, depth: n, a: dp, lda: n16, b: k, ldb: w.ld, c: dq, ldc: w.ld,
                                             alpha: 1, accumulate: false)
                            HeadScratch.transpose(dp, n: n, ld: n16, into: t)
                            Gemm._multiplyAB(m: n, n: dh, depth: n, a: t, lda: n16, b: q, ldb: w.ld, c: dk, ldc: w.ld,
                                             alpha: 1, accumulate: false)
                            for r in 0..<n {
                                let out = gp.value + ((r0 &+ r) &* ls &+ h &* dh)
                                out.update(from: dq + r &* w.ld, count: dh)
                                (out + d).update(from: dk + r &* w.ld, count: dh)
                                (out + 2 &* d).update(from: dv + r &* w.ld, count: dh)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One thread's scratch for attention: `parts` row blocks of `rows` × dₕ (padded to 16 columns, padding
/// zero) and `squares` blocks of `rows` × `rows` (padded likewise), so every product over them can run on
/// whole 16-float segments.
struct HeadScratch {
    let headDim: Int, ld: Int, square: Int, partSize: Int
    let base: UnsafeMutablePointer<Float>
    let parts: Int

    static func padded(_ n: Int) -> Int { (n &+ 15) & ~15 }

    init(rows: Int, headDim: Int, parts: Int, squares: Int) {
        self.headDim = headDim
        ld = Self.padded(headDim)
        square = Self.padded(rows) * Self.padded(rows)
        partSize = Self.padded(rows) * ld
        self.parts = parts
        let count = parts * partSize + squares * square
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: 0, count: max(1, count))
    }

    func part(_ i: Int) -> UnsafeMutablePointer<Float> { base + i &* partSize }
    func square(_ i: Int) -> UnsafeMutablePointer<Float> { base + parts &* partSize + i &* square }

    /// Rows `first..<first + count` of `m`, columns `column..<column + dₕ`, into a part. (What the padding
    /// holds never reaches a result: products read dₕ columns of A, and write junk only to C's padding.)
    func gather(_ m: DenseMatrix, rows first: Int, count: Int, column: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<count {
            let source = m.baseAddress + ((first &+ r) &* m.stride &+ column)
            (out + r &* ld).update(from: source, count: headDim)
        }
    }

    /// The n × n block at `p` (row stride `ld`) transposed into `out` (same stride).
    static func transpose(_ p: UnsafeMutablePointer<Float>, n: Int, ld: Int, into out: UnsafeMutablePointer<Float>) {
        for r in 0..<n { for c in 0..<n { out[c &* ld &+ r] = p[r &* ld &+ c] } }
    }

    func free() { base.deallocate() }
}
