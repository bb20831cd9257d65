import Foundation
import Testing
@testable import RecCore

@Suite struct KernelTests {
    @Test(arguments: [0, 1, 7, 15, 16, 17, 31, 32, 33, 63, 100])
    func vectorKernelsMatchDoubleReference(count: Int) {
        var rng = SeededGenerator(seed: UInt64(count) + 10)
        let a = (0..<count).map { _ in rng.nextUnitFloat() * 2 - 1 }
        let b = (0..<count).map { _ in rng.nextUnitFloat() * 2 - 1 }
        let dot = Reference.dot(a, b)
        let l2 = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let na = Reference.dot(a, a).squareRoot(), nb = Reference.dot(b, b).squareRoot()
        #expect(abs(Double(Kernels.dot(a, b)) - dot) < 1e-4)
        #expect(abs(Double(Kernels.squaredL2(a, b)) - l2) < 1e-4)
        #expect(abs(Double(Kernels.norm(a)) - na) < 1e-4)
        let cos = na == 0 || nb == 0 ? 0 : dot / (na * nb)
        #expect(abs(Double(Kernels.cosine(a, b)) - cos) < 1e-4)
        var y = b
        Kernels.axpy(0.5, a, &y)
        for i in 0..<count { #expect(abs(y[i] - (b[i] + 0.5 * a[i])) < 1e-6) }
        let sum = a.reduce(0.0) { $0 + Double($1) }
        let s = a.withUnsafeBufferPointer { Kernels.sum($0.baseAddress ?? UnsafePointer(bitPattern: 64)!, count: count) }
        #expect(abs(Double(s) - sum) < 1e-4)
    }

    @Test func cosineOfZeroVectorIsZero() {
        #expect(Kernels.cosine([0, 0, 0], [1, 2, 3]) == 0)
    }

    @Test func nanPropagatesThroughDot() {
        #expect(Kernels.dot([1, .nan, 3], [1, 1, 1]).isNaN)
    }

    @Test func matrixTimesVectorMatchesReference() {
        let m = Reference.matrix(23, 37, seed: 5)
        var rng = SeededGenerator(seed: 6)
        let v = (0..<37).map { _ in rng.nextUnitFloat() - 0.5 }
        let got = Kernels.multiply(m, v)
        let want = Reference.scores(m, v)
        for i in 0..<23 { #expect(abs(Double(got[i]) - want[i]) < 1e-4) }
    }
}

@Suite struct ExpKernelTests {
    @Test func expMatchesTheLibraryAcrossItsRange() {
        var worst = 0.0
        var x: Float = -87
        while x < 88 {
            let lanes = SIMD16<Float>((0..<16).map { x + Float($0) * 0.0037 })
            let got = Kernels.exp16(lanes)
            for i in 0..<16 {
                let exact = Foundation.exp(Double(lanes[i]))
                worst = max(worst, abs(Double(got[i]) - exact) / exact)
            }
            x += 0.0593
        }
        #expect(worst < 4e-7, "relative error \(worst)")
        #expect(Kernels.exp(0) == 1)
        #expect(Kernels.exp(-200) < 1e-37)
        #expect(Kernels.exp(Float.nan).isNaN)
    }

    @Test func tanhMatchesTheLibraryAndSaturates() {
        for x in stride(from: Float(-12), through: 12, by: 0.013) {
            let got = Kernels.tanh16(SIMD16(repeating: x))[0]
            #expect(abs(Double(got) - Foundation.tanh(Double(x))) < 2e-7, "tanh(\(x))")
        }
        #expect(Kernels.tanh16(SIMD16(repeating: 50))[3] == 1)
        #expect(Kernels.tanh16(SIMD16(repeating: -50))[3] == -1)
    }
}
