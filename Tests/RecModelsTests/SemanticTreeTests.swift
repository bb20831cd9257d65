import Foundation
import RecCore
import Testing
@testable import RecModels

@Suite struct SemanticTreeTests {
    /// Seven items on two levels (3 × 2 codes); items 0, 2 and 6 share the whole path 1-0.
    static func handMade() -> SemanticTree {
        let codes: [Int32] = [1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 2, 0, 1, 0]
        let ids = SemanticIDs(codebooks: [DenseMatrix(rows: 3, cols: 1, values: [0, 1, 2]),
                                          DenseMatrix(rows: 2, cols: 1, values: [0, 0.5])], codes: codes)
        return SemanticTree(
            ids: ids,
            categories: [["Drama"], ["Comedy"], ["Drama", "Comedy"], ["Drama"], ["Comedy", "Comedy"], [], ["Action"]],
            titles: ["A", "B", "C", "D", "E", "F", "G"],
            popularity: [5, 9, 7, 7, 1, 3, 7])
    }

    @Test func countsChildrenAndOrder() {
        let tree = Self.handMade()
        #expect(tree.itemCount == 7 && tree.nodeCount == 8)
        #expect(tree.order == [1, 4, 0, 2, 6, 3, 5])
        #expect(tree.children(of: tree.root) == 1..<4)
        #expect(tree.children(of: tree.root).map { tree.code(of: $0) } == [0, 1, 2])
        #expect(tree.children(of: tree.root).map { tree.itemCount(of: $0) } == [2, 4, 1])
        let one = tree.node(prefix: "1")!
        #expect(tree.children(of: one).map { tree.prefix(of: $0) } == ["1-0", "1-1"])
        #expect(tree.children(of: one).map { tree.itemCount(of: $0) } == [3, 1])
        #expect(Array(tree.items(of: tree.node(prefix: "1-0")!)) == [0, 2, 6])
        #expect(tree.children(of: tree.node(prefix: "1-0")!).isEmpty)
        #expect(tree.depth(of: tree.node(prefix: "1-0")!) == 2 && tree.depth(of: tree.root) == 0)
        #expect(tree.usage == [[2, 4, 1], [4, 3]])
        #expect(tree.usedCodes(level: 0) == 3 && tree.usedCodes(level: 1) == 2)
    }

    @Test func topCategoriesHaveSharesAndBreakTiesByName() {
        let tree = Self.handMade()
        let one = tree.topCategories(of: tree.node(prefix: "1")!)
        #expect(one.map(\.name) == ["Drama", "Action", "Comedy"])
        #expect(one.map(\.items) == [3, 1, 1])
        #expect(one.map(\.share) == [0.75, 0.25, 0.25])
        #expect(tree.topCategories(of: tree.root).map(\.name) == ["Comedy", "Drama", "Action"])
        // An item naming a category twice counts once.
        #expect(tree.topCategories(of: tree.node(prefix: "0-1")!) == [.init(name: "Comedy", items: 2, share: 1)])
        #expect(tree.topCategories(of: tree.node(prefix: "2")!).isEmpty)
    }

    @Test func examplesAreMostPopularFirstTiesByIndex() {
        let tree = Self.handMade()
        #expect(tree.examples(of: tree.node(prefix: "1")!) == [2, 3, 6])
        #expect(tree.exampleTitles(of: tree.node(prefix: "1")!) == ["C", "D", "G"])
        #expect(tree.examples(of: tree.root) == [1, 2, 3])
        #expect(tree.exampleTitles(of: tree.node(prefix: "2-0")!) == ["F"])
    }

    @Test func lookups() {
        let tree = Self.handMade()
        #expect(tree.node(prefix: "") == tree.root)
        #expect(tree.node(prefix: " 1 - 0 ") == tree.node(codes: [1, 0]))
        #expect(tree.node(prefix: "1-2") == nil && tree.node(prefix: "x") == nil && tree.node(prefix: "1--0") == nil)
        #expect(tree.prefix(of: tree.nearest(to: [1, 5])) == "1-1")
        #expect(tree.prefix(of: tree.nearest(to: [7])) == "2")
        #expect(tree.prefix(of: tree.nearest(to: [0, 0])) == "0-1")
        #expect(tree.prefix(of: tree.nearest(to: [1, 0])) == "1-0")
        #expect(tree.path(of: 6).map { tree.prefix(of: $0) } == ["1", "1-0"])
        #expect(tree.leaf(of: 6) == tree.node(prefix: "1-0"))
        #expect(tree.pathString(of: 6) == "1-0-2" && tree.pathString(of: 3) == "1-1-0")
        #expect(tree.parent(of: tree.node(prefix: "1-0")!) == tree.node(prefix: "1"))
        #expect(tree.parent(of: tree.root) == nil && tree.code(of: tree.root) == nil)
    }

    /// On random codes: children partition their parent, every item sits in the leaf of its own path,
    /// and the per-level usage adds up to the items. Prints the build time for 100k items.
    @Test func largeRandomTreeIsConsistent() {
        var rng = SeededGenerator(seed: 3)
        let n = 100_000, levels = 3, k = 256
        var codes = [Int32](repeating: 0, count: n * levels)
        for i in codes.indices { codes[i] = Int32(min(rng.nextIndex(below: k), rng.nextIndex(below: k))) }
        let ids = SemanticIDs(codebooks: (0..<levels).map { _ in DenseMatrix(rows: k, cols: 2) }, codes: codes)
        let genres = ["Drama", "Comedy", "Action", "Horror", "Crime", "Romance"]
        let categories = (0..<n).map { [genres[$0 % 6], genres[($0 / 6) % 6]] }
        let titles = (0..<n).map { "item \($0)" }
        let popularity = (0..<n).map { ($0 * 7919) % 1000 }
        let start = Date()
        let tree = SemanticTree(ids: ids, categories: categories, titles: titles, popularity: popularity)
        print("SemanticTree of \(n) items × \(levels) levels of \(k): \(Int(Date().timeIntervalSince(start) * 1000)) ms (this build)")
        for node in 0..<tree.nodeCount where !tree.children(of: node).isEmpty {
            #expect(tree.children(of: node).reduce(0) { $0 + tree.itemCount(of: $1) } == tree.itemCount(of: node))
        }
        for item in stride(from: 0, to: n, by: 997) {
            let leaf = tree.leaf(of: item)
            #expect(tree.items(of: leaf).contains(Int32(item)))
            #expect(tree.codes(of: leaf) == Array(ids.path(of: item)))
        }
        #expect(tree.usage.allSatisfy { $0.reduce(0, +) == n })
        #expect(tree.examples(of: tree.root).map { popularity[$0] } == [999, 999, 999])
    }
}
