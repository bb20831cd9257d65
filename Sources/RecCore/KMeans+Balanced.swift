/// Capacity-constrained k-means: no cluster holds more than `capacity` rows.
///
/// Starts from `KMeans.fit`, then alternates a capacity-constrained assignment with mean updates. The
/// assignment is the greedy one for the transportation problem: every (row, centroid) pair among each
/// row's `candidates` nearest centroids is taken in order of increasing squared distance (ties: lower
/// row, then nearer rank), and a row joins that centroid if it is still unplaced and the centroid has
/// room. Rows left over (all their candidates full) go, in row order, to the nearest centroid with room.
/// Balanced codebooks are what OneRec and several RQ-VAE tokenisers use so that no code swallows a large
/// share of the catalogue, which would make its semantic-ID prefix uninformative and its paths collide.
extension KMeans {
    /// Clusters the rows of `data` into `k` groups of at most `capacity` rows each.
    /// - Parameters:
    ///   - capacity: the most rows per cluster; `capacity · k` must be at least the number of rows.
    ///   - balanceIterations: the most constrained assign/update rounds after the unconstrained fit (they
    ///     stop early once at most 0.1% of the rows change cluster).
    /// - Complexity: O(iterations · n · k · d) like `fit`, plus O(n · c · log(n · c)) per balanced round
    ///   for c candidates per row.
    public static func fitBalanced(data: DenseMatrix, k: Int, capacity: Int, iterations: Int = 25,
                                   balanceIterations: Int = 10, candidates: Int = 8, seed: UInt64,
                                   threads: Int = 1) -> Result {
        let n = data.rows
        precondition(capacity * k >= n, "a capacity of \(capacity) × \(k) clusters cannot hold \(n) rows")
        var result = fit(data: data, k: k, iterations: iterations, seed: seed, threads: threads)
        var sizes = [Int](repeating: 0, count: k)
        for a in result.assignments { sizes[Int(a)] += 1 }
        if sizes.allSatisfy({ $0 <= capacity }) { return result }
        var assignments = result.assignments
        var rounds = 0
        for _ in 0..<max(1, balanceIterations) {
            rounds += 1
            let next = constrainedAssignment(data: data, centroids: result.centroids, capacity: capacity,
                                             candidates: min(k, max(1, candidates)), threads: threads)
            let changed = zip(next, assignments).reduce(0) { $0 + ($1.0 != $1.1 ? 1 : 0) }
            assignments = next
            result.centroids = means(data: data, k: k, assignments: assignments, previous: result.centroids)
            if changed * 1000 <= n { break }
        }
        // The returned assignment is the constrained one for the returned centroids.
        assignments = constrainedAssignment(data: data, centroids: result.centroids, capacity: capacity,
                                            candidates: min(k, max(1, candidates)), threads: threads)
        var inertia = 0.0
        for i in 0..<n {
            inertia += Double(Kernels.squaredL2(data.row(i), result.centroids.row(Int(assignments[i])),
                                                count: data.stride))
        }
        result.assignments = assignments
        result.inertia = inertia
        result.iterations += rounds
        return result
    }

    /// Greedy capacity-constrained assignment of every row to a centroid (see the type's summary).
    static func constrainedAssignment(data: DenseMatrix, centroids: DenseMatrix, capacity: Int,
                                      candidates t: Int, threads: Int) -> [Int32] {
        let n = data.rows, k = centroids.rows
        var nearest = [Int32](repeating: 0, count: n &* t)
        var distance = [Float](repeating: .infinity, count: n &* t)
        nearestCandidates(data: data, centroids: centroids, count: t, threads: threads,
                          nearest: &nearest, distance: &distance)
        // Non-negative floats order like their bit patterns: one UInt64 key per pair sorts by
        // (distance, row, rank) with a plain integer sort.
        precondition(n &* t < Int(UInt32.max), "too many rows for the balanced assignment")
        var keys = [UInt64](repeating: 0, count: n &* t)
        for entry in 0..<(n &* t) {
            keys[entry] = UInt64(max(0, distance[entry]).bitPattern) << 32 | UInt64(entry)
        }
        keys.sort()
        var assignments = [Int32](repeating: -1, count: n)
        var room = [Int](repeating: capacity, count: k)
        for key in keys {
            let entry = Int(key & 0xFFFF_FFFF)
            let row = entry / t, c = Int(nearest[entry])
            if assignments[row] < 0 && room[c] > 0 {
                assignments[row] = Int32(c)
                room[c] -= 1
            }
        }
        for row in 0..<n where assignments[row] < 0 {
            var best = -1
            var bestDistance = Float.infinity
            for c in 0..<k where room[c] > 0 {
                let dist = Kernels.squaredL2(data.row(row), centroids.row(c), count: data.stride)
                if best < 0 || dist < bestDistance { best = c; bestDistance = dist }
            }
            assignments[row] = Int32(best)
            room[best] -= 1
        }
        return assignments
    }

