extension Cholesky {
    /// The inverse of an SPD matrix, `A⁻¹ = L⁻ᵀ·L⁻¹` (as EASE needs for `(XᵀX + λI)⁻¹`).
    ///
    /// Factors A, forms `W = L⁻¹` one column at a time by forward substitution (columns split across
    /// threads; row j of the scratch holds column j of W so every dot product is contiguous), then
    /// multiplies `Wᵀ·W` with `Gemm`'s micro-kernel. The result is symmetric.
    /// - Complexity: n³/3 (factor) + n³/3 (L⁻¹) + n³ (product) flops; 2·n² floats of scratch.
    public static func inverse(_ a: DenseMatrix, threads: Int = 1) throws -> DenseMatrix {
        let l = try factored(a)
        let n = l.rows
        var wt = DenseMatrix(rows: n, cols: n)
        let ws = wt.stride
        let w = _UncheckedSendable(wt.mutableBaseAddress())
        withExtendedLifetime(l) {
            Parallel.forEachSlice(count: n, threads: threads) { columns in
                for j in columns {
                    let x = w.value + j * ws
                    x[j] = 1 / l[j, j]
                    for i in (j + 1)..<max(j + 1, n) {
                        let row = l.row(i)
                        let dot = Kernels.dot(row + j, UnsafePointer(x + j), count: i - j)
                        x[i] = -dot / row[i]
                    }
                }
            }
        }
        return Gemm.multiplyTransposed(wt, wt, threads: threads)
    }
}
