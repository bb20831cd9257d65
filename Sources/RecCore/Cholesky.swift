/// Why a matrix could not be factored or solved.
public enum CholeskyError: Error, CustomStringConvertible, Equatable {
    /// The leading minor ending at `pivot` is not positive (or is NaN): the matrix is not SPD.
    case notPositiveDefinite(pivot: Int, value: Float)
    case notSquare(rows: Int, cols: Int)
    case sizeMismatch(matrix: Int, rightHandSide: Int)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(pivot, value):
            return "matrix is not symmetric positive definite: pivot \(pivot) is \(value); "
                + "add a ridge (λ·I) or check the input for NaN/∞"
        case let .notSquare(rows, cols):
            return "Cholesky needs a square matrix, got \(rows) × \(cols)"
        case let .sizeMismatch(matrix, rhs):
            return "the factor is \(matrix) × \(matrix) but the right-hand side has \(rhs) rows"
        }
    }
}

/// Cholesky factorisation `A = L·Lᵀ` of symmetric positive definite matrices, and the solves that use it.
///
/// Blocked right-looking algorithm (Golub & Van Loan, *Matrix Computations*, §4.2): factor a 64-wide
/// diagonal block, solve the panel below it, then update the trailing matrix with `Gemm`'s 4 × 16
/// micro-kernel, which carries almost all of the n³/3 flops. Only the lower triangle of the input is
/// read; the factor comes back in the lower triangle with zeros above.
public enum Cholesky {
    static let blockSize = 64

    /// Replaces the SPD matrix `a` by its lower Cholesky factor `L`.
    /// - Complexity: n³/3 flops.
    /// - Throws: `CholeskyError.notPositiveDefinite` at the first non-positive (or NaN) pivot.
    public static func factor(_ a: inout DenseMatrix) throws {
        guard a.rows == a.cols else { throw CholeskyError.notSquare(rows: a.rows, cols: a.cols) }
        let n = a.rows, s = a.stride
        let p = a.mutableBaseAddress()
        try factorInPlace(p, n: n, stride: s)
        for i in 0..<n { (p + i * s + i + 1).update(repeating: 0, count: n - i - 1) }
    }

    /// The lower factor of `a`, leaving `a` unchanged.
    public static func factored(_ a: DenseMatrix) throws -> DenseMatrix {
        var l = a
        try factor(&l)
        return l
    }

    /// Factors the lower triangle of an n × n row-major matrix in place (the upper triangle becomes scratch).
    ///
    /// `stride` must be a multiple of 16 and at least n rounded up to 16 (the padded columns are written
    /// with zeros' updates and stay zero if they were zero): a `DenseMatrix` row layout. For the many small
    /// systems of ALS (e.g. 64 × 64) this is one unblocked step with no allocation.
    public static func factorInPlace(_ a: UnsafeMutablePointer<Float>, n: Int, stride s: Int) throws {
        let nb = blockSize
        var k0 = 0
        let scratch = n > nb ? UnsafeMutablePointer<Float>.allocate(capacity: nb * nb) : nil
        defer { scratch?.deallocate() }
        while k0 < n {
            let k1 = min(n, k0 + nb)
            try factorDiagonalBlock(a, from: k0, to: k1, stride: s)
            if k1 < n, let u = scratch {
                solvePanel(a, n: n, from: k0, to: k1, stride: s, transposedDiagonal: u)
                // A22 −= L21 · L21ᵀ, lower triangle (whole 16-column panels).
                let l21 = a + k1 * s + k0
                Gemm._multiplyABt(m: n - k1, n: n - k1, depth: k1 - k0, a: l21, lda: s, b: l21, ldb: s,
                                  c: a + k1 * s + k1, ldc: s, alpha: -1, accumulate: true, lowerFrom: 0)
            }
            k0 = k1
        }
    }

    /// Unblocked dot-product Cholesky of the diagonal block rows/cols k0..<k1 (earlier columns already
    /// subtracted by the trailing updates).
    static func factorDiagonalBlock(_ a: UnsafeMutablePointer<Float>, from k0: Int, to k1: Int,
                                    stride s: Int) throws {
        for j in k0..<k1 {
            let rj = a + j * s
            var d = rj[j]
            for p in k0..<j { d -= rj[p] * rj[p] }
            guard d > 0 else { throw CholeskyError.notPositiveDefinite(pivot: j, value: d) }
            let ljj = d.squareRoot()
            rj[j] = ljj
            let inv = 1 / ljj
            for i in (j + 1)..<max(j + 1, k1) {
                let ri = a + i * s
                let dot = j > k0 ? Kernels.dot(UnsafePointer(ri + k0), UnsafePointer(rj + k0), count: j - k0) : 0
                ri[j] = (ri[j] - dot) * inv
            }
        }
    }

