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
            let outBox = UncheckedSendable(out)
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
        let noExclusions = ExclusionSet.none
        func exclusions(_ local: Int) -> ExclusionSet {
            exclude.isEmpty ? noExclusions : exclude[queryRange.lowerBound + local]
        }
        // Groups with fewer than 4 live queries are bandwidth-bound: use the row kernel.
        var wideGroups = 0
        for g in 0..<groups where min(16, qn - g * 16) >= 4 { wideGroups = g + 1 }
        let wide = min(qn, wideGroups * 16)
        var results = [[ScoredItem]](repeating: [], count: qn)
        for local in wide..<qn {
            var top = TopK(k: k)
            Retrieval.scanRows(query: queries.row(queryRange.lowerBound + local), items: items.view,
                               rows: 0..<items.rows, exclude: exclusions(local), into: &top)
            results[local] = top.sorted()
        }
        if wideGroups == 0 { return results }

        // Transposed query panels and per-lane gates (+∞ for padding lanes, so they never pass).
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: wideGroups * max(d, 1) * 16)
        panel.initialize(repeating: 0, count: wideGroups * max(d, 1) * 16)
        let gates = UnsafeMutablePointer<Float>.allocate(capacity: wideGroups * 16)
        let heaps = _LaneHeaps(lanes: wide, k: min(k, items.rows))
        defer { panel.deallocate(); gates.deallocate(); heaps.deallocate() }
        for g in 0..<wideGroups {
            for lane in 0..<16 {
                let local = g * 16 + lane
                gates[local] = local < qn ? -.infinity : .infinity
                guard local < qn else { continue }
                let src = queries.row(queryRange.lowerBound + local)
                for c in 0..<d { panel[(g * d + c) * 16 + lane] = src[c] }
            }
        }
        let hasExclusions = !exclude.isEmpty && exclude[queryRange].contains { !$0.sortedItems.isEmpty }
        let n = items.rows
        let block = blockRows(stride: items.stride)
        withExtendedLifetime(items) {
            var b0 = 0
            while b0 < n {
                let b1 = min(n, b0 + block)
                for g in 0..<wideGroups {
                    let ctx = GroupContext(panel: UnsafePointer(panel + g * d * 16), dim: d, gates: gates + g * 16,
                                           heaps: heaps, firstLane: g * 16, liveLanes: min(16, qn - g * 16),
                                           checkExclusions: hasExclusions)
                    scanBlock(ctx, items: items, rows: b0..<b1) { local, item in
                        exclusions(g * 16 + local).contains(item)
                    }
                }
                b0 = b1
            }
        }
        for local in 0..<wide { results[local] = heaps.sorted(lane: local) }
        return results
    }

    struct GroupContext {
        let panel: UnsafePointer<Float>
        let dim: Int
        /// The group's 16 gates (each lane's k-th best so far).
        let gates: UnsafeMutablePointer<Float>
        let heaps: _LaneHeaps
        /// The heap lane of the group's lane 0.
        let firstLane: Int
        let liveLanes: Int
        let checkExclusions: Bool
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
                    admit(ctx, scores: raw.bindMemory(to: Float.self).baseAddress!, rows: live,
                          firstItem: Int32(truncatingIfNeeded: r), isExcluded: isExcluded)
                }
                gate = Kernels.load16(ctx.gates)
            }
            r &+= 4
        }
    }

    /// The slow path: offers `rows` items' 16 lane scores (16 floats per item) to the lanes' heaps,
    /// in item order, visiting only the lanes whose score beats the lane's gate.
    @inline(never)
    static func admit(_ ctx: GroupContext, scores: UnsafePointer<Float>, rows: Int, firstItem: Int32,
                      isExcluded: (Int, Int32) -> Bool) {
        let bitValues = SIMD16<Int32>(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
                                      16384, 32768)
        for row in 0..<rows {
            let v = Kernels.load16(scores + row &* 16)
            let pass = v .> Kernels.load16(ctx.gates)
            if !any(pass) { continue }
            var bits = UInt32(truncatingIfNeeded: SIMD16<Int32>().replacing(with: bitValues, where: pass).wrappedSum())
            let item = firstItem &+ Int32(truncatingIfNeeded: row)
            while bits != 0 {
                let lane = bits.trailingZeroBitCount
                bits &= bits &- 1
                if lane >= ctx.liveLanes || (ctx.checkExclusions && isExcluded(lane, item)) { continue }
                let score = scores[row &* 16 &+ lane]
                ctx.gates[lane] = ctx.heaps.insert(lane: ctx.firstLane &+ lane, item: item, score: score)
            }
        }
    }
}
