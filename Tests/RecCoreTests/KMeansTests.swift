import Testing
@testable import RecCore

@Suite struct KMeansTests {
    /// Three tight blobs far apart, 30 points each, shuffled by the seed.
    static func blobs(seed: UInt64) -> (DenseMatrix, [Int]) {
        var rng = SeededGenerator(seed: seed)
        let centres: [[Float]] = [[10, 0, 0, 0, 0], [0, 10, 0, 0, 0], [0, 0, -10, 0, 5]]
        var labels = (0..<90).map { $0 % 3 }
        labels.shuffle(using: &rng)
        let m = DenseMatrix(rows: 90, cols: 5) { i, j in centres[labels[i]][j] + 0.1 * (rng.nextUnitFloat() - 0.5) }
        return (m, labels)
    }

    @Test func recoversSeparatedClusters() {
        let (data, labels) = Self.blobs(seed: 1)
        let result = KMeans.fit(data: data, k: 3, iterations: 20, seed: 5)
        // Same partition as the true labels, up to renaming.
        var mapping: [Int: Int32] = [:]
        for (i, label) in labels.enumerated() {
            if let m = mapping[label] { #expect(result.assignments[i] == m) } else { mapping[label] = result.assignments[i] }
        }
        #expect(Set(mapping.values).count == 3)
        #expect(result.inertia < 90 * 5 * 0.01)
    }

    @Test func sameSeedSameResultForAnyThreadCount() {
        let data = Reference.matrix(2500, 12, seed: 2)
        let a = KMeans.fit(data: data, k: 7, iterations: 8, seed: 11, threads: 1)
        let b = KMeans.fit(data: data, k: 7, iterations: 8, seed: 11, threads: 2)
        let c = KMeans.fit(data: data, k: 7, iterations: 8, seed: 12, threads: 1)
        #expect(a.assignments == b.assignments)
        #expect(a.centroids == b.centroids)
        #expect(a.inertia == b.inertia)
        #expect(a.assignments != c.assignments || a.centroids != c.centroids)
    }

    @Test func emptyClustersAreRepaired() {
        // Five distinct points, each twice: with k = 7 seeding must repeat centres, and repair must
        // hand the duplicates their own clusters.
        let base: [[Float]] = [[0, 0], [1, 0], [0, 1], [5, 5], [9, 1]]
        let data = DenseMatrix(rows: 10, cols: 2) { i, j in base[i % 5][j] }
        let result = KMeans.fit(data: data, k: 7, iterations: 5, seed: 3)
        #expect(Set(result.assignments).count == 7)
        #expect(result.repairs > 0)
    }

    @Test func repairMovesTheFarthestPointOfAClusterWithMoreThanOne() {
        let data = DenseMatrix(rows: 4, cols: 1, values: [0, 1, 2, 10])
        var assignments: [Int32] = [0, 0, 0, 0]
        var distances: [Float] = [9, 4, 1, 49]
        let repaired = KMeans.repairEmpty(data: data, k: 2, assignments: &assignments, distances: &distances)
        #expect(repaired == 1)
        #expect(assignments == [0, 0, 0, 1])
    }
}
