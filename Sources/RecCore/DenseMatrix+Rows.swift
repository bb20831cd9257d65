extension DenseMatrix {
    /// The Euclidean norm of every row.
    /// - Complexity: O(rows · stride).
    public func rowNorms() -> [Float] {
        (0..<rows).map { Kernels.norm(row($0), count: stride) }
    }

    /// A copy with every row scaled to unit length (zero rows stay zero), so inner products become cosines.
    public func normalizedRows() -> DenseMatrix {
        var out = self
        let s = stride
        for r in 0..<rows {
            let p = out.mutableRow(r)
            let n = Kernels.norm(p, count: s)
            if n > 0 { Kernels.scale(p, by: 1 / n, count: s) }
        }
        return out
    }

    /// A new matrix of the listed rows, in the listed order (repeats allowed): e.g. a batch of user
    /// embeddings for `BatchedRetrieval`.
    public func gatherRows(_ indices: some Collection<Int>) -> DenseMatrix {
        var out = DenseMatrix(rows: indices.count, cols: cols)
        for (n, r) in indices.enumerated() {
            precondition(r >= 0 && r < rows, "row \(r) outside 0..<\(rows)")
            out.mutableRow(n).update(from: row(r), count: stride)
        }
        return out
    }
}

extension DenseMatrix {
    /// `out = Σ_n weights[n] · row(indices[n])` (`out` has `stride` floats): a sparse row times this
    /// matrix, as EASE (`x_u·B`) and ItemKNN (sum of neighbour rows) score a user.
    /// - Complexity: O(|indices| · stride), one SIMD16 axpy per listed row.
    public func weightedRowSum(indices: some Collection<Int32>, weights: some Collection<Float>,
                               into out: UnsafeMutablePointer<Float>) {
        precondition(indices.count == weights.count, "\(indices.count) indices but \(weights.count) weights")
        out.update(repeating: 0, count: stride)
        withExtendedLifetime(storage) {
            for (i, w) in zip(indices, weights) {
                precondition(i >= 0 && Int(i) < rows, "row \(i) outside 0..<\(rows)")
                Kernels.axpy(w, row(Int(i)), out, count: stride)
            }
        }
    }

    /// `weightedRowSum` as an array of `cols` values.
    public func weightedRowSum(indices: some Collection<Int32>, weights: some Collection<Float>) -> [Float] {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(stride, 1))
        defer { buffer.deallocate() }
        weightedRowSum(indices: indices, weights: weights, into: buffer)
        return Array(UnsafeBufferPointer(start: buffer, count: cols))
    }
}
