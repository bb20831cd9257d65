/// k-means clustering: k-means++ seeding, Lloyd iterations on the `Gemm` kernel, empty-cluster repair.
///
/// Seeding follows Arthur & Vassilvitskii (2007), "k-means++: the advantages of careful seeding": the
/// first centre is a uniform point, each next one is drawn with probability ∝ D(x)², the squared
/// distance to the nearest centre so far. Assignment uses `‖x − c‖² = ‖x‖² − 2·x·c + ‖c‖²` with the
/// `x·c` products from `Gemm` in blocks of rows; ties go to the lower centroid index. A cluster left
/// empty takes the point farthest from its own centroid (lowest index on ties, one point per empty
/// cluster), so every centroid stays a real cluster. Everything is a function of the seed and the data.
public enum KMeans {
    /// The outcome of `fit`.
    public struct Result: Sendable {
        /// k × d centroids.
        public var centroids: DenseMatrix
        /// The cluster of each data row.
        public var assignments: [Int32]
        /// Σ ‖x − c(x)‖² over the data for the returned assignments and centroids.
        public var inertia: Double
        /// Lloyd iterations run (stops early when no assignment changes).
        public var iterations: Int
        /// Empty clusters repaired over all iterations.
        public var repairs: Int
    }

    /// Clusters the rows of `data` into `k` groups.
    /// - Parameters:
    ///   - iterations: the most Lloyd steps to run (each: assign, repair empties, recompute means).
    ///   - seed: drives the k-means++ draws; the same seed and data give the same result for any `threads`.
    /// - Complexity: O(iterations · n · k · d) multiply-adds.
    public static func fit(data: DenseMatrix, k: Int, iterations: Int = 25, seed: UInt64,
                           threads: Int = 1) -> Result {
        let n = data.rows
        precondition(k > 0 && k <= n, "k-means needs 1 ≤ k ≤ rows, got k = \(k) for \(n) rows")
        precondition(data.allFinite(), "k-means data contains NaN or ∞; clean the embeddings first")
        var rng = SeededGenerator(seed: seed)
        var centroids = seedPlusPlus(data: data, k: k, rng: &rng, threads: threads)
        var assignments = [Int32](repeating: -1, count: n)
        var distances = [Float](repeating: 0, count: n)
        var iterationsRun = 0, repairs = 0
        for _ in 0..<max(1, iterations) {
            iterationsRun += 1
            let changed = assign(data: data, centroids: centroids, threads: threads,
                                 assignments: &assignments, distances: &distances)
            repairs += repairEmpty(data: data, k: k, assignments: &assignments, distances: &distances)
            centroids = means(data: data, k: k, assignments: assignments, previous: centroids)
            if changed == 0 { break }
        }
        // Final assignment to the final centroids, repaired too, so no returned cluster is empty.
        _ = assign(data: data, centroids: centroids, threads: threads,
                   assignments: &assignments, distances: &distances)
        repairs += repairEmpty(data: data, k: k, assignments: &assignments, distances: &distances)
        var inertia = 0.0
        for i in 0..<n { inertia += Double(Kernels.squaredL2(data.row(i), centroids.row(Int(assignments[i])),
                                                           count: data.stride)) }
        return Result(centroids: centroids, assignments: assignments, inertia: inertia,
                      iterations: iterationsRun, repairs: repairs)
    }

