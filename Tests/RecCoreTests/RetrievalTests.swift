import Testing
@testable import RecCore

@Suite struct RetrievalTests {
    @Test(arguments: [(1, 1), (37, 13), (100, 64), (53, 70)])
    func singleQueryMatchesExactReference(items n: Int, dim d: Int) {
        let items = Reference.matrix(n, d, seed: UInt64(n * 100 + d))
        let query = Reference.matrix(1, d, seed: 7).rowArray(0)
        let exact = Reference.scores(items, query)
        for k in [0, 1, 10, n + 5] {
            let got = Retrieval.topK(query: query, items: items, k: k)
            #expect(Reference.agrees(got, exact: exact, k: k))
        }
        let exclude: Set<Int32> = Set((0..<Int32(n)).filter { $0 % 3 == 0 })
        let got = Retrieval.topK(query: query, items: items, k: 5, exclude: ExclusionSet(unsorted: exclude))
        #expect(Reference.agrees(got, exact: exact, k: 5, exclude: exclude))
        let allow: [Int32] = (0..<Int32(n)).filter { $0 % 2 == 1 }
        let allowed = Retrieval.topK(query: query, items: items, k: 4, exclude: ExclusionSet(unsorted: exclude),
                                     allow: allow.reversed())
        #expect(Reference.agrees(allowed, exact: exact, k: 4, exclude: exclude, allow: Set(allow)))
    }

    @Test(arguments: [1, 3, 4, 5, 17, 33])
    func batchedMatchesExactReference(queries q: Int) {
        let items = Reference.matrix(203, 21, seed: 11)
        let queries = Reference.matrix(q, 21, seed: UInt64(q))
        var rng = SeededGenerator(seed: 12)
        let exclusions = (0..<q).map { _ in
            ExclusionSet(unsorted: (0..<20).map { _ in Int32(rng.nextIndex(below: 203)) })
        }
        for k in [0, 1, 9, 250] {
            let got = BatchedRetrieval.topK(queries: queries, items: items, k: k, exclude: exclusions)
            #expect(got.count == q)
            for j in 0..<q {
                let exact = Reference.scores(items, queries.rowArray(j))
                #expect(Reference.agrees(got[j], exact: exact, k: k, exclude: Set(exclusions[j].sortedItems)))
            }
        }
    }

    @Test func integerDataGivesExactTieBreaksInEveryKernel() {
        // Small integers make every float dot product exact, so lists must equal the reference exactly.
        let items = Reference.matrix(150, 9, seed: 21, integers: true)
        let queries = Reference.matrix(20, 9, seed: 22, integers: true)
        let batched = BatchedRetrieval.topK(queries: queries, items: items, k: 30)
        for j in 0..<20 {
            let exact = Reference.scores(items, queries.rowArray(j))
            let want = Reference.topK(exact, k: 30).map { ScoredItem(item: $0.0, score: Float($0.1)) }
            #expect(batched[j] == want)
            #expect(Retrieval.topK(query: queries.rowArray(j), items: items, k: 30) == want)
        }
    }

    @Test func oneAndTwoThreadsGiveIdenticalResults() {
        let items = Reference.matrix(301, 24, seed: 31)
        let queries = Reference.matrix(40, 24, seed: 32)
        let exclusions = (0..<40).map { ExclusionSet(sorted: [Int32($0), Int32($0 + 100)]) }
        let one = BatchedRetrieval.topK(queries: queries, items: items, k: 12, exclude: exclusions, threads: 1)
        let two = BatchedRetrieval.topK(queries: queries, items: items, k: 12, exclude: exclusions, threads: 2)
        #expect(one == two)
    }

    @Test func emptyInputsAndFullExclusion() {
        let empty = DenseMatrix(rows: 0, cols: 8)
        let queries = Reference.matrix(5, 8, seed: 41)
        #expect(BatchedRetrieval.topK(queries: queries, items: empty, k: 3) == Array(repeating: [], count: 5))
        #expect(BatchedRetrieval.topK(queries: empty, items: queries, k: 3).isEmpty)
        #expect(Retrieval.topK(query: queries.rowArray(0), items: empty, k: 3).isEmpty)
        let all = ExclusionSet(sorted: (0..<5).map(Int32.init))
        let got = BatchedRetrieval.topK(queries: queries, items: queries, k: 3,
                                        exclude: Array(repeating: all, count: 5))
        #expect(got.allSatisfy { $0.isEmpty })
        #expect(Retrieval.topK(query: queries.rowArray(0), items: queries, k: 3, exclude: all).isEmpty)
    }

    @Test func nanItemsAreNeverReturned() {
        var items = Reference.matrix(40, 8, seed: 51)
        items[7, 3] = .nan
        let queries = Reference.matrix(6, 8, seed: 52)
        for list in BatchedRetrieval.topK(queries: queries, items: items, k: 40) {
            #expect(list.count == 39)
            #expect(!list.contains { $0.item == 7 })
        }
    }
}
