/// Top-k retrieval for many queries in one pass over the items, with a register-blocked micro-kernel.
///
/// Layout: queries are packed transposed in groups of 16 (`panel[d·16 + lane]` = query lane's d-th
/// value), so one `SIMD16<Float>` holds one dimension of 16 queries. The kernel walks the item rows in
/// place, four at a time, and accumulates 4 items × 16 queries with broadcast multiply-adds
/// (`acc[r] += item_r[d] · panel[d]`): no transposes of the item matrix and no horizontal sums. The
/// 16 lanes' gates (each query's k-th best so far) sit in one vector, so the fused test is four mask
/// compares and one `any`; only then does a lane touch its heap. Items are visited in L2-sized blocks,
/// and every query group of a thread runs over a block while it is in cache, so the matrix is read from
/// memory once per thread.
///
/// Queries are split across threads by whole groups of 16; one query is never split, and each query's
/// arithmetic is the same for any thread count, so results do not depend on `threads`. A group with
/// fewer than 4 live queries uses the bandwidth-bound row kernel of `Retrieval` instead.
public enum BatchedRetrieval {
    /// Items per L2 block: about 256 KiB of item rows.
    static func blockRows(stride: Int) -> Int { max(64, (65_536 / max(stride, 16)) & ~3) }

    /// Each query's top `k` over the rows of `items`, best first (score desc, index asc).
    ///
    /// - Parameters:
    ///   - queries: Q × D, one query per row (`queries.cols == items.cols`).
    ///   - items: N × D item embeddings.
    ///   - exclude: empty, or one exclusion set per query (e.g. the user's seen items).
    ///   - threads: worker threads (0 means one per core); queries are divided among them.
    /// - Complexity: O(Q · N · D) multiply-adds; one read of the item matrix per thread.
    public static func topK(queries: DenseMatrix, items: DenseMatrix, k: Int, exclude: [ExclusionSet] = [],
                            threads: Int = 1) -> [[ScoredItem]] {
        precondition(queries.cols == items.cols,
                     "queries have \(queries.cols) columns, items have \(items.cols)")
        precondition(exclude.isEmpty || exclude.count == queries.rows,
                     "exclude has \(exclude.count) sets for \(queries.rows) queries; pass one per query or none")
        precondition(k >= 0, "k must be ≥ 0, got \(k)")
        let q = queries.rows
        if q == 0 { return [] }
        if k == 0 || items.rows == 0 { return Array(repeating: [], count: q) }
        let groups = (q + 15) / 16
        var results = [[ScoredItem]](repeating: [], count: q)
        let t = threads <= 0 ? Parallel.defaultThreads : threads
        results.withUnsafeMutableBufferPointer { out in
            let outBox = _UncheckedSendable(out)
            Parallel.forEachSlice(count: groups, threads: t) { groupRange in
                let lo = groupRange.lowerBound * 16, hi = min(q, groupRange.upperBound * 16)
                let lists = scan(queries: queries, queryRange: lo..<hi, items: items, k: k, exclude: exclude)
                for (n, list) in lists.enumerated() { outBox.value[lo + n] = list }
            }
        }
        return results
    }

