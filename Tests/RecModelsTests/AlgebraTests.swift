import RecCore
import Testing
@testable import RecModels

/// The linear algebra the models take from RecCore, on the inputs the models give it.
@Suite struct AlgebraTests {
    /// Popular-skewed binary rows: with a small λ, EASE's XᵀX + λI of these is badly conditioned.
    func skewedInteractions(items n: Int, users: Int, seed: UInt64) -> InteractionMatrix {
        var rng = SeededGenerator(seed: seed)
        var u: [Int32] = [], i: [Int32] = []
        for user in 0..<users {
            for item in Set((0..<20).map { _ in min(rng.nextIndex(below: n), rng.nextIndex(below: n)) }) {
                u.append(Int32(user)); i.append(Int32(item))
            }
        }
        return InteractionMatrix(userCount: users, itemCount: n, users: u, items: i)
    }

    /// EASE's inverse is float Cholesky now (it was a double-precision block inverse, because float
    /// Schur complements lost definiteness here); it must stay positive definite and accurate.
    @Test(arguments: [Float(0.5), 10, 100])
    func easeInverseOfAnIllConditionedGramIsAccurate(_ lambda: Float) throws {
        let x = skewedInteractions(items: 200, users: 2000, seed: 3)
        let g = EASE.regularizedGram(x, lambda: lambda)
        let inv = try _positiveDefinite { try Cholesky.inverse(g) }
        var worst = 0.0
        for r in 0..<g.rows {
            #expect(inv[r, r] > 0)
            for c in 0..<g.rows {
                var s = 0.0
                for p in 0..<g.rows { s += Double(g[r, p]) * Double(inv[p, c]) }
                worst = max(worst, abs(s - (r == c ? 1 : 0)))
            }
        }
        #expect(worst < 1e-2, "‖G·G⁻¹ − I‖∞ = \(worst) at λ = \(lambda)")
    }

    @Test func aFailedCholeskyPivotIsReportedAsALinearAlgebraError() {
        var m = DenseMatrix(rows: 2, cols: 2, values: [1, 2, 2, 1])
        let p = m.mutableBaseAddress()
        #expect(throws: LinearAlgebraError.notPositiveDefinite(pivot: 1, value: -3)) {
            try _positiveDefinite { try Cholesky.factorInPlace(p, n: 2, stride: m.stride) }
        }
        #expect(throws: LinearAlgebraError.self) { try _positiveDefinite { try Cholesky.inverse(m) } }
    }
}
