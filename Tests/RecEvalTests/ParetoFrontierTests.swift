import Foundation
import RecCore
import Testing
@testable import RecEval

@Suite struct ParetoFrontierTests {
    /// n = 6, K = 2; users 0-2 want item 0, user 3 item 1; nobody has seen anything.
    @Test func oracleByHand() {
        let held = HeldOut(truth: rowsMatrix([[0], [0], [0], [1]], items: 6), seen: rowsMatrix([[], [], [], []], items: 6))
        let frontier = ParetoFrontier.build(heldOut: held, k: 2)
        // Start: relevant items first, then the unexposed items 2…5 once each, in user order.
        // Then item 0 (shown 3 times > ⌈2·4/6⌉ = 2) gives way to item 1 at user 0 (ties by lower user).
        #expect(frontier.finalLists == [[1, 2], [0, 3], [0, 4], [1, 5]])
        #expect(frontier.points.count == 2)
        #expect(frontier.points[0].ndcg == 1)
        #expect(abs(frontier.points[1].ndcg - 0.75) < 1e-12)
        // Counts [3,1,1,1,1,1]: Jain = 64/84, Jain_max = (64/6)/12, K/n = 1/3.
        let jain = 64.0 / 84, best = 64.0 / 6 / 12
        #expect(abs(frontier.points[0].jain - (jain - 1.0 / 3) / (best - 1.0 / 3)) < 1e-12)
        #expect(abs(frontier.points[1].jain - 1) < 1e-12)
        // Two points: the halfway reference is the second, so a model there has DPFR 0.
        let ref = frontier.reference(.jain)!
        #expect(ref.relevance == frontier.points[1].ndcg && ref.fairness == frontier.points[1].jain)
        #expect(frontier.distance(relevance: ref.relevance, fairness: ref.fairness, axis: .jain) == 0)
        #expect(abs(frontier.distance(relevance: 1, fairness: 0, axis: .gini) - hypot(0.25, frontier.points[1].gini)) < 1e-12)
    }

    @Test func candidateRulesAndTheRelevantFirstReorder() {
        let held = HeldOut(truth: rowsMatrix([[0], [0, 2], [0]], items: 4), seen: rowsMatrix([[], [], []], items: 4))
        var oracle = _ParetoOracle(heldOut: held, users: [0, 1, 2], k: 2)
        for (a, list) in [[0, 1], [0, 3], [1, 0]].enumerated() { for i in list { oracle.append(Int32(i), to: a) } }
        // Item 1 is relevant to nobody: the holder of item 0 nearest the back (user 2, rank 2) gives it up.
        #expect(oracle.candidate(holding: 0, for: 1, checkList: false)?.user == 2)
        // Item 2 is relevant to user 1, who goes first.
        #expect(oracle.candidate(holding: 0, for: 2, checkList: true)?.user == 1)
        // Users who already list the item are skipped when asked to check lists.
        #expect(oracle.candidate(holding: 0, for: 3, checkList: true)?.user == 2)
        // Replacing user 2's first item leaves a relevant item behind it: relevant items move first.
        oracle.replace(2, at: 0, with: 3)
        #expect(oracle.lists[2] == [0, 3])
        #expect(oracle.counter.counts == [3, 1, 0, 2])
    }

    /// A seeded catalogue: the oracle's bookkeeping matches a from-scratch measurement of its final lists.
    @Test func incrementalMeasuresMatchTheListsAndRulesHold() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(bound)) }
        let users = 80, items = 60, k = 5
        var truth: [[Int32]] = [], seen: [[Int32]] = []
        for _ in 0..<users {
            var t = Set<Int32>(), s = Set<Int32>()
            for _ in 0..<(1 + next(8)) { t.insert(Int32(next(next(2) == 0 ? 8 : items))) }
            for _ in 0..<next(15) { let i = Int32(next(items)); if !t.contains(i) { s.insert(i) } }
            truth.append(t.sorted()); seen.append(s.sorted())
        }
        let held = HeldOut(truth: rowsMatrix(truth, items: items), seen: rowsMatrix(seen, items: items))
        let frontier = ParetoFrontier.build(heldOut: held, k: k)
        let last = frontier.points.last!
        let exposure = ItemExposure(lists: frontier.finalLists, k: k, itemCount: items)
        #expect(abs(last.jain - exposure.jainCorrected) < 1e-9)
        #expect(abs(last.entropy - exposure.entropyCorrected) < 1e-9)
        #expect(abs(last.gini - exposure.giniCorrected) < 1e-9)
        let hits = frontier.finalLists.enumerated().map { u, list in list.map { truth[u].contains($0) } }
        let ndcg = hits.enumerated().map { u, h in Metric.ndcg.value(hits: h, truthCount: truth[u].count, k: k) }
        #expect(abs(last.ndcg - ndcg.reduce(0, +) / Double(users)) < 1e-9)
        #expect(frontier.points[0].ndcg == 1)
        for (u, list) in frontier.finalLists.enumerated() {
            #expect(Set(list).count == list.count)
            #expect(list.allSatisfy { !seen[u].contains($0) })
        }
        #expect(exposure.counts.max()! <= (k * users + items - 1) / items)
        #expect(frontier.points.count > 10)
    }
}
