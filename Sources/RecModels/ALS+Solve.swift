import RecCore

/// Per-worker buffers for one row's ALS solve; every vector is `stride` floats with zero padding.
final class _SolveScratch {
    let dim: Int
    let stride: Int
    let b: UnsafeMutablePointer<Float>
    let r: UnsafeMutablePointer<Float>
    let p: UnsafeMutablePointer<Float>
    let ap: UnsafeMutablePointer<Float>
    let system: UnsafeMutablePointer<Float>

    init(dim: Int, stride: Int) {
        self.dim = dim
        self.stride = stride
        b = .allocate(capacity: stride)
        r = .allocate(capacity: stride)
        p = .allocate(capacity: stride)
        ap = .allocate(capacity: stride)
        system = .allocate(capacity: dim * stride)
        for v in [b, r, p, ap] { v.initialize(repeating: 0, count: stride) }
        system.initialize(repeating: 0, count: dim * stride)
    }

    func release() {
        for v in [b, r, p, ap, system] { v.deallocate() }
    }

    /// b = Yᵀ Cᵤ pᵤ = Σ_{i ∈ row} cᵢ·yᵢ.
    func rightHandSide(_ rows: _ConfidenceRows, row: Int, y: DenseMatrix) {
        b.update(repeating: 0, count: stride)
        for e in rows.start[row]..<rows.start[row + 1] {
            Kernels.axpy(rows.confidence[e], y.row(Int(rows.index[e])), b, count: stride)
        }
    }

    /// Exact solve of (YᵀY + λI + Σ (cᵢ − 1) yᵢyᵢᵀ) x = b by Cholesky.
    /// - Complexity: O(|row|·f² + f³).
    func exactSolve(_ rows: _ConfidenceRows, row: Int, y: DenseMatrix, yty: DenseMatrix,
                    into x: UnsafeMutablePointer<Float>) throws {
        system.update(from: yty.baseAddress, count: dim * stride)
        for e in rows.start[row]..<rows.start[row + 1] {
            let w = rows.confidence[e] - 1
            if w == 0 { continue }
            let yi = y.row(Int(rows.index[e]))
            for d in 0..<dim { Kernels.axpy(w * yi[d], yi, system + d &* stride, count: stride) }
        }
        rightHandSide(rows, row: row, y: y)
        try _positiveDefinite { try Cholesky.factorInPlace(system, n: dim, stride: stride) }
        x.update(from: b, count: stride)
        Cholesky.solveInPlace(system, n: dim, stride: stride, x)
    }

    /// A · v = (YᵀY + λI) v + Σ (cᵢ − 1)(yᵢ·v) yᵢ, into `out`.
    @inline(__always)
    func applySystem(_ rows: _ConfidenceRows, row: Int, y: DenseMatrix, yty: DenseMatrix,
                     _ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        Kernels.multiply(yty.view, v, into: out)
        for e in rows.start[row]..<rows.start[row + 1] {
            let w = rows.confidence[e] - 1
            if w == 0 { continue }
            let yi = y.row(Int(rows.index[e]))
            Kernels.axpy(w * Kernels.dot(yi, v, count: stride), yi, out, count: stride)
        }
    }

    /// `steps` conjugate-gradient steps on A x = b, warm-started from the current `x` (as `implicit` does).
    /// - Complexity: O(steps · (|row|·f + f²)).
    func conjugateGradient(_ rows: _ConfidenceRows, row: Int, y: DenseMatrix, yty: DenseMatrix, steps: Int,
                           x: UnsafeMutablePointer<Float>) {
        // r = b − A x
        applySystem(rows, row: row, y: y, yty: yty, UnsafePointer(x), into: r)
        Kernels.scale(r, by: -1, count: stride)
        for e in rows.start[row]..<rows.start[row + 1] {
            Kernels.axpy(rows.confidence[e], y.row(Int(rows.index[e])), r, count: stride)
        }
        p.update(from: r, count: stride)
        var rsOld = Kernels.dot(UnsafePointer(r), UnsafePointer(r), count: stride)
        if rsOld < 1e-20 { return }
        for _ in 0..<steps {
            applySystem(rows, row: row, y: y, yty: yty, UnsafePointer(p), into: ap)
            let step = rsOld / Kernels.dot(UnsafePointer(p), UnsafePointer(ap), count: stride)
            Kernels.axpy(step, UnsafePointer(p), x, count: stride)
            Kernels.axpy(-step, UnsafePointer(ap), r, count: stride)
            let rsNew = Kernels.dot(UnsafePointer(r), UnsafePointer(r), count: stride)
            if rsNew < 1e-20 { break }
            Kernels.scale(p, by: rsNew / rsOld, count: stride)
            Kernels.axpy(1, UnsafePointer(r), p, count: stride)
            rsOld = rsNew
        }
    }
}
