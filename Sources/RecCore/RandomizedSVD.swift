/// Truncated SVD by randomized subspace iteration (Halko, Martinsson & Tropp 2011, "Finding structure
/// with randomness", Algorithm 4.4 with the small SVD of Algorithm 5.1).
///
/// For an m × n matrix A and target rank r, with ℓ = r + oversampling sample vectors:
/// Ω (n × ℓ, Gaussian from the seed); Q = orth(A·Ω); then q times Q = orth(A·orth(Aᵀ·Q)); finally
/// Bᵀ = Aᵀ·Q (n × ℓ), the ℓ × ℓ eigenproblem B·Bᵀ = W·Λ·Wᵀ, σ = √λ, U = Q·W, V = Bᵀ·W·Σ⁻¹.
/// Orthonormalisation is modified Gram–Schmidt run twice ("twice is enough"), on the SIMD kernels;
/// the dense products run on `Gemm`. Each singular pair's sign is fixed so that the largest-magnitude
/// entry of its left vector is positive (the lower row on ties): the result is a function of A and the seed.
public enum RandomizedSVD {
    /// The truncated factorisation A ≈ U·diag(σ)·Vᵀ.
    public struct Result: Sendable {
        /// m × r, orthonormal columns.
        public var u: DenseMatrix
        /// The r singular values, descending.
        public var singularValues: [Float]
        /// n × r, orthonormal columns (for non-zero σ).
        public var v: DenseMatrix

        /// U·diag(σ): the rows of A expressed in the top-r right singular basis (equal to A·V).
        public var scaledU: DenseMatrix {
            var out = u
            for r in 0..<out.rows {
                let row = out.mutableRow(r)
                for j in 0..<singularValues.count { row[j] *= singularValues[j] }
            }
            return out
        }
    }

    /// The top-`rank` SVD of a sparse matrix.
    /// - Complexity: O((2q + 2) · nnz · ℓ + (m + n) · ℓ²) for q `powerIterations`, ℓ = rank + oversampling.
    public static func decompose(_ a: SparseMatrix, rank: Int, oversampling: Int = 10, powerIterations: Int = 4,
                                 seed: UInt64, threads: Int = 1) -> Result {
        let at = a.transposed()
        return decompose(rows: a.rows, cols: a.cols, rank: rank, oversampling: oversampling,
                         powerIterations: powerIterations, seed: seed,
                         times: { a.product($0, threads: threads) },
                         transposeTimes: { at.product($0, threads: threads) })
    }

    /// The top-`rank` SVD of a dense matrix (products on `Gemm`).
    /// - Complexity: O((2q + 2) · m · n · ℓ + (m + n) · ℓ²).
    public static func decompose(_ a: DenseMatrix, rank: Int, oversampling: Int = 10, powerIterations: Int = 4,
                                 seed: UInt64, threads: Int = 1) -> Result {
        let at = a.transposed()
        return decompose(rows: a.rows, cols: a.cols, rank: rank, oversampling: oversampling,
                         powerIterations: powerIterations, seed: seed,
                         times: { Gemm.multiplyTransposed(a, $0.transposed(), threads: threads) },
                         transposeTimes: { Gemm.multiplyTransposed(at, $0.transposed(), threads: threads) })
    }

    /// The algorithm on A given only as the two products `A·X` and `Aᵀ·Y`.
    static func decompose(rows m: Int, cols n: Int, rank: Int, oversampling: Int, powerIterations: Int,
                          seed: UInt64, times: (DenseMatrix) -> DenseMatrix,
                          transposeTimes: (DenseMatrix) -> DenseMatrix) -> Result {
        precondition(rank > 0 && rank <= min(m, n), "SVD rank must be in 1...\(min(m, n)), got \(rank)")
        let l = min(rank + max(0, oversampling), min(m, n))
        var rng = SeededGenerator(seed: seed)
        let omega = DenseMatrix(rows: n, cols: l) { _, _ in Float(rng.nextGaussian()) }
        var q = orthonormalColumns(times(omega))
        for _ in 0..<max(0, powerIterations) {
            let z = orthonormalColumns(transposeTimes(q))
            q = orthonormalColumns(times(z))
        }
        let bt = transposeTimes(q)                      // n × ℓ
        let gram = Gram.dense(bt)                       // ℓ × ℓ = B·Bᵀ
        let (eigenvalues, w) = symmetricEigen(gram)     // descending, columns of w
        let wr = DenseMatrix(rows: l, cols: rank) { i, j in Float(w[i * l + j]) }
        var u = Gemm.multiplyTransposed(q, wr.transposed())     // m × r
        var v = Gemm.multiplyTransposed(bt, wr.transposed())    // n × r, = V·Σ
        let sigma = (0..<rank).map { Float(max(0, eigenvalues[$0]).squareRoot()) }
        for j in 0..<rank {
            var best = 0
            var bestMagnitude: Float = -1
            for i in 0..<m where abs(u[i, j]) > bestMagnitude {
                best = i
                bestMagnitude = abs(u[i, j])
            }
            let sign: Float = u[best, j] < 0 ? -1 : 1
            let inverse = sigma[j] > 0 ? sign / sigma[j] : 0
            for i in 0..<m { u[i, j] *= sign }
            for i in 0..<n { v[i, j] *= inverse }
        }
        return Result(u: u, singularValues: sigma, v: v)
    }

