/// Vector kernels on `SIMD16<Float>` with tree reductions, over raw pointers.
///
/// Each kernel takes `count` floats from each pointer; counts need not be multiples of 16 (a scalar tail
/// finishes the work), but rows of a `DenseMatrix` are padded, so passing `matrix.stride` avoids the tail.
/// Sums are reduced as trees (`lowHalf + highHalf`), never left to right, so results differ from a naive
/// loop by float rounding only. Inputs with NaN or ±∞ give IEEE results (NaN propagates); callers that
/// rank such scores should read `TopK`'s rules.
public enum Kernels {
    /// Σ a[i]·b[i].
    /// - Complexity: O(count), two independent SIMD16 accumulators.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= count {
            acc0.addProduct(load16(a + i), load16(b + i))
            acc1.addProduct(load16(a + (i &+ 16)), load16(b + (i &+ 16)))
            i &+= 32
        }
        if i &+ 16 <= count {
            acc0.addProduct(load16(a + i), load16(b + i))
            i &+= 16
        }
        var s = reduce(acc0 + acc1)
        while i < count { s += a[i] * b[i]; i &+= 1 }
        return s
    }

    /// Σ (a[i] − b[i])².
    @inlinable
    public static func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
        var i = 0
        while i &+ 32 <= count {
            let d0 = load16(a + i) - load16(b + i)
            let d1 = load16(a + (i &+ 16)) - load16(b + (i &+ 16))
            acc0.addProduct(d0, d0)
            acc1.addProduct(d1, d1)
            i &+= 32
        }
        if i &+ 16 <= count {
            let d0 = load16(a + i) - load16(b + i)
            acc0.addProduct(d0, d0)
            i &+= 16
        }
        var s = reduce(acc0 + acc1)
        while i < count { let d = a[i] - b[i]; s += d * d; i &+= 1 }
        return s
    }

    /// Σ a[i]².
    @inlinable
    public static func squaredNorm(_ a: UnsafePointer<Float>, count: Int) -> Float {
        dot(a, a, count: count)
    }

    /// √(Σ a[i]²).
    @inlinable
    public static func norm(_ a: UnsafePointer<Float>, count: Int) -> Float {
        squaredNorm(a, count: count).squareRoot()
    }

    /// a·b / (‖a‖·‖b‖), and 0 when either vector is zero.
    @inlinable
    public static func cosine(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let na = squaredNorm(a, count: count), nb = squaredNorm(b, count: count)
        if na == 0 || nb == 0 { return 0 }
        return dot(a, b, count: count) / (na.squareRoot() * nb.squareRoot())
    }

    /// y[i] += alpha · x[i].
    @inlinable
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                            count: Int) {
        let a = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i &+ 16 <= count {
            var v = load16(UnsafePointer(y + i))
            v.addProduct(a, load16(x + i))
            store16(v, y + i)
            i &+= 16
        }
        while i < count { y[i] += alpha * x[i]; i &+= 1 }
    }

    /// x[i] *= alpha.
    @inlinable
    public static func scale(_ x: UnsafeMutablePointer<Float>, by alpha: Float, count: Int) {
        let a = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i &+ 16 <= count {
            store16(load16(UnsafePointer(x + i)) * a, x + i)
            i &+= 16
        }
        while i < count { x[i] *= alpha; i &+= 1 }
    }

    /// Σ x[i], read as fast as memory allows: the streaming-read floor the retrieval benchmark compares to.
    @inlinable
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var i = 0
        while i &+ 64 <= count {
            a0 += load16(x + i)
            a1 += load16(x + (i &+ 16))
            a2 += load16(x + (i &+ 32))
            a3 += load16(x + (i &+ 48))
            i &+= 64
        }
        while i &+ 16 <= count { a0 += load16(x + i); i &+= 16 }
        var s = reduce((a0 + a1) + (a2 + a3))
        while i < count { s += x[i]; i &+= 1 }
        return s
    }

    /// scores[r] = row r of `matrix` · vector, for every row (`vector` has `matrix.stride` floats, zero-padded).
    /// - Complexity: O(rows · stride); bandwidth-bound for large matrices.
    public static func multiply(_ matrix: DenseMatrixView, _ vector: UnsafePointer<Float>,
                                into scores: UnsafeMutablePointer<Float>) {
        let s = matrix.stride
        matrix.withExtendedLifetime {
            for r in 0..<matrix.rows { scores[r] = dot(matrix.row(r), vector, count: s) }
        }
    }

    /// The matrix × vector product as an array (`vector.count == matrix.cols`).
    public static func multiply(_ matrix: DenseMatrix, _ vector: [Float]) -> [Float] {
        precondition(vector.count == matrix.cols, "vector has \(vector.count) values, matrix has \(matrix.cols) columns")
        let padded = paddedCopy(vector, stride: matrix.stride)
        defer { padded.deallocate() }
        var out = [Float](repeating: 0, count: matrix.rows)
        out.withUnsafeMutableBufferPointer { multiply(matrix.view, padded, into: $0.baseAddress!) }
        return out
    }

    // MARK: - Array conveniences

    /// Σ a[i]·b[i] for equal-length arrays.
    public static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "dot of vectors of lengths \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in dot(pa.baseAddress!, pb.baseAddress!, count: a.count) }
        }
    }

    /// Σ (a[i] − b[i])² for equal-length arrays.
    public static func squaredL2(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "distance of vectors of lengths \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in squaredL2(pa.baseAddress!, pb.baseAddress!, count: a.count) }
        }
    }

    /// Cosine similarity of equal-length arrays (0 when either is zero).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "cosine of vectors of lengths \(a.count) and \(b.count)")
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in cosine(pa.baseAddress!, pb.baseAddress!, count: a.count) }
        }
    }

    /// √(Σ a[i]²).
    public static func norm(_ a: [Float]) -> Float {
        a.withUnsafeBufferPointer { norm($0.baseAddress!, count: a.count) }
    }

    /// y += alpha · x for equal-length arrays.
    public static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count, "axpy of vectors of lengths \(x.count) and \(y.count)")
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in axpy(alpha, px.baseAddress!, py.baseAddress!, count: x.count) }
        }
    }

    // MARK: - Helpers

    /// An unaligned SIMD16 load.
    @inlinable @inline(__always)
    public static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// An unaligned SIMD16 store.
    @inlinable @inline(__always)
    public static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// The sum of 16 lanes as a tree: 16 → 8 → 4 → 2 → 1.
    @inlinable @inline(__always)
    public static func reduce(_ v: SIMD16<Float>) -> Float {
        let v8 = v.lowHalf + v.highHalf
        let v4 = v8.lowHalf + v8.highHalf
        let v2 = v4.lowHalf + v4.highHalf
        return v2[0] + v2[1]
    }

    /// The largest lane, by the same halving tree (NaN lanes are not propagated).
    @inlinable @inline(__always)
    public static func reduceMax(_ v: SIMD16<Float>) -> Float {
        let v8 = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
        let v4 = v8.lowHalf.replacing(with: v8.highHalf, where: v8.highHalf .> v8.lowHalf)
        let v2 = v4.lowHalf.replacing(with: v4.highHalf, where: v4.highHalf .> v4.lowHalf)
        return Swift.max(v2[0], v2[1])
    }

    /// A 64-byte aligned, zero-padded copy of `values` with `stride` floats; the caller deallocates it.
    public static func paddedCopy(_ values: [Float], stride: Int) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(stride, 16) * 4, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: max(stride, 16))
        p.initialize(repeating: 0, count: max(stride, 16))
        if !values.isEmpty {
            values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: min(values.count, stride)) }
        }
        return p
    }
}
