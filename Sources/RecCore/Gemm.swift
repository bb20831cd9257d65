/// Matrix × matrixᵀ products on a register-blocked 4 × 16 micro-kernel.
///
/// `C[i, j] = alpha · Σ_p A[i, p] · B[j, p] (+ C[i, j])`, all row-major. B is packed in panels of 16
/// rows, transposed (`panel[p·16 + lane] = B[j0 + lane, p]`), and depth-blocked so a panel stays in L1;
/// four rows of A are broadcast one value at a time into four `SIMD16` accumulators, which then land
/// as contiguous 16-float segments of four rows of C. No horizontal sums.
public enum Gemm {
    /// Depth (p) per packed panel: 16 lanes × 256 × 4 bytes = 16 KiB.
    static let depthBlock = 256

    /// `C = alpha · A · Bᵀ (+ C when accumulate)`, `A` m × d, `B` n × d, `C` m × n.
    /// - Complexity: O(m · n · d) multiply-adds; rows of C split across `threads`.
    public static func multiplyTransposed(_ a: DenseMatrix, _ b: DenseMatrix, into c: inout DenseMatrix,
                                          alpha: Float = 1, accumulate: Bool = false, threads: Int = 1) {
        precondition(a.cols == b.cols, "A has \(a.cols) columns, B has \(b.cols); A·Bᵀ needs them equal")
        precondition(c.rows == a.rows && c.cols == b.rows,
                     "C is \(c.rows) × \(c.cols), A·Bᵀ is \(a.rows) × \(b.rows)")
        let cp = UncheckedSendable(c.mutableBaseAddress())
        let ldc = c.stride
        withExtendedLifetime((a, b)) {
            Parallel.forEachSlice(count: a.rows, threads: threads) { rows in
                _multiplyABt(m: rows.count, n: b.rows, depth: a.cols,
                             a: a.row(rows.lowerBound), lda: a.stride, b: b.baseAddress, ldb: b.stride,
                             c: cp.value + rows.lowerBound * ldc, ldc: ldc, alpha: alpha,
                             accumulate: accumulate, lowerFrom: nil)
            }
        }
    }

    /// `A · Bᵀ` as a new matrix.
    public static func multiplyTransposed(_ a: DenseMatrix, _ b: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        var c = DenseMatrix(rows: a.rows, cols: b.rows)
        multiplyTransposed(a, b, into: &c, threads: threads)
        return c
    }

    /// The kernel on raw pointers. When `lowerFrom` is set to r, only entries with column j ≤ i + r
    /// (rounded out to whole 16-column panels) are guaranteed written: the lower triangle for `r = 0`
    /// when A and B are the same rows. Columns of C up to the 16-rounded n must be writable (padding).
    public static func _multiplyABt(m: Int, n: Int, depth: Int, a: UnsafePointer<Float>, lda: Int,
                             b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                             alpha: Float, accumulate: Bool, lowerFrom: Int?) {
        if m == 0 || n == 0 { return }
        if depth == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let kc = min(depth, depthBlock)
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: kc * 16)
        defer { panel.deallocate() }
        let alphaV = SIMD16<Float>(repeating: alpha)
        var p0 = 0
        while p0 < depth {
            let pk = min(kc, depth - p0)
            let add = accumulate || p0 > 0
            var j0 = 0
            while j0 < n {
                let live = min(16, n - j0)
                _packTransposed(b + j0 * ldb + p0, ldb: ldb, rows: live, depth: pk, into: panel)
                let firstRow = lowerFrom.map { max(0, j0 - $0) & ~3 } ?? 0
                var i = firstRow
                while i < m {
                    let rows = min(4, m - i)
                    let r0 = a + i * lda + p0
                    let r1 = rows > 1 ? r0 + lda : r0
                    let r2 = rows > 2 ? r0 + lda &* 2 : r0
                    let r3 = rows > 3 ? r0 + lda &* 3 : r0
                    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                    var p = 0
                    while p < pk {
                        let q = Kernels.load16(panel + p &* 16)
                        a0.addProduct(SIMD16(repeating: r0[p]), q)
                        a1.addProduct(SIMD16(repeating: r1[p]), q)
                        a2.addProduct(SIMD16(repeating: r2[p]), q)
                        a3.addProduct(SIMD16(repeating: r3[p]), q)
                        p &+= 1
                    }
                    let c0 = c + i * ldc + j0
                    _storeRow(a0 * alphaV, c0, add: add)
                    if rows > 1 { _storeRow(a1 * alphaV, c0 + ldc, add: add) }
                    if rows > 2 { _storeRow(a2 * alphaV, c0 + ldc &* 2, add: add) }
                    if rows > 3 { _storeRow(a3 * alphaV, c0 + ldc &* 3, add: add) }
                    i &+= 4
                }
                j0 &+= 16
            }
            p0 += pk
        }
    }

    @inlinable @inline(__always)
    static func _storeRow(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, add: Bool) {
        if add {
            Kernels.store16(Kernels.load16(UnsafePointer(p)) + v, p)
        } else {
            Kernels.store16(v, p)
        }
    }

    /// Packs `rows` (≤ 16) rows × `depth` columns of B transposed into a depth × 16 panel, zero-filling
    /// missing lanes.
    @usableFromInline
    static func _packTransposed(_ b: UnsafePointer<Float>, ldb: Int, rows: Int, depth: Int,
                                into panel: UnsafeMutablePointer<Float>) {
        if rows < 16 { panel.update(repeating: 0, count: depth * 16) }
        for lane in 0..<rows {
            let src = b + lane &* ldb
            var p = 0
            while p < depth {
                panel[p &* 16 &+ lane] = src[p]
                p &+= 1
            }
        }
    }
}
