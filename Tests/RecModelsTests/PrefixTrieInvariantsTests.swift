import Foundation
import Testing
import RecCore
@testable import RecModels

/// `PrefixTrie._checkInvariants()` on tries of real and random codes (debug builds also run it at the end
/// of every `PrefixTrie.init`).
@Suite struct PrefixTrieInvariantsTests {
    /// The sample catalog's interactions as a binary user × item matrix (ids indexed in order of appearance).
    static func sampleMatrix() throws -> InteractionMatrix {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sample-data/sample.inter").path
        var userIndex: [Substring: Int32] = [:], itemIndex: [Substring: Int32] = [:]
        func index(_ id: Substring, _ indices: inout [Substring: Int32]) -> Int32 {
            if let n = indices[id] { return n }
            indices[id] = Int32(indices.count)
            return Int32(indices.count - 1)
        }
        var users: [Int32] = [], items: [Int32] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", maxSplits: 2)
            guard fields.count >= 2 else { continue }
            users.append(index(fields[0], &userIndex))
            items.append(index(fields[1], &itemIndex))
        }
        let m = InteractionMatrix(userCount: userIndex.count, itemCount: itemIndex.count, users: users, items: items)
        return InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart, itemIndices: m.itemIndices,
                                 values: [Float](repeating: 1, count: m.nonZeroCount))
    }

    @Test func theTrieOfSemanticIDsLearnedOnTheSampleCatalogHoldsItsInvariants() throws {
        let m = try Self.sampleMatrix()
        let params = ["factors": "8", "iterations": "2", "levels": "3", "codes": "8", "beam": "4"]
        let sid = try #require(try ModelKind.sid.train(m, params: params) as? SemanticIDRetriever)
        sid.trie._checkInvariants()
        #expect(sid.trie.itemCount == m.itemCount && sid.trie.levels == 3)
        #expect(sid.trie.nodeCount(level: 0) <= 8 && sid.trie.nodeCount(level: 2) <= m.itemCount)
    }

    @Test(arguments: [1, 2, 4])
    func triesOfRandomCodesHoldTheirInvariants(levels: Int) {
        var rng = SeededGenerator(seed: UInt64(levels))
        for (items, codes) in [(1, 1), (50, 2), (500, 7)] {
            let trie = PrefixTrie(codes: (0..<(items * levels)).map { _ in Int32(rng.nextIndex(below: codes)) }, levels: levels)
            trie._checkInvariants()
            #expect(trie.itemOrder.sorted() == (0..<Int32(items)).map { $0 })
        }
    }
}
