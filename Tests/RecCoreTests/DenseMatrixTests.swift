import Foundation
import Testing
@testable import RecCore

@Suite struct DenseMatrixTests {
    @Test func rowsArePaddedAlignedAndZeroFilled() {
        let m = Reference.matrix(5, 19, seed: 1)
        #expect(m.stride == 32)
        #expect(Int(bitPattern: m.baseAddress) % 64 == 0)
        for r in 0..<5 {
            for c in 19..<32 { #expect(m.row(r)[c] == 0) }
        }
        #expect(DenseMatrix.paddedStride(0) == 0)
        #expect(DenseMatrix.paddedStride(16) == 16)
        #expect(DenseMatrix.paddedStride(17) == 32)
    }

    @Test func valuesRoundTripAndCopiesAreIndependent() {
        let values = (0..<21).map { Float($0) * 0.5 }
        let a = DenseMatrix(rows: 3, cols: 7, values: values)
        #expect(a.toArray() == values)
        #expect(a[2, 3] == values[2 * 7 + 3])
        var b = a
        b[0, 0] = 99
        #expect(a[0, 0] == 0)
        #expect(b[0, 0] == 99)
        #expect(a != b)
    }

    @Test func blobIsLittleEndianUnpaddedFloat32AndRoundTrips() throws {
        let a = DenseMatrix(rows: 2, cols: 3, values: [1, -2, 0.5, 3, 4, 5])
        let blob = a.blob()
        #expect(blob.count == 24)
        #expect(Array(blob[0..<4]) == [0x00, 0x00, 0x80, 0x3F])  // 1.0f little-endian
        let b = try DenseMatrix(blob: blob, rows: 2, cols: 3)
        #expect(a == b)
        #expect(throws: DenseMatrixBlobError.self) { try DenseMatrix(blob: blob, rows: 3, cols: 3) }
        let empty = try DenseMatrix(blob: [], rows: 0, cols: 8)
        #expect(empty.rows == 0)
    }

    @Test func viewsShareRowsAndKeepTheirOffset() {
        let m = Reference.matrix(10, 4, seed: 2)
        let v = m.rows(3..<8)
        #expect(v.rows == 5 && v.firstRow == 3)
        #expect(v.row(0) == m.row(3))
        let w = v.rows(1..<3)
        #expect(w.firstRow == 4 && w.row(1) == m.row(5))
    }

    @Test func transposeSwapsIndices() {
        let m = Reference.matrix(37, 21, seed: 3)
        let t = m.transposed()
        #expect(t.rows == 21 && t.cols == 37)
        for r in 0..<37 { for c in 0..<21 { #expect(t[c, r] == m[r, c]) } }
        #expect(t.transposed() == m)
    }

    @Test func finitenessCheckFindsNaNAndInfinity() {
        var m = Reference.matrix(3, 3, seed: 4)
        #expect(m.allFinite())
        m[1, 2] = .nan
        #expect(!m.allFinite())
        m[1, 2] = -.infinity
        #expect(!m.allFinite())
    }
}

@Suite struct DenseMatrixRowsTests {
    @Test func normsNormalisationAndGather() {
        let m = DenseMatrix(rows: 3, cols: 2, values: [3, 4, 0, 0, 1, 0])
        #expect(m.rowNorms() == [5, 0, 1])
        let u = m.normalizedRows()
        #expect(u.toArray() == [0.6, 0.8, 0, 0, 1, 0])
        let g = m.gatherRows([2, 0, 2])
        #expect(g.toArray() == [1, 0, 3, 4, 1, 0])
    }

    @Test func weightedRowSumIsASparseRowTimesTheMatrix() {
        let m = Reference.matrix(9, 21, seed: 8)
        let x = InteractionMatrix(userCount: 1, itemCount: 9, users: [0, 0, 0], items: [7, 2, 4], values: [1, 0.5, -2])
        let got = m.weightedRowSum(indices: x.items(ofUser: 0), weights: x.values(ofUser: 0))
        for c in 0..<21 {
            let want = Double(m[2, c]) * 0.5 + Double(m[4, c]) * -2 + Double(m[7, c])
            #expect(abs(Double(got[c]) - want) < 1e-5)
        }
        #expect(m.weightedRowSum(indices: [Int32](), weights: [Float]()) == [Float](repeating: 0, count: 21))
    }

    @Test func parallelMapIsIndependentOfThreads() {
        let one = Parallel.map(count: 1000, threads: 1) { $0 * $0 }
        let two = Parallel.map(count: 1000, threads: 2) { $0 * $0 }
        #expect(one == two)
        #expect(one[999] == 998_001)
        #expect(Parallel.map(count: 0, threads: 2) { $0 }.isEmpty)
    }

    @Test func bothRunsTheFirstPieceOnTheCallingThreadAndWaitsForTheSecond() {
        let caller = pthread_self()
        var first = (ran: false, onCaller: false), second = false
        Parallel.both({
            first = (true, pthread_equal(pthread_self(), caller) != 0)
        }, {
            second = true
        })
        #expect(first.ran && first.onCaller && second)
    }
}