    /// An m × k matrix with orthonormal columns spanning those of `y` (a column that is numerically
    /// dependent on earlier ones becomes zero).
    /// - Complexity: O(m · k²): modified Gram–Schmidt twice on the rows of yᵀ.
    public static func orthonormalColumns(_ y: DenseMatrix) -> DenseMatrix {
        var t = y.transposed()
        let s = t.stride, k = t.rows
        let base = t.mutableBaseAddress()
        var original = [Float](repeating: 0, count: k)
        for i in 0..<k { original[i] = Kernels.norm(base + i &* s, count: s) }
        for _ in 0..<2 {
            for i in 0..<k {
                let row = base + i &* s
                for j in 0..<i {
                    let other = UnsafePointer(base + j &* s)
                    Kernels.axpy(-Kernels.dot(UnsafePointer(row), other, count: s), other, row, count: s)
                }
                let norm = Kernels.norm(UnsafePointer(row), count: s)
                if norm <= 1e-5 * max(original[i], .leastNormalMagnitude) || norm == 0 {
                    row.update(repeating: 0, count: s)
                } else {
                    Kernels.scale(row, by: 1 / norm, count: s)
                }
            }
        }
        return t.transposed()
    }

    /// Eigenvalues (descending) and eigenvectors (column j of the row-major k × k array) of a small
    /// symmetric matrix, by cyclic Jacobi rotations in Double.
    /// - Complexity: O(k³) per sweep; sweeps stop when the off-diagonal mass is negligible.
    static func symmetricEigen(_ s: DenseMatrix) -> ([Double], [Double]) {
        let k = s.rows
        var a = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k { a[i * k + j] = Double(s[i, j]) } }
        var v = [Double](repeating: 0, count: k * k)
        for i in 0..<k { v[i * k + i] = 1 }
        let scale = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<k { for j in 0..<k where i != j { off += a[i * k + j] * a[i * k + j] } }
            if off <= 1e-22 * max(scale, .leastNormalMagnitude) { break }
            for p in 0..<k {
                for r in (p + 1)..<max(p + 1, k) where a[p * k + r] != 0 {
                    let theta = (a[r * k + r] - a[p * k + p]) / (2 * a[p * k + r])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), sn = t * c
                    for i in 0..<k {   // columns p and r of A
                        let aip = a[i * k + p], air = a[i * k + r]
                        a[i * k + p] = c * aip - sn * air
                        a[i * k + r] = sn * aip + c * air
                    }
                    for i in 0..<k {   // rows p and r of A
                        let api = a[p * k + i], ari = a[r * k + i]
                        a[p * k + i] = c * api - sn * ari
                        a[r * k + i] = sn * api + c * ari
                    }
                    for i in 0..<k {
                        let vip = v[i * k + p], vir = v[i * k + r]
                        v[i * k + p] = c * vip - sn * vir
                        v[i * k + r] = sn * vip + c * vir
                    }
                }
            }
        }
        let order = (0..<k).sorted { a[$0 * k + $0] > a[$1 * k + $1] || (a[$0 * k + $0] == a[$1 * k + $1] && $0 < $1) }
        let values = order.map { a[$0 * k + $0] }
        var vectors = [Double](repeating: 0, count: k * k)
        for (newColumn, old) in order.enumerated() {
            for i in 0..<k { vectors[i * k + newColumn] = v[i * k + old] }
        }
        return (values, vectors)
    }
}