    /// k-means++ seeding: k data rows as initial centroids (distinct when the data has k distinct rows).
    ///
    /// The D² update runs in fixed 4096-row blocks across threads; block sums are added in block order
    /// and the draw walks blocks then rows, so the choice is the same for any thread count.
    static func seedPlusPlus(data: DenseMatrix, k: Int, rng: inout SeededGenerator, threads: Int) -> DenseMatrix {
        let n = data.rows, s = data.stride
        let blockRows = 4096
        let blocks = (n + blockRows - 1) / blockRows
        var centroids = DenseMatrix(rows: k, cols: data.cols)
        var nearest = [Double](repeating: .infinity, count: n)
        var blockSums = [Double](repeating: 0, count: blocks)
        var chosen = rng.nextIndex(below: n)
        for c in 0..<k {
            centroids.mutableRow(c).update(from: data.row(chosen), count: s)
            if c == k - 1 { break }
            let centre = centroids.row(c)
            nearest.withUnsafeMutableBufferPointer { near in
                blockSums.withUnsafeMutableBufferPointer { sums in
                    let out = UncheckedSendable((near.baseAddress!, sums.baseAddress!))
                    withExtendedLifetime((data, centroids)) {
                        Parallel.forEachSlice(count: blocks, threads: threads) { range in
                            let (near, sums) = out.value
                            for b in range {
                                var total = 0.0
                                for i in (b * blockRows)..<min(n, (b + 1) * blockRows) {
                                    let dist = Double(Kernels.squaredL2(data.row(i), centre, count: s))
                                    if dist < near[i] { near[i] = dist }
                                    total += near[i]
                                }
                                sums[b] = total
                            }
                        }
                    }
                }
            }
            let total = blockSums.reduce(0, +)
            if total <= 0 {
                // Fewer distinct points than k: duplicate centres; empty-cluster repair separates them.
                chosen = (chosen + 1) % n
                continue
            }
            let target = rng.nextUnitDouble() * total
            chosen = drawIndex(target: target, nearest: nearest, blockSums: blockSums, blockRows: blockRows)
        }
        return centroids
    }

    /// The first row whose running D² sum passes `target` (walking whole blocks first), never a row at
    /// distance 0; rounding at the very end falls back to the last row with a positive distance.
    static func drawIndex(target: Double, nearest: [Double], blockSums: [Double], blockRows: Int) -> Int {
        var acc = 0.0
        var lastPositive = 0
        for (b, blockSum) in blockSums.enumerated() {
            let lo = b * blockRows, hi = min(nearest.count, lo + blockRows)
            if acc + blockSum <= target && b < blockSums.count - 1 {
                acc += blockSum
                if let last = (lo..<hi).last(where: { nearest[$0] > 0 }) { lastPositive = last }
                continue
            }
            for i in lo..<hi where nearest[i] > 0 {
                acc += nearest[i]
                lastPositive = i
                if acc > target { return i }
            }
        }
        return lastPositive
    }

    /// Assigns each row to its nearest centroid; returns how many assignments changed.
    static func assign(data: DenseMatrix, centroids: DenseMatrix, threads: Int,
                       assignments: inout [Int32], distances: inout [Float]) -> Int {
        let n = data.rows, k = centroids.rows
        var centroidNorms = [Float](repeating: .infinity, count: DenseMatrix.paddedStride(k))
        for c in 0..<k { centroidNorms[c] = Kernels.squaredNorm(centroids.row(c), count: centroids.stride) }
        let blockRows = 1024
        let blocks = (n + blockRows - 1) / blockRows
        var changedPerBlock = [Int](repeating: 0, count: blocks)
        let norms = centroidNorms
        assignments.withUnsafeMutableBufferPointer { assignBuf in
            distances.withUnsafeMutableBufferPointer { distBuf in
                changedPerBlock.withUnsafeMutableBufferPointer { changedBuf in
                    let out = UncheckedSendable((assignBuf.baseAddress!, distBuf.baseAddress!,
                                                  changedBuf.baseAddress!))
                    withExtendedLifetime((data, centroids)) {
                        Parallel.forEachSlice(count: blocks, threads: threads) { range in
                            assignBlocks(range, data: data, centroids: centroids, norms: norms,
                                         blockRows: blockRows, out: out.value)
                        }
                    }
                }
            }
        }
        return changedPerBlock.reduce(0, +)
    }

