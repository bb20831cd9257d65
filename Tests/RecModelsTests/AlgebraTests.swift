import RecCore
import Testing
@testable import RecModels

@Suite struct AlgebraTests {
    func random(_ rows: Int, _ cols: Int, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        return DenseMatrix.random(rows: rows, cols: cols, using: &rng)
    }

    @Test(arguments: [(1, 1, 1), (5, 17, 3), (33, 20, 300), (4, 16, 16), (70, 45, 513)])
    func multiplyAddMatchesADoubleReference(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = random(m, k, seed: 1), b = random(k, n, seed: 2)
        var c = random(m, n, seed: 3)
        let before = c
        let base = c.mutableBaseAddress()
        ModelAlgebra.multiplyAdd(m: m, n: n, k: k, alpha: -0.5, a: a.baseAddress, lda: a.stride,
                                 b: b.baseAddress, ldb: b.stride, c: base, ldc: c.stride)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
                let want = Double(before[i, j]) - 0.5 * s
                #expect(abs(Double(c[i, j]) - want) < 1e-4 * Double(k), "(\(i), \(j))")
            }
            for j in n..<c.stride { #expect(c.row(i)[j] == 0, "padding must stay zero") }
        }
    }

    /// A random SPD matrix AᵀA/rows + I.
    func spd(_ n: Int, seed: UInt64) -> DenseMatrix {
        let a = random(2 * n, n, seed: seed)
        var g = ModelAlgebra.gram(a)
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

    @Test func choleskySolveSolves() throws {
        let n = 20
        var g = spd(n, seed: 9)
        let original = g
        let want = (0..<n).map { Float($0) / 10 - 1 }
        var b = Kernels.multiply(original, want)
        b += [Float](repeating: 0, count: g.stride - n)
        try ModelAlgebra.choleskyFactor(g.mutableBaseAddress(), n: n, ld: g.stride)
        b.withUnsafeMutableBufferPointer { ModelAlgebra.choleskySolve(g.baseAddress, n: n, ld: g.stride, $0.baseAddress!) }
        for i in 0..<n { #expect(abs(b[i] - want[i]) < 1e-3) }
    }
}
