import RecCore
import Testing
@testable import RecEval

@Suite struct EvaluatorTests {
    /// Two users, five items. User 0 saw item 0 and holds out items 2 and 4; user 1 saw nothing and holds
    /// out item 1; user 2 holds out nothing and is not evaluated.
    let heldOut = HeldOut(
        truth: InteractionMatrix(userCount: 3, itemCount: 5, users: [0, 0, 1], items: [2, 4, 1]),
        seen: InteractionMatrix(userCount: 3, itemCount: 5, users: [0], items: [0]))
    let popularity = PopularityProfile(counts: [5, 4, 3, 2, 1], userCount: 3)

    @Test func fullRankingExcludesSeenItemsAndFeedsEveryMetric() {
        let model = TableRecommender(name: "table", scores: [
            [9, 8, 7, 6, 5],   // ranks 1, 2, 3, 4 after dropping seen item 0: hits at 2 and 4
            [1, 1, 1, 1, 1],   // all tied: order 0, 1, 2, … by index; the hit is at 2
            [0, 0, 0, 0, 0],
        ])
        let report = Evaluator(cutoffs: [2, 4]).evaluate(model, heldOut: heldOut, popularity: popularity)
        #expect(report.users == [0, 1])
        #expect(report.perUser["recall@2"] == [0.5, 1])
        #expect(report.perUser["mrr@2"] == [0.5, 0.5])
        #expect(report.perUser["recall@4"] == [1, 1])
        #expect(report.perUser["precision@4"] == [0.5, 0.25])
        #expect(report.means["hit_rate@2"] == 1)
        // User 0 at K=4: hits at 2 and 4, AP = (1/2 + 2/4) / 2.
        #expect(report.perUser["map@4"]?[0] == 0.5)
        // Coverage@2: lists [1, 2] and [0, 1] cover items 0, 1, 2 of 5.
        #expect(report.means["coverage@2"] == 0.6)
        #expect(report.keys.first == "recall@2" && report.keys.contains("gini@4"))
        #expect(report.perUser["gini@4"] == nil)
    }

    @Test func tiedScoresRankByLowerIndexWhateverTheModelReturns() {
        var model = TableRecommender(name: "ties", scores: [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]])
        model.reverseTies = true
        let report = Evaluator(cutoffs: [1, 2]).evaluate(model, heldOut: heldOut, popularity: popularity)
        let lists = Evaluator(cutoffs: [2]).rank(model, heldOut: heldOut)
        // The model sends [2, 1] for user 0 (tie order reversed); the evaluator ranks it [1, 2].
        #expect(lists.lists[0].map(\.item) == [1, 2])
        #expect(report.perUser["mrr@2"] == [0.5, 0.5])  // user 1: order 0, 1, …; item 1 is second
        #expect(report.perUser["hit_rate@1"] == [0, 0])
    }

    @Test func parallelEqualsSerial() {
        let users = 60, items = 40
        let table = seededTable(users: users, items: items, seed: 11)
        var rng = SeededGenerator(seed: 12)
        var tu: [Int32] = [], ti: [Int32] = [], su: [Int32] = [], si: [Int32] = []
        for u in 0..<users {
            for _ in 0..<3 { tu.append(Int32(u)); ti.append(Int32(rng.nextIndex(below: items))) }
            for _ in 0..<5 { su.append(Int32(u)); si.append(Int32(rng.nextIndex(below: items))) }
        }
        let held = HeldOut(truth: InteractionMatrix(userCount: users, itemCount: items, users: tu, items: ti),
                           seen: InteractionMatrix(userCount: users, itemCount: items, users: su, items: si))
        let pop = PopularityProfile(counts: held.seen.itemCounts(), userCount: users)
        let model = TableRecommender(name: "t", scores: table)
        let serial = Evaluator(cutoffs: [5, 10], threads: 1, batchSize: 256).evaluate(model, heldOut: held, popularity: pop)
        for (threads, batch) in [(2, 7), (4, 1), (3, 64)] {
            let parallel = Evaluator(cutoffs: [5, 10], threads: threads, batchSize: batch)
                .evaluate(model, heldOut: held, popularity: pop)
            #expect(parallel.perUser == serial.perUser)
            #expect(parallel.means == serial.means)
        }
        #expect(serial.users.count == users)
        #expect(serial.means["recall@10"]! > 0)  // the fixture is not degenerate
    }

    @Test func sampledNegativesAreSeededAndOutsideTheHistory() {
        let users = 5, items = 30
        let held = HeldOut(
            truth: InteractionMatrix(userCount: users, itemCount: items, users: [0, 1, 2, 3, 4], items: [3, 4, 5, 6, 7]),
            seen: InteractionMatrix(userCount: users, itemCount: items, users: [0, 0, 1], items: [1, 2, 9]))
        for negatives in [4, 27] {  // sparse (rejection) and dense (shuffle) sampling paths
            let a = _sampledCandidates(user: 0, heldOut: held, negatives: negatives, seed: 5)
            let b = _sampledCandidates(user: 0, heldOut: held, negatives: negatives, seed: 5)
            #expect(a == b)
            #expect(a.contains(3) && !a.contains(1) && !a.contains(2))
            #expect(a.count == min(negatives, items - 3) + 1)
        }
        let other = _sampledCandidates(user: 0, heldOut: held, negatives: 4, seed: 6)
        #expect(other != _sampledCandidates(user: 0, heldOut: held, negatives: 4, seed: 5))

        let model = TableRecommender(name: "t", scores: seededTable(users: users, items: items, seed: 1))
        let evaluator = Evaluator(cutoffs: [3], candidates: .sampledNegatives(count: 4, seed: 5))
        let lists = evaluator.rank(model, heldOut: held)
        let pool = _sampledCandidates(user: 0, heldOut: held, negatives: 4, seed: 5)
        #expect(lists.lists[0].count == 3)
        #expect(lists.lists[0].allSatisfy { pool.contains($0.item) })
        #expect(lists.candidates.label == "sampled-4")
        let report = evaluator.evaluate(lists, model: "t", heldOut: held,
                                        popularity: PopularityProfile(counts: held.seen.itemCounts(), userCount: users))
        #expect(report.candidates == .sampledNegatives(count: 4, seed: 5))
    }

    @Test func complementListsEveryOtherItem() {
        #expect(_complement(of: [1, 3], itemCount: 5).sortedItems == [0, 2, 4])
        #expect(_complement(of: [], itemCount: 2).sortedItems == [0, 1])
    }
}
