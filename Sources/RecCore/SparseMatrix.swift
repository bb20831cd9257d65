/// A general sparse matrix in compressed sparse row form (rows × cols, float values).
///
/// `InteractionMatrix` is the user × item special case; this one holds any sparse data, such as the
/// item × feature TF-IDF matrix behind content embeddings. Within a row, columns are in the order given.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row r's entries are at `rowStart[r] ..< rowStart[r + 1]`.
    public let rowStart: [Int]
    public let columns: [Int32]
    public let values: [Float]

    public init(rows: Int, cols: Int, rowStart: [Int], columns: [Int32], values: [Float]) {
        precondition(rowStart.count == rows + 1 && rowStart.first == 0 && rowStart.last == columns.count,
                     "a CSR matrix of \(rows) rows needs \(rows + 1) row starts from 0 to the entry count")
        precondition(columns.count == values.count, "CSR columns and values must have the same count")
        precondition(columns.allSatisfy { $0 >= 0 && Int($0) < cols }, "a CSR column index is outside 0..<\(cols)")
        self.rows = rows
        self.cols = cols
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    public var nonZeroCount: Int { columns.count }

    /// The transpose, cols × rows; each row's columns ascend.
    /// - Complexity: O(rows + cols + non-zeros).
    public func transposed() -> SparseMatrix {
        var counts = [Int](repeating: 0, count: cols + 1)
        for c in columns { counts[Int(c) + 1] += 1 }
        for c in 0..<cols { counts[c + 1] += counts[c] }
        var next = counts
        var tColumns = [Int32](repeating: 0, count: nonZeroCount)
        var tValues = [Float](repeating: 0, count: nonZeroCount)
        for r in 0..<rows {
            for e in rowStart[r]..<rowStart[r + 1] {
                let c = Int(columns[e])
                tColumns[next[c]] = Int32(r)
                tValues[next[c]] = values[e]
                next[c] += 1
            }
        }
        return SparseMatrix(rows: cols, cols: rows, rowStart: counts, columns: tColumns, values: tValues)
    }

    /// `A · X` for a dense `cols × k` matrix X: each output row is a weighted sum of X's rows.
    /// - Complexity: O(non-zeros · k); output rows split across `threads`.
    public func product(_ x: DenseMatrix, threads: Int = 1) -> DenseMatrix {
        precondition(x.rows == cols, "A is \(rows) × \(cols), X has \(x.rows) rows; A·X needs them equal")
        var out = DenseMatrix(rows: rows, cols: x.cols)
        let s = x.stride
        let base = UncheckedSendable(out.mutableBaseAddress())
        rowStart.withUnsafeBufferPointer { start in
            columns.withUnsafeBufferPointer { col in
                values.withUnsafeBufferPointer { val in
                    let csr = UncheckedSendable((start.baseAddress!, col.baseAddress, val.baseAddress))
                    withExtendedLifetime(x) {
                        Parallel.forEachSlice(count: rows, threads: threads) { range in
                            let (start, col, val) = csr.value
                            for r in range {
                                let y = base.value + r &* s
                                var e = start[r]
                                while e < start[r &+ 1] {
                                    Kernels.axpy(val![e], x.row(Int(col![e])), y, count: s)
                                    e &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
