/// Top-k maximum-inner-product retrieval for one query: one pass over the item rows, scoring fused with
/// the `TopK` gate so only candidates that beat the current k-th best touch the heap.
///
/// Item indices are the rows of the matrix the view came from (`view.firstRow + i`); exclusions and
/// allow-lists use the same indices. See `TopK` for NaN/∞ rules.
public enum Retrieval {
    /// The `k` items with the largest `query · item`, best first, never an item in `exclude`.
    ///
    /// `allow`, when given, restricts candidates to those items (any order; out-of-range entries are a
    /// programming error). `query.count` must equal `items.cols`.
    /// - Complexity: O(N · D) reads, bandwidth-bound; O(m log k) heap work for m gate passes.
    public static func topK(query: [Float], items: DenseMatrix, k: Int, exclude: ExclusionSet = .none,
                            allow: [Int32]? = nil) -> [ScoredItem] {
        precondition(query.count == items.cols, "query has \(query.count) values, items have \(items.cols) columns")
        let q = Kernels.paddedCopy(query, stride: items.stride)
        defer { q.deallocate() }
        return topK(query: q, items: items.view, k: k, exclude: exclude, allow: allow)
    }

    /// Pointer form: `query` holds `items.stride` floats, zero past `items.cols`.
    public static func topK(query: UnsafePointer<Float>, items: DenseMatrixView, k: Int,
                            exclude: ExclusionSet = .none, allow: [Int32]? = nil) -> [ScoredItem] {
        var top = TopK(k: k)
        if k == 0 || items.rows == 0 { return [] }
        items.withExtendedLifetime {
            if let allow {
                scanAllowed(query: query, items: items, allow: allow, exclude: exclude, into: &top)
            } else {
                scanRows(query: query, items: items, rows: 0..<items.rows, exclude: exclude, into: &top)
            }
        }
        return top.sorted()
    }

    /// Scores rows `rows` of `items` against `query` into `top`, in ascending row order.
    /// - Complexity: O(|rows| · stride); four rows per step, each a SIMD16 dot with a tree reduction.
    @usableFromInline
    static func scanRows(query: UnsafePointer<Float>, items: DenseMatrixView, rows: Range<Int>,
                         exclude: ExclusionSet, into top: inout TopK) {
        let s = items.stride
        let first = Int32(truncatingIfNeeded: items.firstRow)
        let hasExclusions = !exclude.sortedItems.isEmpty
        var r = rows.lowerBound
        let end = rows.upperBound
        var gate = top.gate
        while r &+ 4 <= end {
            let p = items.row(r)
            let d0 = rowDot(p, query, s)
            let d1 = rowDot(p + s, query, s)
            let d2 = rowDot(p + s &* 2, query, s)
            let d3 = rowDot(p + s &* 3, query, s)
            let v = SIMD4<Float>(d0, d1, d2, d3)
            if any(v .> SIMD4(repeating: gate)) {
                for l in 0..<4 where v[l] > gate {
                    let item = first &+ Int32(truncatingIfNeeded: r &+ l)
                    if hasExclusions && exclude.contains(item) { continue }
                    top.insert(item: item, score: v[l])
                    gate = top.gate
                }
            }
            r &+= 4
        }
        while r < end {
            let v = rowDot(items.row(r), query, s)
            if v > gate {
                let item = first &+ Int32(truncatingIfNeeded: r)
                if !(hasExclusions && exclude.contains(item)) {
                    top.insert(item: item, score: v)
                    gate = top.gate
                }
            }
            r &+= 1
        }
    }

    static func scanAllowed(query: UnsafePointer<Float>, items: DenseMatrixView, allow: [Int32],
                            exclude: ExclusionSet, into top: inout TopK) {
        let s = items.stride
        let first = items.firstRow
        var previous: Int32 = -1
        for item in allow.sorted() where item != previous {
            previous = item
            let r = Int(item) - first
            precondition(r >= 0 && r < items.rows, "allowed item \(item) outside the matrix rows")
            let v = rowDot(items.row(r), query, s)
            if v > top.gate && !exclude.contains(item) { top.insert(item: item, score: v) }
        }
    }

    /// One row's dot product over a padded stride (a multiple of 16), reduced as a tree.
    @inlinable @inline(__always)
    static func rowDot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ stride: Int) -> Float {
        var acc = Kernels.load16(p) * Kernels.load16(q)
        var c = 16
        while c < stride {
            acc.addProduct(Kernels.load16(p + c), Kernels.load16(q + c))
            c &+= 16
        }
        return Kernels.reduce(acc)
    }
}
