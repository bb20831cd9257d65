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
