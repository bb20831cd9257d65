import RecCore

extension ModelAlgebra {
    /// Blocks at or below this size are inverted by Gauss-Jordan elimination.
    static let inverseLeaf = 64

    /// Inverts the n × n symmetric positive-definite matrix at `a` in place (full storage, both triangles).
    ///
    /// Recursive block inversion through the Schur complement, so nearly all the work is `multiplyAdd`:
    /// with M = [[A, B], [Bᵀ, D]], W = A⁻¹B and S = D − BᵀW,
    /// M⁻¹ = [[A⁻¹ + W S⁻¹ Wᵀ, −W S⁻¹], [−S⁻¹ Wᵀ, S⁻¹]]. For a positive-definite M, A and S are
    /// positive definite too, so no pivoting is needed. The split point is a multiple of 16, so every
    /// sub-block of a `DenseMatrix` starts 64-byte aligned.
    /// - Complexity: about 2n³/3 multiply-adds; n·n/2 floats of scratch per level.
    static func invertPositiveDefinite(_ a: UnsafeMutablePointer<Float>, n: Int, ld: Int) throws {
        if n <= inverseLeaf {
            try gaussJordanInverse(a, n: n, ld: ld)
            return
        }
        let h = max(16, ((n / 2) &+ 15) & ~15)
        let m = n &- h
        let topRight = a + h, bottomLeft = a + h &* ld, bottom = a + (h &* ld &+ h)
        try invertPositiveDefinite(a, n: h, ld: ld)
        // W = A⁻¹·B (h × m).
        let ldw = DenseMatrix.paddedStride(m)
        let w = UnsafeMutablePointer<Float>.allocate(capacity: h &* ldw)
        w.initialize(repeating: 0, count: h &* ldw)
        defer { w.deallocate() }
        multiplyAdd(m: h, n: m, k: h, alpha: 1, a: a, lda: ld, b: topRight, ldb: ld, c: w, ldc: ldw)
        // S = D − Bᵀ·W, then S⁻¹, in place of D.
        multiplyAdd(m: m, n: m, k: h, alpha: -1, a: bottomLeft, lda: ld, b: w, ldb: ldw, c: bottom, ldc: ld)
        try invertPositiveDefinite(bottom, n: m, ld: ld)
        // Top right: −W·S⁻¹.
        for r in 0..<h { (topRight + r &* ld).update(repeating: 0, count: m) }
        multiplyAdd(m: h, n: m, k: m, alpha: -1, a: w, lda: ldw, b: bottom, ldb: ld, c: topRight, ldc: ld)
        // Top left: A⁻¹ + W·S⁻¹·Wᵀ = A⁻¹ − (top right)·Wᵀ.
        let ldt = DenseMatrix.paddedStride(h)
        let wt = UnsafeMutablePointer<Float>.allocate(capacity: m &* ldt)
        defer { wt.deallocate() }
        for r in 0..<h {
            for c in 0..<m { wt[c &* ldt &+ r] = w[r &* ldw &+ c] }
        }
        multiplyAdd(m: h, n: h, k: m, alpha: -1, a: topRight, lda: ld, b: wt, ldb: ldt, c: a, ldc: ld)
        // Bottom left: the transpose of the top right.
        for r in 0..<h {
            for c in 0..<m { bottomLeft[c &* ld &+ r] = topRight[r &* ld &+ c] }
        }
    }

    /// In-place Gauss-Jordan inverse without pivoting, for small positive-definite blocks.
    /// - Complexity: n³ multiply-adds (row updates through `Kernels.axpy`).
    static func gaussJordanInverse(_ a: UnsafeMutablePointer<Float>, n: Int, ld: Int) throws {
        for k in 0..<n {
            let rk = a + k &* ld
            let pivot = rk[k]
            guard pivot > 0, pivot.isFinite else {
                throw LinearAlgebraError.notPositiveDefinite(pivot: k, value: pivot)
            }
            rk[k] = 1
            Kernels.scale(rk, by: 1 / pivot, count: n)
            for i in 0..<n where i != k {
                let ri = a + i &* ld
                let f = ri[k]
                if f == 0 { continue }
                ri[k] = 0
                Kernels.axpy(-f, UnsafePointer(rk), ri, count: n)
            }
        }
    }

    /// The inverse of a symmetric positive-definite `DenseMatrix`.
    static func inverse(_ m: DenseMatrix) throws -> DenseMatrix {
        precondition(m.rows == m.cols, "inverse of a non-square \(m.rows) × \(m.cols) matrix")
        var out = m
        let base = out.mutableBaseAddress()
        try invertPositiveDefinite(base, n: out.rows, ld: out.stride)
        return out
    }
}
