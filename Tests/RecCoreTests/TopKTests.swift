import Testing
@testable import RecCore

@Suite struct TopKTests {
    @Test(arguments: [0, 1, 5, 50, 200])
    func selectMatchesSortedReferenceWithTies(k: Int) {
        var rng = SeededGenerator(seed: UInt64(k) + 1)
        // Few distinct values, so ties are everywhere and must break by lower index.
        let scores = (0..<120).map { _ in Float(rng.nextIndex(below: 7)) }
        let exact = scores.map(Double.init)
        let got = TopK.select(scores: scores, k: k)
        let want = Reference.topK(exact, k: k)
        #expect(got.map(\.item) == want.map(\.0))
        #expect(got.map(\.score) == want.map { Float($0.1) })
    }

    @Test func insertionOrderDoesNotMatter() {
        var rng = SeededGenerator(seed: 9)
        let scores = (0..<300).map { _ in Float(rng.nextIndex(below: 11)) }
        var forward = TopK(k: 17), backward = TopK(k: 17)
        for i in 0..<300 { forward.insert(item: Int32(i), score: scores[i]) }
        for i in (0..<300).reversed() { backward.insert(item: Int32(i), score: scores[i]) }
        #expect(forward.sorted() == backward.sorted())
        #expect(forward.sorted() == TopK.select(scores: scores, k: 17))
    }

    @Test func nanAndNegativeInfinityAreNeverReturnedPositiveInfinityFirst() {
        let scores: [Float] = [1, .nan, -.infinity, .infinity, 0, .nan]
        let got = TopK.select(scores: scores, k: 10)
        #expect(got.map(\.item) == [3, 0, 4])
    }

    @Test func exclusionOfEveryItemGivesEmptyList() {
        let scores: [Float] = [3, 1, 2]
        #expect(TopK.select(scores: scores, k: 2, exclude: ExclusionSet(sorted: [0, 1, 2])).isEmpty)
        #expect(TopK.select(scores: scores, k: 2, exclude: ExclusionSet(sorted: [0])).map(\.item) == [2, 1])
        #expect(TopK.select(scores: [], k: 3).isEmpty)
    }

    @Test func allowListRestrictsCandidates() {
        let scores: [Float] = [5, 4, 3, 2, 1]
        let got = TopK.select(scores: scores, k: 2, exclude: ExclusionSet(sorted: [3]), allow: [4, 3, 1, 4])
        #expect(got.map(\.item) == [1, 4])
    }
}
