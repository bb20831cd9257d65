import RecCore

/// ALS's user half-step for one user known only by their items: x = A⁻¹ Σᵢ cᵢ·yᵢ with A = YᵀY + λI +
/// Σᵢ (cᵢ − 1)·yᵢyᵢᵀ over the trained item factors Y, c = 1 + α for every item of the (binary) list.
///
/// With α = 0 the system matrix is the same for every user, so its inverse is kept and a fold-in is one
/// gather and one f × f product; otherwise each user's A is factored (Cholesky, f³/3). Because the score
/// of item j is yⱼ·x = Σᵢ cᵢ·yⱼᵀA⁻¹yᵢ, the same solve writes the score as a sum over the user's items,
/// as implicit's `explain` does.
struct _FactorFoldIn: Sendable {
    /// YᵀY + λI.
    let gram: DenseMatrix
    /// gram⁻¹ when α = 0.
    let inverse: DenseMatrix?
    let alpha: Float

    init(itemFactors y: DenseMatrix, regularization: Float, alpha: Float) {
        var g = Gram.dense(y)
        for d in 0..<g.rows { g[d, d] += regularization }
        gram = g
        self.alpha = alpha
        // A failed inverse (λ too small for float precision) leaves the per-user Cholesky path, which then
        // reports nothing: the fold-in falls back to the zero vector (popularity-free scores of 0).
        inverse = alpha == 0 ? try? Cholesky.inverse(g) : nil
    }

    /// One user's system: solves A·w = b for the user's items.
    struct System {
        let dim: Int
        let stride: Int
        /// A⁻¹ (α = 0) or A's Cholesky factor (α > 0); nil when A was not positive definite.
        let matrix: DenseMatrix?
        let factored: Bool

        /// w = A⁻¹·b, `stride` floats.
        func solve(_ b: UnsafePointer<Float>) -> [Float] {
            guard let matrix else { return [Float](repeating: 0, count: stride) }
            var w = [Float](repeating: 0, count: stride)
            withExtendedLifetime(matrix) {
                w.withUnsafeMutableBufferPointer { out in
                    if factored {
                        out.baseAddress!.update(from: b, count: stride)
                        Cholesky.solveInPlace(matrix.baseAddress, n: dim, stride: matrix.stride, out.baseAddress!)
                    } else {
                        Kernels.multiply(matrix.view, b, into: out.baseAddress!)
                    }
                }
            }
            return w
        }
    }

    /// The system of a user with `items` against item factors `y`.
    func system(items: [Int32], y: DenseMatrix) -> System {
        if let inverse { return System(dim: y.cols, stride: y.stride, matrix: inverse, factored: false) }
        var a = gram
        let s = a.stride
        withExtendedLifetime(y) {
            let base = a.mutableBaseAddress()
            for i in items {
                let yi = y.row(Int(i))
                for d in 0..<y.cols { Kernels.axpy(alpha * yi[d], yi, base + d &* s, count: s) }
            }
        }
        let factored = try? Cholesky.factored(a)
        return System(dim: y.cols, stride: y.stride, matrix: factored, factored: true)
    }

    /// The user's factor x = A⁻¹ Σᵢ cᵢ·yᵢ (`y.stride` floats, zero padding).
    func factor(items: [Int32], y: DenseMatrix) -> [Float] {
        let system = system(items: items, y: y)
        var b = [Float](repeating: 0, count: y.stride)
        let c = 1 + alpha
        withExtendedLifetime(y) {
            b.withUnsafeMutableBufferPointer { out in
                for i in items { Kernels.axpy(c, y.row(Int(i)), out.baseAddress!, count: y.stride) }
            }
        }
        return b.withUnsafeBufferPointer { system.solve($0.baseAddress!) }
    }

    /// Each item's part of yⱼ·x for a target item j: cᵢ·yᵢ·(A⁻¹yⱼ), in the order of `items`.
    func contributions(of target: Int32, items: [Int32], y: DenseMatrix, system: System) -> [Float] {
        let w = withExtendedLifetime(y) { system.solve(y.row(Int(target))) }
        let c = 1 + alpha
        return withExtendedLifetime(y) {
            w.withUnsafeBufferPointer { w in items.map { c * Kernels.dot(y.row(Int($0)), w.baseAddress!, count: y.stride) } }
        }
    }
}
