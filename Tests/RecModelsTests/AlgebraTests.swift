import RecCore
import Testing
@testable import RecModels

@Suite struct AlgebraTests {
    func random(_ rows: Int, _ cols: Int, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        return DenseMatrix.random(rows: rows, cols: cols, using: &rng)
    }

    /// A random SPD matrix AᵀA/rows + I.
    func spd(_ n: Int, seed: UInt64) -> DenseMatrix {
        let a = random(2 * n, n, seed: seed)
        var g = Gram.dense(a)
        for i in 0..<n { g[i, i] += 1 }
        return g
    }

    @Test(arguments: [3, 64, 65, 150, 300])
    func positiveDefiniteInverseTimesTheMatrixIsTheIdentity(_ n: Int) throws {
        let g = spd(n, seed: UInt64(n))
        let inv = try ModelAlgebra.inverse(g)
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<n { s += Double(g[i, p]) * Double(inv[p, j]) }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-4, "‖G·G⁻¹ − I‖∞ = \(worst)")
    }

    /// XᵀX + λI with a small λ is badly conditioned; float32 Schur complements lost definiteness here.
    @Test func illConditionedGramStaysPositiveDefinite() throws {
        var rng = SeededGenerator(seed: 3)
        let n = 200
        var g = DenseMatrix(rows: n, cols: n)
        for _ in 0..<2000 {  // users with popular-skewed binary rows
            let items = Set((0..<20).map { _ in min(rng.nextIndex(below: n), rng.nextIndex(below: n)) })
            for a in items { for b in items { g[a, b] += 1 } }
        }
        for i in 0..<n { g[i, i] += 0.5 }
        let inv = try ModelAlgebra.inverse(g)
        for i in 0..<n { #expect(inv[i, i] > 0) }
    }

    @Test func inverseRefusesAMatrixThatIsNotPositiveDefinite() {
        let m = DenseMatrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        #expect(throws: LinearAlgebraError.self) { try ModelAlgebra.inverse(m) }
    }

    @Test func aFailedCholeskyPivotIsReportedAsALinearAlgebraError() {
        var m = DenseMatrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        let p = m.mutableBaseAddress()
        #expect(throws: LinearAlgebraError.notPositiveDefinite(pivot: 1, value: -3)) {
            try _positiveDefinite { try Cholesky.factorInPlace(p, n: 2, stride: m.stride) }
        }
    }
}
