/// Gram matrices `XᵀX`, the co-occurrence statistics behind EASE, ItemKNN and ALS.
public enum Gram {
    /// `XᵀX` for a dense n × d matrix: the d × d matrix of column inner products.
    ///
    /// Transposes X (blocked) and runs `Gemm.symmetricProduct` on `Xᵀ`: the lower triangle with the
    /// 4 × 16 micro-kernel, mirrored, so the result is exactly symmetric.
    /// - Complexity: n·d²/2 multiply-adds; output rows split across `threads`.
    public static func dense(_ x: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        Gemm.symmetricProduct(x.transposed(), threads: threads)
    }

    /// `XᵀX` for the sparse user × item interaction matrix: the dense item × item co-occurrence matrix,
    /// `G[a, b] = Σ_u X[u, a] · X[u, b]` (counts of users who have both, for binary X).
    ///
    /// Each output row `a` is built from the users of item `a` (the CSC view), so threads own disjoint
    /// rows and every entry is summed over users in ascending order: the result is the same for any
    /// thread count.
    /// - Complexity: O(Σ_u |row u|²) scattered adds, plus items² to clear the output.
    public static func sparse(_ x: InteractionMatrix, threads: Int = 1) -> DenseMatrix {
        let byItem = x.transposed()
        var g = DenseMatrix(rows: x.itemCount, cols: x.itemCount)
        let gs = g.stride
        let base = UncheckedSendable(g.mutableBaseAddress())
        x.rowStart.withUnsafeBufferPointer { rowStart in
            x.itemIndices.withUnsafeBufferPointer { items in
                x.values.withUnsafeBufferPointer { values in
                    let csr = UncheckedSendable((rowStart.baseAddress!, items.baseAddress, values.baseAddress))
                    Parallel.forEachSlice(count: x.itemCount, threads: threads) { itemRange in
                        let (start, itemIdx, vals) = csr.value
                        for a in itemRange {
                            let out = base.value + a * gs
                            let lo = byItem.colStart[a], hi = byItem.colStart[a + 1]
                            for n in lo..<hi {
                                let u = Int(byItem.userIndices[n])
                                let va = byItem.values[n]
                                var e = start[u]
                                let end = start[u + 1]
                                while e < end {
                                    out[Int(itemIdx![e])] += va * vals![e]
                                    e &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return g
    }
}