    /// For rows i ≥ k1: L[i, k0..<k1] = A[i, k0..<k1] · L11⁻ᵀ, by axpys with rows of L11ᵀ.
    static func solvePanel(_ a: UnsafeMutablePointer<Float>, n: Int, from k0: Int, to k1: Int, stride s: Int,
                           transposedDiagonal u: UnsafeMutablePointer<Float>) {
        let w = k1 - k0
        // u[j][p] = L11[p][j] for p > j (strictly upper part of L11ᵀ), zero elsewhere; diagonal inverses apart.
        u.update(repeating: 0, count: nb2(w))
        var invDiag = [Float](repeating: 0, count: w)
        for j in 0..<w {
            invDiag[j] = 1 / a[(k0 + j) * s + k0 + j]
            for p in (j + 1)..<max(j + 1, w) { u[j * w + p] = a[(k0 + p) * s + k0 + j] }
        }
        for i in k1..<n {
            let x = a + i * s + k0
            for j in 0..<w {
                let xj = x[j] * invDiag[j]
                x[j] = xj
                if j + 1 < w { Kernels.axpy(-xj, u + j * w + j + 1, x + j + 1, count: w - j - 1) }
            }
        }
    }

    private static func nb2(_ w: Int) -> Int { w * w }

    /// Solves `L·Lᵀ·x = b` in place, given the lower factor `l` (n × n) and `b` of n values.
    /// - Complexity: 2n² flops (forward then backward substitution on rows of L).
    public static func solve(factor l: DenseMatrix, _ b: inout [Float]) throws {
        guard l.rows == l.cols else { throw CholeskyError.notSquare(rows: l.rows, cols: l.cols) }
        guard b.count == l.rows else { throw CholeskyError.sizeMismatch(matrix: l.rows, rightHandSide: b.count) }
        b.withUnsafeMutableBufferPointer { x in
            withExtendedLifetime(l) { solveInPlace(l.baseAddress, n: l.rows, stride: l.stride, x.baseAddress!) }
        }
    }

    /// Solves `A·x = b` for SPD `A` (factoring a copy).
    public static func solve(_ a: DenseMatrix, _ b: [Float]) throws -> [Float] {
        let l = try factored(a)
        var x = b
        try solve(factor: l, &x)
        return x
    }

    /// Pointer form of `solve(factor:_:)`: `x` holds b on entry and the solution on exit.
    public static func solveInPlace(_ l: UnsafePointer<Float>, n: Int, stride s: Int,
                                    _ x: UnsafeMutablePointer<Float>) {
        if n == 0 { return }
        // L·y = b, row by row: y_i = (b_i − L[i, 0..<i] · y[0..<i]) / L_ii.
        for i in 0..<n {
            let row = l + i * s
            x[i] = (x[i] - Kernels.dot(row, UnsafePointer(x), count: i)) / row[i]
        }
        // Lᵀ·x = y, column-oriented: x_i = y_i / L_ii, then y[0..<i] −= x_i · L[i, 0..<i].
        var i = n - 1
        while i >= 0 {
            let row = l + i * s
            let xi = x[i] / row[i]
            x[i] = xi
            Kernels.axpy(-xi, row, x, count: i)
            i -= 1
        }
    }

    /// Solves `L·Lᵀ·X = B` for the columns of `B` (n × m), in place.
    /// - Complexity: 2n²m flops; forward and backward substitution are axpys on whole rows of B.
    public static func solve(factor l: DenseMatrix, _ b: inout DenseMatrix) throws {
        guard b.rows == l.rows else { throw CholeskyError.sizeMismatch(matrix: l.rows, rightHandSide: b.rows) }
        let n = l.rows, m = b.cols, bs = b.stride
        let x = b.mutableBaseAddress()
        withExtendedLifetime(l) {
            for i in 0..<n {
                let row = l.row(i), xi = x + i * bs
                for p in 0..<i where row[p] != 0 { Kernels.axpy(-row[p], UnsafePointer(x + p * bs), xi, count: m) }
                Kernels.scale(xi, by: 1 / row[i], count: m)
            }
            var i = n - 1
            while i >= 0 {
                let row = l.row(i), xi = x + i * bs
                Kernels.scale(xi, by: 1 / row[i], count: m)
                for p in 0..<i where row[p] != 0 { Kernels.axpy(-row[p], UnsafePointer(xi), x + p * bs, count: m) }
                i -= 1
            }
        }
    }
}