    /// Runs queries `queryRange` (a run of whole groups of 16) over all items.
    static func scan(queries: DenseMatrix, queryRange: Range<Int>, items: DenseMatrix, k: Int,
                     exclude: [ExclusionSet]) -> [[ScoredItem]] {
        let qn = queryRange.count
        let groups = (qn + 15) / 16
        let d = items.cols
        var tops = (0..<qn).map { _ in TopK(k: k) }
        let noExclusions = ExclusionSet.none
        func exclusions(_ local: Int) -> ExclusionSet {
            exclude.isEmpty ? noExclusions : exclude[queryRange.lowerBound + local]
        }
        // Groups with fewer than 4 live queries are bandwidth-bound: use the row kernel.
        var wideGroups = 0
        for g in 0..<groups where min(16, qn - g * 16) >= 4 { wideGroups = g + 1 }
        for local in min(qn, wideGroups * 16)..<qn {
            Retrieval.scanRows(query: queries.row(queryRange.lowerBound + local), items: items.view,
                               rows: 0..<items.rows, exclude: exclusions(local), into: &tops[local])
        }
        if wideGroups == 0 { return tops.map { $0.sorted() } }

        // Transposed query panels and per-lane gates (+∞ for padding lanes, so they never pass).
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: wideGroups * max(d, 1) * 16)
        panel.initialize(repeating: 0, count: wideGroups * max(d, 1) * 16)
        let gates = UnsafeMutablePointer<Float>.allocate(capacity: wideGroups * 16)
        let lanes = UnsafeMutablePointer<Float>.allocate(capacity: 16)
        defer { panel.deallocate(); gates.deallocate(); lanes.deallocate() }
        for g in 0..<wideGroups {
            for lane in 0..<16 {
                let local = g * 16 + lane
                gates[g * 16 + lane] = local < qn ? tops[local].gate : .infinity
                guard local < qn else { continue }
                let src = queries.row(queryRange.lowerBound + local)
                for c in 0..<d { panel[(g * d + c) * 16 + lane] = src[c] }
            }
        }
        let hasExclusions = !exclude.isEmpty && exclude[queryRange].contains { !$0.sortedItems.isEmpty }
        let n = items.rows
        let block = blockRows(stride: items.stride)
        withExtendedLifetime(items) {
            tops.withUnsafeMutableBufferPointer { heaps in
                var b0 = 0
                while b0 < n {
                    let b1 = min(n, b0 + block)
                    for g in 0..<wideGroups {
                        let ctx = GroupContext(panel: panel + g * d * 16, dim: d, gates: gates + g * 16,
                                               heaps: heaps.baseAddress! + g * 16, lanes: lanes,
                                               liveLanes: min(16, qn - g * 16))
                        scanBlock(ctx, items: items, rows: b0..<b1) { local, item in
                            hasExclusions && exclusions(g * 16 + local).contains(item)
                        }
                    }
                    b0 = b1
                }
            }
        }
        return tops.map { $0.sorted() }
    }

    struct GroupContext {
        let panel: UnsafePointer<Float>
        let dim: Int
        let gates: UnsafeMutablePointer<Float>
        let heaps: UnsafeMutablePointer<TopK>
        let lanes: UnsafeMutablePointer<Float>
        let liveLanes: Int

        init(panel: UnsafeMutablePointer<Float>, dim: Int, gates: UnsafeMutablePointer<Float>,
             heaps: UnsafeMutablePointer<TopK>, lanes: UnsafeMutablePointer<Float>, liveLanes: Int) {
            self.panel = UnsafePointer(panel)
            self.dim = dim
            self.gates = gates
            self.heaps = heaps
            self.lanes = lanes
            self.liveLanes = liveLanes
        }
    }

    /// The micro-kernel loop: 4 items × 16 queries per step, gate test fused.
    static func scanBlock(_ ctx: GroupContext, items: DenseMatrix, rows: Range<Int>,
                          isExcluded: (Int, Int32) -> Bool) {
        let s = items.stride, d = ctx.dim
        let panel = ctx.panel
        var gate = Kernels.load16(ctx.gates)
        var r = rows.lowerBound
        let end = rows.upperBound
        while r < end {
            let live = min(4, end &- r)
            let p0 = items.row(r)
            // Past the end of the block, repeat the last live row; those lanes are ignored below.
            let p1 = live > 1 ? p0 + s : p0
            let p2 = live > 2 ? p0 + s &* 2 : p0
            let p3 = live > 3 ? p0 + s &* 3 : p0
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var c = 0
            while c < d {
                let q = Kernels.load16(panel + c &* 16)
                a0.addProduct(SIMD16(repeating: p0[c]), q)
                a1.addProduct(SIMD16(repeating: p1[c]), q)
                a2.addProduct(SIMD16(repeating: p2[c]), q)
                a3.addProduct(SIMD16(repeating: p3[c]), q)
                c &+= 1
            }
            let m01 = (a0 .> gate) .| (a1 .> gate)
            let m23 = (a2 .> gate) .| (a3 .> gate)
            if any(m01 .| m23) {
                var accs = (a0, a1, a2, a3)
                withUnsafeBytes(of: &accs) { raw in
                    let all = raw.bindMemory(to: Float.self).baseAddress!
                    for row in 0..<live {
                        admit(ctx, scores: all + row &* 16, item: Int32(truncatingIfNeeded: r &+ row),
                              isExcluded: isExcluded)
                    }
                }
                gate = Kernels.load16(ctx.gates)
            }
            r &+= 4
        }
    }

    /// The slow path: offers one item's 16 lane scores to the lanes' heaps.
    @inline(never)
    static func admit(_ ctx: GroupContext, scores: UnsafePointer<Float>, item: Int32,
                      isExcluded: (Int, Int32) -> Bool) {
        for lane in 0..<ctx.liveLanes where scores[lane] > ctx.gates[lane] {
            if isExcluded(lane, item) { continue }
            ctx.heaps[lane].insert(item: item, score: scores[lane])
            ctx.gates[lane] = ctx.heaps[lane].gate
        }
    }
}
