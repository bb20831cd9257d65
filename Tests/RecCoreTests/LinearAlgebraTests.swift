import Testing
@testable import RecCore

@Suite struct LinearAlgebraTests {
    /// A random SPD matrix: B·Bᵀ/n + I, in Double and Float.
    static func spd(_ n: Int, seed: UInt64) -> (DenseMatrix, [[Double]]) {
        let b = Reference.matrix(n, n, seed: seed)
        var exact = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for p in 0..<n { s += Double(b[i, p]) * Double(b[j, p]) }
                s = s / Double(n) + (i == j ? 1 : 0)
                exact[i][j] = s
                exact[j][i] = s
            }
        }
        return (DenseMatrix(rows: n, cols: n) { Float(exact[$0][$1]) }, exact)
    }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (17, 33, 65), (40, 21, 300)])
    func multiplyTransposedMatchesReference(m: Int, n: Int, d: Int) {
        let a = Reference.matrix(m, d, seed: 1), b = Reference.matrix(n, d, seed: 2)
        for threads in [1, 2] {
            let c = Gemm.multiplyTransposed(a, b, threads: threads)
            for i in 0..<m {
                for j in 0..<n {
                    #expect(abs(Double(c[i, j]) - Reference.dot(a.rowArray(i), b.rowArray(j))) < 1e-3)
                }
            }
            for i in 0..<m { for j in n..<c.stride { #expect(c.row(i)[j] == 0) } }
        }
    }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (17, 33, 65), (40, 21, 300), (6, 40, 700)])
    func multiplyMatchesReference(m: Int, n: Int, d: Int) {
        let a = Reference.matrix(m, d, seed: 3), b = Reference.matrix(d, n, seed: 4), prior = Reference.matrix(m, n, seed: 5)
        var one: DenseMatrix? = nil
        for threads in [1, 2] {
            var c = prior
            Gemm.multiply(a, b, into: &c, alpha: 0.5, accumulate: true, threads: threads)
            for i in 0..<m {
                for j in 0..<n {
                    let exact = (0..<d).reduce(0.0) { $0 + Double(a[i, $1]) * Double(b[$1, j]) }
                    #expect(abs(Double(c[i, j]) - (Double(prior[i, j]) + 0.5 * exact)) < 1e-3)
                }
            }
            if let one { #expect(one.rowArray(m - 1) == c.rowArray(m - 1), "1 and 2 threads give the same bits") }
            one = c
            let fresh = Gemm.multiply(a, b, threads: threads)
            for i in 0..<m { for j in n..<fresh.stride { #expect(fresh.row(i)[j] == 0, "padding stays zero") } }
        }
    }

    @Test(arguments: [1, 2, 3])
    func symmetricProductMatchesGeneralProduct(threads: Int) {
        for m in [1, 5, 37, 70] {
            let x = Reference.matrix(m, 23, seed: UInt64(m))
            let sym = Gemm.symmetricProduct(x, threads: threads)
            let full = Gemm.multiplyTransposed(x, x)
            for i in 0..<m {
                for j in 0..<m {
                    #expect(sym[i, j] == sym[j, i])
                    #expect(abs(sym[i, j] - full[i, j]) < 1e-4)
                }
            }
        }
    }

    @Test func denseGramIsXTransposeX() {
        let x = Reference.matrix(29, 19, seed: 3)
        let g = Gram.dense(x)
        #expect(g.rows == 19 && g.cols == 19)
        for a in 0..<19 {
            for b in 0..<19 {
                var s = 0.0
                for u in 0..<29 { s += Double(x[u, a]) * Double(x[u, b]) }
                #expect(abs(Double(g[a, b]) - s) < 1e-3)
            }
        }
    }

    @Test func sparseGramMatchesDenseGramForAnyThreadCount() {
        var rng = SeededGenerator(seed: 4)
        var users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        for _ in 0..<300 {
            users.append(Int32(rng.nextIndex(below: 40)))
            items.append(Int32(rng.nextIndex(below: 23)))
            values.append(Float(rng.nextIndex(below: 5) + 1))
        }
        let x = InteractionMatrix(userCount: 40, itemCount: 23, users: users, items: items, values: values)
        var dense = DenseMatrix(rows: 40, cols: 23)
        for u in 0..<40 {
            for (i, v) in zip(x.items(ofUser: u), x.values(ofUser: u)) { dense[u, Int(i)] = v }
        }
        let want = Gram.dense(dense)
        let one = Gram.sparse(x, threads: 1), two = Gram.sparse(x, threads: 2)
        #expect(one == two)
        #expect(one == want)  // small integers: exact in Float
        let binary = InteractionMatrix(userCount: 3, itemCount: 3, users: [0, 0, 1, 2, 2], items: [0, 1, 1, 1, 2])
        #expect(Gram.sparse(binary).toArray() == [1, 1, 0, 1, 3, 1, 0, 1, 1])
    }

    @Test(arguments: [1, 2, 15, 64, 65, 130])
    func choleskyReconstructsAndSolves(n: Int) throws {
        let (a, exact) = Self.spd(n, seed: UInt64(n))
        let l = try Cholesky.factored(a)
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                if j > i { #expect(l[i, j] == 0) }
                var s = 0.0
                for p in 0...min(i, j) { s += Double(l[i, p]) * Double(l[j, p]) }
                worst = max(worst, abs(s - exact[i][j]))
            }
        }
        #expect(worst < 1e-4 * Double(n))
        var rng = SeededGenerator(seed: 99)
        let b = (0..<n).map { _ in rng.nextUnitFloat() - 0.5 }
        let x = try Cholesky.solve(a, b)
        for i in 0..<n {
            let r = (0..<n).reduce(0.0) { $0 + exact[i][$1] * Double(x[$1]) } - Double(b[i])
            #expect(abs(r) < 1e-3)
        }
        // Many right-hand sides at once agree with one-at-a-time solves.
        var bm = DenseMatrix(rows: n, cols: 3) { i, j in Float(i + j) / Float(n) }
        try Cholesky.solve(factor: l, &bm)
        var col = (0..<n).map { Float($0 + 2) / Float(n) }
        try Cholesky.solve(factor: l, &col)
        for i in 0..<n { #expect(abs(bm[i, 2] - col[i]) < 1e-4 * max(1, abs(col[i]))) }
    }

    @Test func inverseTimesMatrixIsIdentity() throws {
        let n = 71
        let (a, exact) = Self.spd(n, seed: 7)
        for threads in [1, 2] {
            let inv = try Cholesky.inverse(a, threads: threads)
            for i in 0..<n {
                for j in 0..<n {
                    let s = (0..<n).reduce(0.0) { $0 + exact[i][$1] * Double(inv[$1, j]) }
                    #expect(abs(s - (i == j ? 1 : 0)) < 1e-3)
                }
            }
        }
    }

    @Test func notPositiveDefiniteIsReportedWithThePivot() {
        var a = DenseMatrix(rows: 3, cols: 3, values: [4, 2, 0, 2, 1, 0, 0, 0, 1])  // singular leading 2×2
        #expect(throws: CholeskyError.notPositiveDefinite(pivot: 1, value: 0)) { try Cholesky.factor(&a) }
        var b = DenseMatrix(rows: 2, cols: 2, values: [1, 0, 0, .nan])
        #expect(throws: CholeskyError.self) { try Cholesky.factor(&b) }
        var c = DenseMatrix(rows: 2, cols: 3)
        #expect(throws: CholeskyError.notSquare(rows: 2, cols: 3)) { try Cholesky.factor(&c) }
    }
}
