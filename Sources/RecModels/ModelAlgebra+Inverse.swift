import RecCore

/// The symmetric positive-definite inverse, in double precision.
///
/// EASE inverts XᵀX + λI, whose condition number grows as λ shrinks; in float32 the Schur complements
/// below lose positive definiteness already at λ = 25 on MovieLens-100k, so this path computes in
/// `Double` (as numpy does) and the caller rounds the result to `Float`.
extension ModelAlgebra {
    /// Blocks at or below this size are inverted by Gauss-Jordan elimination.
    static let inverseLeaf = 64

    /// Inverts the n × n symmetric positive-definite matrix at `a` in place (full storage, both triangles).
    ///
    /// Recursive block inversion through the Schur complement, so nearly all the work is
    /// `multiplyAddDouble`: with M = [[A, B], [Bᵀ, D]], W = A⁻¹B and S = D − BᵀW,
    /// M⁻¹ = [[A⁻¹ + W S⁻¹ Wᵀ, −W S⁻¹], [−S⁻¹ Wᵀ, S⁻¹]]. For a positive-definite M, A and S are
    /// positive definite too, so no pivoting is needed. The split point is a multiple of 8 doubles.
    /// - Complexity: about 2n³/3 multiply-adds; n²/2 doubles of scratch per level.
    static func invertPositiveDefinite(_ a: UnsafeMutablePointer<Double>, n: Int, ld: Int) throws {
        if n <= inverseLeaf {
            try gaussJordanInverse(a, n: n, ld: ld)
            return
        }
        let h = max(8, ((n / 2) &+ 7) & ~7)
        let m = n &- h
        let topRight = a + h, bottomLeft = a + h &* ld, bottom = a + (h &* ld &+ h)
        try invertPositiveDefinite(a, n: h, ld: ld)
        // W = A⁻¹·B (h × m).
        let ldw = (m &+ 7) & ~7
        let w = UnsafeMutablePointer<Double>.allocate(capacity: h &* ldw)
        w.initialize(repeating: 0, count: h &* ldw)
        defer { w.deallocate() }
        multiplyAddDouble(m: h, n: m, k: h, alpha: 1, a: a, lda: ld, b: topRight, ldb: ld, c: w, ldc: ldw)
        // S = D − Bᵀ·W, then S⁻¹, in place of D.
        multiplyAddDouble(m: m, n: m, k: h, alpha: -1, a: bottomLeft, lda: ld, b: w, ldb: ldw, c: bottom, ldc: ld)
        try invertPositiveDefinite(bottom, n: m, ld: ld)
        // Top right: −W·S⁻¹.
        for r in 0..<h { (topRight + r &* ld).update(repeating: 0, count: m) }
        multiplyAddDouble(m: h, n: m, k: m, alpha: -1, a: w, lda: ldw, b: bottom, ldb: ld, c: topRight, ldc: ld)
        // Top left: A⁻¹ + W·S⁻¹·Wᵀ = A⁻¹ − (top right)·Wᵀ.
        let ldt = (h &+ 7) & ~7
        let wt = UnsafeMutablePointer<Double>.allocate(capacity: m &* ldt)
        defer { wt.deallocate() }
        for r in 0..<h {
            for c in 0..<m { wt[c &* ldt &+ r] = w[r &* ldw &+ c] }
        }
        multiplyAddDouble(m: h, n: h, k: m, alpha: -1, a: topRight, lda: ld, b: wt, ldb: ldt, c: a, ldc: ld)
        // Bottom left: the transpose of the top right.
        for r in 0..<h {
            for c in 0..<m { bottomLeft[c &* ld &+ r] = topRight[r &* ld &+ c] }
        }
    }

    /// In-place Gauss-Jordan inverse without pivoting, for small positive-definite blocks.
    /// - Complexity: n³ multiply-adds.
    static func gaussJordanInverse(_ a: UnsafeMutablePointer<Double>, n: Int, ld: Int) throws {
        for k in 0..<n {
            let rk = a + k &* ld
            let pivot = rk[k]
            guard pivot > 0, pivot.isFinite else {
                throw LinearAlgebraError.notPositiveDefinite(pivot: k, value: Float(pivot))
            }
            rk[k] = 1
            let inv = 1 / pivot
            for j in 0..<n { rk[j] *= inv }
            for i in 0..<n where i != k {
                let ri = a + i &* ld
                let f = ri[k]
                if f == 0 { continue }
                ri[k] = 0
                for j in 0..<n { ri[j] -= f * rk[j] }
            }
        }
    }

