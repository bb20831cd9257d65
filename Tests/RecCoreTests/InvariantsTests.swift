import Foundation
import Testing
@testable import RecCore

/// `_checkInvariants()` of `TopK` and `InteractionMatrix` on the sample catalog's interactions (debug builds
/// also run them after every mutation; release builds compile them to nothing).
@Suite struct InvariantsTests {
    /// `sample-data/sample.inter` as a user × item matrix (ids mapped to indices in order of appearance),
    /// with the ratings as values.
    static let sample: InteractionMatrix = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sample-data/sample.inter").path
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        func index(_ id: Substring, _ indices: inout [Substring: Int32]) -> Int32 {
            if let n = indices[id] { return n }
            indices[id] = Int32(indices.count)
            return Int32(indices.count - 1)
        }
        var userIndex: [Substring: Int32] = [:], itemIndex: [Substring: Int32] = [:]
        var users: [Int32] = [], items: [Int32] = [], ratings: [Float] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let rating = Float(fields[2]) else { continue }
            users.append(index(fields[0], &userIndex))
            items.append(index(fields[1], &itemIndex))
            ratings.append(rating)
        }
        return InteractionMatrix(userCount: userIndex.count, itemCount: itemIndex.count, users: users, items: items, values: ratings)
    }()

    @Test func interactionMatricesOfTheSampleCatalogHoldTheirInvariants() {
        let m = Self.sample
        #expect(m.nonZeroCount > 90_000 && m.userCount == 2000)
        m._checkInvariants()
        let binary = InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart,
                                       itemIndices: m.itemIndices, values: [Float](repeating: 1, count: m.nonZeroCount))
        binary._checkInvariants()
        // Users with no interactions, and an empty matrix.
        let wider = InteractionMatrix(userCount: m.userCount + 3, itemCount: m.itemCount + 1,
                                      rowStart: m.rowStart + [Int](repeating: m.nonZeroCount, count: 3),
                                      itemIndices: m.itemIndices, values: m.values)
        wider._checkInvariants()
        InteractionMatrix(userCount: 0, itemCount: 0, users: [], items: [])._checkInvariants()
    }

    @Test(arguments: [1, 10, 100])
    func topKOverTheSampleCatalogHoldsItsInvariants(k: Int) {
        let m = Self.sample
        let popularity = m.itemCounts().map(Float.init)
        var rng = SeededGenerator(seed: UInt64(k))
        for u in stride(from: 0, to: m.userCount, by: 40) {
            var top = TopK(k: k)
            for i in 0..<m.itemCount {
                let score = popularity[i] + (m.contains(user: u, item: Int32(i)) ? 100 : 0) + rng.nextUnitFloat()
                if score > top.gate { top.insert(item: Int32(i), score: score) }
            }
            top._checkInvariants()
            #expect(top.count == min(k, m.itemCount))
        }
        // Unusual scores: NaN and −∞ are refused, +∞ and −0 kept.
        var top = TopK(k: 3)
        for (i, s) in [Float.nan, -.infinity, .infinity, -0.0, 0, 1, .nan, 2].enumerated() { top.insert(item: Int32(i), score: s) }
        top._checkInvariants()
        #expect(top.sorted().map(\.item) == [2, 7, 5])
        TopK(k: 0)._checkInvariants()
    }

    #if RECSCOPE_INTERNAL_CHECKS
    @Test func aMatrixWithAnUnsortedRowTrapsInDebugBuilds() async {
        await #expect(processExitsWith: .failure) {
            _ = InteractionMatrix(userCount: 1, itemCount: 3, rowStart: [0, 2], itemIndices: [2, 1], values: [1, 1])
        }
        await #expect(processExitsWith: .failure) {
            _ = InteractionMatrix(userCount: 1, itemCount: 3, rowStart: [0, 1], itemIndices: [3], values: [1])
        }
    }
    #endif
}
