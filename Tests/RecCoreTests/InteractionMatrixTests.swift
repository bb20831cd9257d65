import Testing
@testable import RecCore

@Suite struct InteractionMatrixTests {
    @Test func buildsSortedRowsAndMergesDuplicates() {
        let m = InteractionMatrix(userCount: 3, itemCount: 4,
                                  users: [0, 0, 2, 0, 2], items: [3, 1, 0, 3, 2],
                                  values: [1, 2, 5, 1, 1])
        #expect(Array(m.items(ofUser: 0)) == [1, 3])
        #expect(Array(m.values(ofUser: 0)) == [2, 2])
        #expect(m.rowLength(1) == 0)
        #expect(Array(m.items(ofUser: 2)) == [0, 2])
        #expect(m.contains(user: 0, item: 3))
        #expect(!m.contains(user: 0, item: 2))
        #expect(m.itemCounts() == [1, 1, 1, 1])
    }

    @Test func transposeListsEachItemsUsers() {
        let m = InteractionMatrix(userCount: 3, itemCount: 2, users: [2, 0, 1], items: [1, 1, 0])
        let t = m.transposed()
        #expect(Array(t.users(ofItem: 1)) == [0, 2])
        #expect(Array(t.users(ofItem: 0)) == [1])
    }

    @Test func vocabularyIsDenseAndStable() {
        var v = Vocabulary()
        #expect(v.insert("b") == 0)
        #expect(v.insert("a") == 1)
        #expect(v.insert("b") == 0)
        #expect(v.lookup("a") == 1)
        #expect(v.lookup("zz") == nil)
        #expect(v.id(at: 1) == "a")
    }

    @Test func seededGeneratorIsDeterministic() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xa = (0..<5).map { _ in a.next() }
        let xb = (0..<5).map { _ in b.next() }
        let xc = (0..<5).map { _ in c.next() }
        #expect(xa == xb)
        #expect(xa != xc)
        var g = SeededGenerator(seed: 1)
        for _ in 0..<1000 {
            let f = g.nextUnitFloat()
            #expect(f >= 0 && f < 1)
        }
    }
}