    /// The inverse of a symmetric positive-definite `DenseMatrix`, computed in double precision.
    static func inverse(_ m: DenseMatrix) throws -> DenseMatrix {
        precondition(m.rows == m.cols, "inverse of a non-square \(m.rows) × \(m.cols) matrix")
        let n = m.rows, ld = (n &+ 7) & ~7
        let work = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n &* ld))
        defer { work.deallocate() }
        for r in 0..<n {
            let src = m.row(r)
            for c in 0..<n { work[r &* ld &+ c] = Double(src[c]) }
        }
        try invertPositiveDefinite(work, n: n, ld: ld)
        var out = DenseMatrix(rows: n, cols: n)
        for r in 0..<n {
            let dst = out.mutableRow(r)
            for c in 0..<n { dst[c] = Float(work[r &* ld &+ c]) }
        }
        return out
    }

    /// C += alpha · A · B in double precision, A m × k, B k × n, all row-major: 8-column packed panels of B,
    /// four rows of A at a time broadcast into four `SIMD8<Double>` accumulators (RecCore's `Gemm` is
    /// float-only and multiplies by Bᵀ).
    /// - Complexity: m·n·k multiply-adds.
    static func multiplyAddDouble(m: Int, n: Int, k: Int, alpha: Double,
                                  a: UnsafePointer<Double>, lda: Int,
                                  b: UnsafePointer<Double>, ldb: Int,
                                  c: UnsafeMutablePointer<Double>, ldc: Int) {
        if m == 0 || n == 0 || k == 0 { return }
        let panel = UnsafeMutablePointer<Double>.allocate(capacity: depthBlock * 8)
        defer { panel.deallocate() }
        var k0 = 0
        while k0 < k {
            let kc = min(depthBlock, k &- k0)
            var j0 = 0
            while j0 < n {
                let live = min(8, n &- j0)
                for p in 0..<kc {
                    let src = b + ((k0 &+ p) &* ldb &+ j0)
                    let dst = panel + p &* 8
                    dst.update(from: src, count: live)
                    if live < 8 { (dst + live).update(repeating: 0, count: 8 &- live) }
                }
                var i = 0
                while i < m {
                    _kernel4x8(rows: min(4, m &- i), depth: kc, alpha: alpha, a: a + (i &* lda &+ k0), lda: lda,
                               panel: UnsafePointer(panel), c: c + (i &* ldc &+ j0), ldc: ldc, cols: live)
                    i &+= 4
                }
                j0 &+= 8
            }
            k0 &+= kc
        }
    }

    @inline(__always)
    static func _kernel4x8(rows: Int, depth: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                           panel: UnsafePointer<Double>, c: UnsafeMutablePointer<Double>, ldc: Int, cols: Int) {
        let a0 = a
        let a1 = rows > 1 ? a + lda : a
        let a2 = rows > 2 ? a + lda &* 2 : a
        let a3 = rows > 3 ? a + lda &* 3 : a
        var s0 = SIMD8<Double>(), s1 = SIMD8<Double>(), s2 = SIMD8<Double>(), s3 = SIMD8<Double>()
        var p = 0
        while p < depth {
            let q = UnsafeRawPointer(panel + p &* 8).loadUnaligned(as: SIMD8<Double>.self)
            s0.addProduct(SIMD8(repeating: a0[p]), q)
            s1.addProduct(SIMD8(repeating: a1[p]), q)
            s2.addProduct(SIMD8(repeating: a2[p]), q)
            s3.addProduct(SIMD8(repeating: a3[p]), q)
            p &+= 1
        }
        let scale = SIMD8<Double>(repeating: alpha)
        _storeDouble(s0 * scale, c, cols: cols)
        if rows > 1 { _storeDouble(s1 * scale, c + ldc, cols: cols) }
        if rows > 2 { _storeDouble(s2 * scale, c + ldc &* 2, cols: cols) }
        if rows > 3 { _storeDouble(s3 * scale, c + ldc &* 3, cols: cols) }
    }

    @inline(__always)
    static func _storeDouble(_ v: SIMD8<Double>, _ c: UnsafeMutablePointer<Double>, cols: Int) {
        if cols == 8 {
            let raw = UnsafeMutableRawPointer(c)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Double>.self) + v, as: SIMD8<Double>.self)
        } else {
            for j in 0..<cols { c[j] += v[j] }
        }
    }
}
