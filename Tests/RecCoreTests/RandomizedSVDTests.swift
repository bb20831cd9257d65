import Testing
@testable import RecCore

@Suite struct RandomizedSVDTests {
    /// A = U·diag(σ)·Vᵀ with orthonormal random U (m × r) and V (n × r).
    static func lowRank(m: Int, n: Int, sigma: [Float], seed: UInt64) -> (DenseMatrix, DenseMatrix) {
        var rng = SeededGenerator(seed: seed)
        let r = sigma.count
        let u = RandomizedSVD.orthonormalColumns(DenseMatrix(rows: m, cols: r) { _, _ in Float(rng.nextGaussian()) })
        let v = RandomizedSVD.orthonormalColumns(DenseMatrix(rows: n, cols: r) { _, _ in Float(rng.nextGaussian()) })
        let us = DenseMatrix(rows: m, cols: r) { i, j in u[i, j] * sigma[j] }
        return (Gemm.multiplyTransposed(us, v), u)
    }

    @Test func recoversTheSingularValuesOfALowRankMatrix() {
        let sigma: [Float] = [9, 5, 3, 1]
        let (a, u) = Self.lowRank(m: 60, n: 40, sigma: sigma, seed: 3)
        let svd = RandomizedSVD.decompose(a, rank: 3, seed: 7)
        for j in 0..<3 { #expect(abs(svd.singularValues[j] - sigma[j]) < 1e-3) }
        // Each left singular vector matches the planted one up to sign.
        for j in 0..<3 {
            var dot: Float = 0
            for i in 0..<60 { dot += svd.u[i, j] * u[i, j] }
            #expect(abs(abs(dot) - 1) < 1e-3)
        }
        // U·Σ equals A·V (the rows projected on the right singular vectors).
        let av = Gemm.multiplyTransposed(a, svd.v.transposed())
        let us = svd.scaledU
        for i in 0..<60 { for j in 0..<3 { #expect(abs(av[i, j] - us[i, j]) < 1e-3) } }
    }

    @Test func sparseAndDenseAgreeAndAreDeterministic() {
        // A sparse 0/1 matrix with block structure.
        var rng = SeededGenerator(seed: 5)
        var rowStart = [0], columns: [Int32] = [], values: [Float] = []
        for r in 0..<50 {
            for c in 0..<30 where (c / 10 == r % 3 && rng.nextUnitFloat() < 0.7) || rng.nextUnitFloat() < 0.05 {
                columns.append(Int32(c))
                values.append(1)
            }
            rowStart.append(columns.count)
        }
        let sparse = SparseMatrix(rows: 50, cols: 30, rowStart: rowStart, columns: columns, values: values)
        let dense = DenseMatrix(rows: 50, cols: 30) { r, c in
            (rowStart[r]..<rowStart[r + 1]).contains { columns[$0] == Int32(c) } ? 1 : 0
        }
        let s = RandomizedSVD.decompose(sparse, rank: 4, seed: 1)
        let d = RandomizedSVD.decompose(dense, rank: 4, seed: 1)
        for j in 0..<4 { #expect(abs(s.singularValues[j] - d.singularValues[j]) < 1e-3 * s.singularValues[0]) }
        #expect(s.singularValues == RandomizedSVD.decompose(sparse, rank: 4, seed: 1).singularValues)
        // The sign rule makes the largest-magnitude entry of each left vector positive.
        for j in 0..<4 {
            let column = (0..<50).map { s.u[$0, j] }
            let top = column.indices.max { abs(column[$0]) < abs(column[$1]) }!
            #expect(column[top] > 0)
        }
    }

    @Test func transposeOfASparseMatrix() {
        let m = SparseMatrix(rows: 2, cols: 3, rowStart: [0, 2, 3], columns: [2, 0, 1], values: [1, 2, 3])
        let t = m.transposed()
        #expect(t.rowStart == [0, 1, 2, 3])
        #expect(t.columns == [0, 1, 0])
        #expect(t.values == [2, 3, 1])
        #expect(t.transposed().transposed() == t)
        let x = DenseMatrix(rows: 3, cols: 2, values: [1, 0, 0, 1, 1, 1])
        #expect(m.product(x).toArray() == [3, 1, 0, 3])
    }
}

@Suite struct BalancedKMeansTests {
    @Test func capacityBoundsEveryClusterAndKeepsTightClustersWhole() {
        // 100 points in one tight blob and 20 in each of two others: plain k-means with k = 3 finds the
        // blobs (a cluster of 100); the capacity-constrained fit splits the big blob under the cap.
        var rng = SeededGenerator(seed: 9)
        let centres: [[Float]] = [[0, 0, 0], [20, 0, 0], [0, 20, 0]]
        let labels = (0..<140).map { $0 < 100 ? 0 : ($0 < 120 ? 1 : 2) }
        let data = DenseMatrix(rows: 140, cols: 3) { i, j in centres[labels[i]][j] + rng.nextUnitFloat() - 0.5 }
        let plain = KMeans.fit(data: data, k: 3, seed: 2)
        var plainSizes = [Int](repeating: 0, count: 3)
        for a in plain.assignments { plainSizes[Int(a)] += 1 }
        #expect(plainSizes.max()! == 100)
        let balanced = KMeans.fitBalanced(data: data, k: 3, capacity: 50, seed: 2)
        var sizes = [Int](repeating: 0, count: 3)
        for a in balanced.assignments { sizes[Int(a)] += 1 }
        #expect(sizes.max()! <= 50)
        #expect(sizes.reduce(0, +) == 140)
        // The big blob is split (it cannot fit one code); each small blob stays within one code.
        #expect(Set(balanced.assignments[0..<100]).count >= 2)
        #expect(Set(balanced.assignments[100..<120]).count == 1 && Set(balanced.assignments[120..<140]).count == 1)
        #expect(balanced.assignments == KMeans.fitBalanced(data: data, k: 3, capacity: 50, seed: 2).assignments)
    }
}
