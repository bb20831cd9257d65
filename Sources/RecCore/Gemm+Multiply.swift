extension Gemm {
    /// `C = alpha · A · B (+ C when accumulate)`, `A` m × k, `B` k × n, `C` m × n, all row-major.
    ///
    /// The micro-kernel broadcasts one value of each of four rows of A and multiplies a contiguous
    /// 16-float segment of a row of B, so B needs no packing; depth is blocked so the 16-column panel of B
    /// stays in L1. Rows of C are split across `threads`, each entry summed by one thread in one fixed
    /// order: the result is the same for any thread count.
    /// - Complexity: O(m · n · k) multiply-adds.
    public static func multiply(_ a: DenseMatrix, _ b: DenseMatrix, into c: inout DenseMatrix, alpha: Float = 1,
                                accumulate: Bool = false, threads: Int = 1) {
        precondition(a.cols == b.rows, "A has \(a.cols) columns, B has \(b.rows) rows; A·B needs them equal")
        precondition(c.rows == a.rows && c.cols == b.cols, "C is \(c.rows) × \(c.cols), A·B is \(a.rows) × \(b.cols)")
        let cp = UncheckedSendable(c.mutableBaseAddress())
        let ldc = c.stride
        withExtendedLifetime((a, b)) {
            Parallel.forEachSlice(count: a.rows, threads: threads) { rows in
                _multiplyAB(m: rows.count, n: b.cols, depth: a.cols, a: a.row(rows.lowerBound), lda: a.stride,
                            b: b.baseAddress, ldb: b.stride, c: cp.value + rows.lowerBound * ldc, ldc: ldc,
                            alpha: alpha, accumulate: accumulate)
            }
        }
    }

    /// `A · B` as a new matrix.
    public static func multiply(_ a: DenseMatrix, _ b: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        var c = DenseMatrix(rows: a.rows, cols: b.cols)
        multiply(a, b, into: &c, threads: threads)
        return c
    }

    /// The kernel on raw pointers. B's rows must be readable to the 16-rounded n (padding), and so must C's.
    public static func _multiplyAB(m: Int, n: Int, depth: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                            ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool) {
        if m == 0 || n == 0 { return }
        if depth == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let alphaV = SIMD16<Float>(repeating: alpha)
        // Narrow B (a depth block of B fits in L2): rows outer, so each 4-row strip of A is read from memory
        // once and reused from L1 for every panel. Wide B: panels outer, so a panel stays in L1 while A streams.
        let rowsOuter = n <= 256
        var p0 = 0
        while p0 < depth {
            let pk = min(depthBlock, depth - p0)
            let add = accumulate || p0 > 0
            @inline(__always) func tile(_ i: Int, _ j0: Int) {
                let rows = min(6, m - i)
                let r0 = a + (i &* lda &+ p0)
                let r1 = rows > 1 ? r0 + lda : r0
                let r2 = rows > 2 ? r0 + lda &* 2 : r0
                let r3 = rows > 3 ? r0 + lda &* 3 : r0
                let r4 = rows > 4 ? r0 + lda &* 4 : r0
                let r5 = rows > 5 ? r0 + lda &* 5 : r0
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>()
                var a3 = SIMD16<Float>(), a4 = SIMD16<Float>(), a5 = SIMD16<Float>()
                var bp = b + (p0 &* ldb &+ j0)
                var p = 0
                while p < pk {
                    let q = Kernels.load16(bp)
                    a0.addProduct(SIMD16(repeating: r0[p]), q)
                    a1.addProduct(SIMD16(repeating: r1[p]), q)
                    a2.addProduct(SIMD16(repeating: r2[p]), q)
                    a3.addProduct(SIMD16(repeating: r3[p]), q)
                    a4.addProduct(SIMD16(repeating: r4[p]), q)
                    a5.addProduct(SIMD16(repeating: r5[p]), q)
                    bp += ldb
                    p &+= 1
                }
                let c0 = c + (i &* ldc &+ j0)
                _storeRow(a0 * alphaV, c0, add: add)
                if rows > 1 { _storeRow(a1 * alphaV, c0 + ldc, add: add) }
                if rows > 2 { _storeRow(a2 * alphaV, c0 + ldc &* 2, add: add) }
                if rows > 3 { _storeRow(a3 * alphaV, c0 + ldc &* 3, add: add) }
                if rows > 4 { _storeRow(a4 * alphaV, c0 + ldc &* 4, add: add) }
                if rows > 5 { _storeRow(a5 * alphaV, c0 + ldc &* 5, add: add) }
            }
            if rowsOuter {
                for i in stride(from: 0, to: m, by: 6) { for j0 in stride(from: 0, to: n, by: 16) { tile(i, j0) } }
            } else {
                for j0 in stride(from: 0, to: n, by: 16) { for i in stride(from: 0, to: m, by: 6) { tile(i, j0) } }
            }
            p0 += pk
        }
    }
}