    /// Each row's `count` nearest centroids by squared distance, nearest first (ties: lower centroid).
    static func nearestCandidates(data: DenseMatrix, centroids: DenseMatrix, count t: Int, threads: Int,
                                  nearest: inout [Int32], distance: inout [Float]) {
        let n = data.rows, k = centroids.rows
        // +∞ past the last centroid, so padding lanes never qualify.
        var norms = [Float](repeating: .infinity, count: DenseMatrix.paddedStride(k))
        for c in 0..<k { norms[c] = Kernels.squaredNorm(centroids.row(c), count: centroids.stride) }
        let blockRows = 1024
        let blocks = (n + blockRows - 1) / blockRows
        let centroidNorms = norms
        nearest.withUnsafeMutableBufferPointer { near in
            distance.withUnsafeMutableBufferPointer { dist in
                let out = UncheckedSendable((near.baseAddress!, dist.baseAddress!))
                withExtendedLifetime((data, centroids)) {
                    Parallel.forEachSlice(count: blocks, threads: threads) { range in
                        let (near, dist) = out.value
                        var products = DenseMatrix(rows: blockRows, cols: k)
                        let ps = products.stride
                        let pm = products.mutableBaseAddress()
                        for b in range {
                            let r0 = b * blockRows, r1 = min(n, r0 + blockRows)
                            Gemm._multiplyABt(m: r1 - r0, n: k, depth: data.cols, a: data.row(r0),
                                              lda: data.stride, b: centroids.baseAddress, ldb: centroids.stride,
                                              c: pm, ldc: ps, alpha: 1, accumulate: false, lowerFrom: nil)
                            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: ps)
                            defer { scratch.deallocate() }
                            centroidNorms.withUnsafeBufferPointer { normBuffer in
                                let normsP = normBuffer.baseAddress!
                                for i in r0..<r1 {
                                    let xNorm = Kernels.squaredNorm(data.row(i), count: data.stride)
                                    keepNearest(products: UnsafePointer(pm + (i - r0) &* ps), paddedNorms: normsP,
                                                width: ps, rowNorm: xNorm, count: t, scratch: scratch,
                                                nearest: near + i &* t, distance: dist + i &* t)
                                }
                            }
                        }
                        withExtendedLifetime(products) {}
                    }
                }
            }
        }
    }

    /// Merges the squared distances ‖x‖² + ‖c‖² − 2·x·c of one row into its sorted `count` nearest:
    /// distances 16 centroids a step into `scratch`, then one scalar pass against a running threshold.
    @inline(__always)
    static func keepNearest(products: UnsafePointer<Float>, paddedNorms: UnsafePointer<Float>, width: Int,
                            rowNorm: Float, count t: Int, scratch: UnsafeMutablePointer<Float>,
                            nearest: UnsafeMutablePointer<Int32>, distance: UnsafeMutablePointer<Float>) {
        let minusTwo = SIMD16<Float>(repeating: -2), x = SIMD16<Float>(repeating: rowNorm)
        var c = 0
        while c < width {
            var v = Kernels.load16(paddedNorms + c)
            v.addProduct(minusTwo, Kernels.load16(products + c))
            Kernels.store16(v + x, scratch + c)
            c &+= 16
        }
        var worst = distance[t &- 1]
        c = 0
        while c < width {
            let d = max(0, scratch[c])
            if d < worst {
                var slot = t &- 1
                while slot > 0 && distance[slot &- 1] > d {
                    distance[slot] = distance[slot &- 1]
                    nearest[slot] = nearest[slot &- 1]
                    slot &-= 1
                }
                distance[slot] = d
                nearest[slot] = Int32(truncatingIfNeeded: c)
                worst = distance[t &- 1]
            }
            c &+= 1
        }
    }
}