    /// Assigns the rows of blocks `range` (each `blockRows` rows) using one `Gemm` call per block.
    private static func assignBlocks(_ range: Range<Int>, data: DenseMatrix, centroids: DenseMatrix,
                                     norms: [Float], blockRows: Int,
                                     out: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Float>,
                                           UnsafeMutablePointer<Int>)) {
        let (assign, dist, changed) = out
        let n = data.rows, k = centroids.rows
        var products = DenseMatrix(rows: blockRows, cols: k)
        let ps = products.stride
        let pm = products.mutableBaseAddress()
        for b in range {
            let r0 = b * blockRows, r1 = min(n, r0 + blockRows)
            Gemm._multiplyABt(m: r1 - r0, n: k, depth: data.cols, a: data.row(r0), lda: data.stride,
                              b: centroids.baseAddress, ldb: centroids.stride, c: pm, ldc: ps,
                              alpha: 1, accumulate: false, lowerFrom: nil)
            for i in r0..<r1 {
                let xNorm = Kernels.squaredNorm(data.row(i), count: data.stride)
                let (best, partial) = nearestCentroid(products: UnsafePointer(pm + (i - r0) * ps),
                                                      paddedNorms: norms, width: ps)
                if assign[i] != best { changed[b] += 1 }
                assign[i] = best
                dist[i] = max(0, xNorm + partial)
            }
        }
        withExtendedLifetime(products) {}
    }

    /// argmin_c (‖c‖² − 2·x·c) over 16 centroids a step; ties go to the lower index.
    /// `paddedNorms` holds +∞ past the last centroid so padding lanes never win.
    @inline(__always)
    static func nearestCentroid(products: UnsafePointer<Float>, paddedNorms: UnsafePointer<Float>,
                                width: Int) -> (Int32, Float) {
        var best = SIMD16<Float>(repeating: .infinity)
        var bestIndex = SIMD16<Int32>(repeating: 0)
        var index = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let sixteen = SIMD16<Int32>(repeating: 16)
        var c = 0
        while c < width {
            var v = Kernels.load16(paddedNorms + c)
            v.addProduct(SIMD16(repeating: -2), Kernels.load16(products + c))
            let better = v .< best
            best.replace(with: v, where: better)
            bestIndex.replace(with: index, where: better)
            index &+= sixteen
            c &+= 16
        }
        var value = Float.infinity
        var winner = Int32.max
        for lane in 0..<16 where best[lane] < value || (best[lane] == value && bestIndex[lane] < winner) {
            value = best[lane]
            winner = bestIndex[lane]
        }
        return (winner == .max ? 0 : winner, value)
    }

    /// Gives each empty cluster the point farthest from its centroid; returns the number repaired.
    static func repairEmpty(data: DenseMatrix, k: Int, assignments: inout [Int32],
                            distances: inout [Float]) -> Int {
        var sizes = [Int](repeating: 0, count: k)
        for a in assignments { sizes[Int(a)] += 1 }
        var repaired = 0
        for c in 0..<k where sizes[c] == 0 {
            var far = -1
            var farDist: Float = -1
            for i in 0..<data.rows where sizes[Int(assignments[i])] > 1 && distances[i] > farDist {
                far = i
                farDist = distances[i]
            }
            guard far >= 0 else { break }
            sizes[Int(assignments[far])] -= 1
            assignments[far] = Int32(c)
            distances[far] = 0
            sizes[c] = 1
            repaired += 1
        }
        return repaired
    }

    /// The mean of each cluster's rows (summed in Double, in row order); an empty cluster keeps its centroid.
    static func means(data: DenseMatrix, k: Int, assignments: [Int32], previous: DenseMatrix) -> DenseMatrix {
        let d = data.cols
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        for i in 0..<data.rows {
            let c = Int(assignments[i])
            counts[c] += 1
            let row = data.row(i)
            for j in 0..<d { sums[c * d + j] += Double(row[j]) }
        }
        var out = previous
        for c in 0..<k where counts[c] > 0 {
            let row = out.mutableRow(c)
            for j in 0..<d { row[j] = Float(sums[c * d + j] / Double(counts[c])) }
        }
        return out
    }
}
