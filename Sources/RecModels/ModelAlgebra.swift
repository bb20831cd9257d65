import RecCore

/// Dense linear algebra the models need and the SIMD core's first version lacks: a register-blocked
/// matrix product, a small Cholesky solve and a symmetric positive-definite inverse.
///
/// Everything works on row-major `Float` pointers with a leading dimension (`ld`, floats between rows),
/// so it runs on whole `DenseMatrix` storage or on sub-blocks of it. When RecCore's `Gemm`/`Cholesky`
/// land (branch `simd`), these can be replaced by them; the tests here pin the behaviour either way.
enum ModelAlgebra {
    /// Depth of one packed panel of B: 256 × 16 floats = 16 KiB, resident in L1.
    static let depthBlock = 256

    /// C += alpha · A · B, with A m × k, B k × n, C m × n, all row-major.
    ///
    /// Packs 16 columns of B at a time into a contiguous panel, then walks A four rows at a time,
    /// accumulating 4 × 16 outputs in four `SIMD16<Float>` registers with broadcast multiply-adds.
    /// Columns past `n` in the last panel are packed as zeros and never stored.
    /// - Complexity: m·n·k multiply-adds.
    static func multiplyAdd(m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 || k == 0 { return }
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: depthBlock * 16)
        defer { panel.deallocate() }
        var k0 = 0
        while k0 < k {
            let kc = min(depthBlock, k &- k0)
            var j0 = 0
            while j0 < n {
                let live = min(16, n &- j0)
                for p in 0..<kc {
                    let src = b + ((k0 &+ p) &* ldb &+ j0)
                    let dst = panel + p &* 16
                    if live == 16 {
                        dst.update(from: src, count: 16)
                    } else {
                        dst.update(from: src, count: live)
                        (dst + live).update(repeating: 0, count: 16 &- live)
                    }
                }
                var i = 0
                while i < m {
                    let rows = min(4, m &- i)
                    _kernel4x16(rows: rows, depth: kc, alpha: alpha, a: a + (i &* lda &+ k0), lda: lda,
                                panel: UnsafePointer(panel), c: c + (i &* ldc &+ j0), ldc: ldc, cols: live)
                    i &+= 4
                }
                j0 &+= 16
            }
            k0 &+= kc
        }
    }

    /// The micro-kernel: `rows` (1...4) rows of A against one packed panel, added into C.
    @inline(__always)
    static func _kernel4x16(rows: Int, depth: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            panel: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, cols: Int) {
        // Rows past `rows` repeat row 0; their results are dropped.
        let a0 = a
        let a1 = rows > 1 ? a + lda : a
        let a2 = rows > 2 ? a + lda &* 2 : a
        let a3 = rows > 3 ? a + lda &* 3 : a
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
        var p = 0
        while p < depth {
            let q = Kernels.load16(panel + p &* 16)
            s0.addProduct(SIMD16(repeating: a0[p]), q)
            s1.addProduct(SIMD16(repeating: a1[p]), q)
            s2.addProduct(SIMD16(repeating: a2[p]), q)
            s3.addProduct(SIMD16(repeating: a3[p]), q)
            p &+= 1
        }
        let scale = SIMD16<Float>(repeating: alpha)
        _store(s0 * scale, c, cols: cols)
        if rows > 1 { _store(s1 * scale, c + ldc, cols: cols) }
        if rows > 2 { _store(s2 * scale, c + ldc &* 2, cols: cols) }
        if rows > 3 { _store(s3 * scale, c + ldc &* 3, cols: cols) }
    }

    @inline(__always)
    static func _store(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, cols: Int) {
        if cols == 16 {
            Kernels.store16(Kernels.load16(UnsafePointer(c)) + v, c)
        } else {
            for j in 0..<cols { c[j] += v[j] }
        }
    }

    /// The k × k matrix AᵀA of an n × k matrix (e.g. YᵀY of the item factors).
    /// - Complexity: n·k² multiply-adds, through `multiplyAdd` on the transpose.
    static func gram(_ a: DenseMatrix) -> DenseMatrix {
        let t = a.transposed()
        var out = DenseMatrix(rows: a.cols, cols: a.cols)
        let c = out.mutableBaseAddress()
        withExtendedLifetime((a, t)) {
            multiplyAdd(m: a.cols, n: a.cols, k: a.rows, alpha: 1, a: t.baseAddress, lda: t.stride,
                        b: a.baseAddress, ldb: a.stride, c: c, ldc: out.stride)
        }
        return out
    }
}

/// Why a dense solve failed.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// A pivot was not positive: the matrix is not (numerically) positive definite.
    case notPositiveDefinite(pivot: Int, value: Float)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(pivot, value):
            return "matrix is not positive definite (pivot \(pivot) is \(value)); increase the regularisation"
        }
    }
}

extension ModelAlgebra {
    /// Factors the n × n symmetric positive-definite matrix at `a` in place into its lower Cholesky
    /// factor L (A = L·Lᵀ); entries above the diagonal are left as they were.
    /// - Complexity: n³/6 multiply-adds (row dot products through `Kernels.dot`).
    static func choleskyFactor(_ a: UnsafeMutablePointer<Float>, n: Int, ld: Int) throws {
        for j in 0..<n {
            let rj = a + j &* ld
            let d = rj[j] - Kernels.dot(UnsafePointer(rj), UnsafePointer(rj), count: j)
            guard d > 0, d.isFinite else { throw LinearAlgebraError.notPositiveDefinite(pivot: j, value: d) }
            let l = d.squareRoot()
            rj[j] = l
            let inv = 1 / l
            var i = j &+ 1
            while i < n {
                let ri = a + i &* ld
                ri[j] = (ri[j] - Kernels.dot(UnsafePointer(ri), UnsafePointer(rj), count: j)) * inv
                i &+= 1
            }
        }
    }

    /// Solves L·Lᵀ·x = b in place in `x` (n floats), with L from `choleskyFactor`.
    /// - Complexity: n² multiply-adds.
    static func choleskySolve(_ l: UnsafePointer<Float>, n: Int, ld: Int, _ x: UnsafeMutablePointer<Float>) {
        for i in 0..<n {  // L·y = b
            let ri = l + i &* ld
            x[i] = (x[i] - Kernels.dot(ri, UnsafePointer(x), count: i)) / ri[i]
        }
        var i = n &- 1
        while i >= 0 {  // Lᵀ·x = y: column i of L below the diagonal
            var s = x[i]
            var r = i &+ 1
            while r < n { s -= l[r &* ld &+ i] * x[r]; r &+= 1 }
            x[i] = s / l[i &* ld &+ i]
            i &-= 1
        }
    }
}
