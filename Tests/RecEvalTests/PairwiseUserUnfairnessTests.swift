import RecCore
import Testing
@testable import RecEval

@Suite struct PairwiseUserUnfairnessTests {
    @Test func onlySimilarUsersCount() {
        // Users 0 and 1 have the same history (Jaccard 1), user 2 shares nothing with them.
        let train = rowsMatrix([[0, 1], [0, 1], [2, 3]], items: 4)
        let puf = PairwiseUserUnfairness.compute(train: train, users: [0, 1, 2],
                                                 effectiveness: [[1, 0, 1], [1, 1, 0]])
        #expect(puf == [1, 0])   // the similar pair differs by everything, then by nothing
    }

    @Test func weightedByJaccardByHand() {
        // s(0,1) = 1, s(0,2) = s(1,2) = |{1}| / |{0,1,2}| = 1/3; E = [1, ½, 0].
        let train = rowsMatrix([[0, 1], [0, 1], [1, 2]], items: 3)
        let puf = PairwiseUserUnfairness.compute(train: train, users: [0, 1, 2], effectiveness: [[1, 0.5, 0]])[0]
        #expect(abs(puf - (0.5 + 1.0 / 3 + 0.5 / 3) / (1 + 2.0 / 3)) < 1e-12)
        #expect(abs(puf - 0.6) < 1e-12)
    }

    @Test func extremesAndThreadIndependence() {
        var rows: [[Int32]] = []
        for u in 0..<60 { rows.append((0..<Int32(3 + u % 7)).map { ($0 * Int32(u % 5 + 1) + Int32(u)) % 40 }.uniqued()) }
        let train = rowsMatrix(rows, items: 40)
        let users = Array(0..<60)
        let equal = [Double](repeating: 0.3, count: 60)
        let mixed = users.map { Double(($0 * 37) % 11) / 10 }
        let one = PairwiseUserUnfairness.compute(train: train, users: users, effectiveness: [equal, mixed], threads: 1)
        let four = PairwiseUserUnfairness.compute(train: train, users: users, effectiveness: [equal, mixed], threads: 4)
        #expect(one == four)
        #expect(one[0] == 0)
        #expect(one[1] > 0 && one[1] <= 1)
        // Every similar pair at opposite ends of [0, 1]: impossible for three users who share items, so take
        // two users with one item each in common and E = 0, 1.
        let pair = PairwiseUserUnfairness.compute(train: rowsMatrix([[0], [0]], items: 1), users: [0, 1], effectiveness: [[0, 1]])
        #expect(pair == [1])
        #expect(PairwiseUserUnfairness.compute(train: rowsMatrix([[0], [1]], items: 2), users: [0, 1], effectiveness: [[0, 1]])[0].isNaN)
    }
}

extension Array where Element == Int32 {
    func uniqued() -> [Int32] { Array(Set(self)).sorted() }
}
