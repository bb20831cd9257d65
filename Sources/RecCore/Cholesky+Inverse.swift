extension Cholesky {
    /// The inverse of an SPD matrix, `A⁻¹ = L⁻ᵀ·L⁻¹` (as EASE needs for `(XᵀX + λI)⁻¹`).
    ///
    /// Factors A; forms `W = L⁻¹` by forward substitution, four columns at a time so each row of L is
    /// read once per four columns (row j of the scratch holds column j of W, so every dot product is
    /// contiguous; columns are split across threads); then computes the lower triangle of `Wᵀ·W` with
    /// `Gemm`'s micro-kernel and mirrors it. The result is exactly symmetric.
    /// - Complexity: n³/3 (factor) + n³/3 (L⁻¹) + n³/2·2 (product) flops; 2·n² floats of scratch.
    public static func inverse(_ a: DenseMatrix, threads: Int = 1) throws -> DenseMatrix {
        let l = try factored(a)
        let n = l.rows
        var wt = DenseMatrix(rows: n, cols: n)
        let ws = wt.stride
        let w = UncheckedSendable(wt.mutableBaseAddress())
        let quads = (n + 3) / 4
        withExtendedLifetime(l) {
            Parallel.forEachSlice(count: quads, threads: threads) { range in
                for quad in range {
                    invertColumns(l: l, from: quad * 4, to: min(n, quad * 4 + 4), into: w.value, stride: ws)
                }
            }
        }
        return Gemm.symmetricProduct(wt, threads: threads)
    }

    /// Columns `j0..<j1` (at most 4) of `L⁻¹`, written as rows of `out` (zero-initialised).
    static func invertColumns(l: DenseMatrix, from j0: Int, to j1: Int, into out: UnsafeMutablePointer<Float>,
                              stride ws: Int) {
        let n = l.rows
        let x0 = out + j0 * ws
        let x1 = j0 + 1 < j1 ? out + (j0 + 1) * ws : nil
        let x2 = j0 + 2 < j1 ? out + (j0 + 2) * ws : nil
        let x3 = j0 + 3 < j1 ? out + (j0 + 3) * ws : nil
        let xs = [x0, x1, x2, x3]
        // Rows inside the block: plain substitution (x_c[i] = 0 for i < j0 + c).
        for c in 0..<(j1 - j0) {
            let x = xs[c]!
            let jc = j0 + c
            x[jc] = 1 / l[jc, jc]
            for i in (jc + 1)..<max(jc + 1, j1) {
                let dot = Kernels.dot(l.row(i) + j0, UnsafePointer(x + j0), count: i - j0)
                x[i] = -dot / l[i, i]
            }
        }
        // Rows below the block: four dot products sharing each load of L's row.
        let y1 = x1 ?? x0, y2 = x2 ?? x0, y3 = x3 ?? x0
        for i in j1..<n {
            let row = l.row(i)
            let count = i - j0
            let (d0, d1, d2, d3) = dot4(row + j0, UnsafePointer(x0 + j0), UnsafePointer(y1 + j0),
                                        UnsafePointer(y2 + j0), UnsafePointer(y3 + j0), count: count)
            let inv = -1 / row[i]
            x0[i] = d0 * inv
            if let x1 { x1[i] = d1 * inv }
            if let x2 { x2[i] = d2 * inv }
            if let x3 { x3[i] = d3 * inv }
        }
    }

    /// Four dot products of `a` with `b0…b3`, reading `a` once.
    @inline(__always)
    static func dot4(_ a: UnsafePointer<Float>, _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>,
                     _ b2: UnsafePointer<Float>, _ b3: UnsafePointer<Float>, count: Int)
        -> (Float, Float, Float, Float) {
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
        var p = 0
        while p &+ 16 <= count {
            let v = Kernels.load16(a + p)
            s0.addProduct(v, Kernels.load16(b0 + p))
            s1.addProduct(v, Kernels.load16(b1 + p))
            s2.addProduct(v, Kernels.load16(b2 + p))
            s3.addProduct(v, Kernels.load16(b3 + p))
            p &+= 16
        }
        var r0 = Kernels.reduce(s0), r1 = Kernels.reduce(s1), r2 = Kernels.reduce(s2), r3 = Kernels.reduce(s3)
        while p < count {
            let v = a[p]
            r0 += v * b0[p]
            r1 += v * b1[p]
            r2 += v * b2[p]
            r3 += v * b3[p]
            p &+= 1
        }
        return (r0, r1, r2, r3)
    }
}

extension Gemm {
    /// `X·Xᵀ` for an m × d matrix: the lower triangle with the micro-kernel, mirrored to the upper.
    ///
    /// Rows are split across threads at `m·√(t/T)` so each thread gets an equal share of the triangle.
    /// - Complexity: m²·d/2 multiply-adds plus an m² mirror.
    public static func symmetricProduct(_ x: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        let m = x.rows
        var c = DenseMatrix(rows: m, cols: m)
        let cs = c.stride
        let cp = UncheckedSendable(c.mutableBaseAddress())
        let t = max(1, min(threads <= 0 ? Parallel.defaultThreads : threads, m))
        withExtendedLifetime(x) {
            Parallel.forEachSlice(count: t, threads: t) { pieces in
                for piece in pieces {
                    let lo = piece == 0 ? 0 : Int((Double(m) * (Double(piece) / Double(t)).squareRoot()).rounded())
                    let hi = piece == t - 1
                        ? m : Int((Double(m) * (Double(piece + 1) / Double(t)).squareRoot()).rounded())
                    guard lo < hi else { continue }
                    _multiplyABt(m: hi - lo, n: hi, depth: x.cols, a: x.row(lo), lda: x.stride,
                                 b: x.baseAddress, ldb: x.stride, c: cp.value + lo * cs, ldc: cs,
                                 alpha: 1, accumulate: false, lowerFrom: lo)
                }
            }
        }
        // Mirror the lower triangle; this also overwrites whatever the panels wrote above the diagonal.
        let p = c.mutableBaseAddress()
        var i0 = 0
        while i0 < m {
            let i1 = min(m, i0 + 32)
            for j in i0..<m {
                for i in i0..<min(i1, j) { p[i * cs + j] = p[j * cs + i] }
            }
            i0 = i1
        }
        return c
    }
}
