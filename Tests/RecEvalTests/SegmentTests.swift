import Foundation
import RecCore
import Testing
@testable import RecEval

@Suite struct SegmentTests {
    @Test func activityTertilesOfHistoryLength() {
        // History lengths 1, 2, …, 6: cuts at the 1/3 and 2/3 quantiles, 2.667 and 4.333.
        let train = rowsMatrix((1...6).map { n in (0..<Int32(n)).map { $0 } }, items: 8)
        let held = HeldOut(truth: rowsMatrix([[7], [7], [7], [7], [7], [7]], items: 8), seen: train)
        let s = UserSegments.activity(train: train, heldOut: held)
        #expect(s.segments.map(\.name) == ["cold", "medium", "heavy"])
        #expect(s.segments.map(\.users) == [[0, 1], [2, 3], [4, 5]])
        #expect(abs(s.cuts[0] - 8.0 / 3) < 1e-12 && abs(s.cuts[1] - 13.0 / 3) < 1e-12)
    }

    @Test func popularityGroupsCutTheTruth() {
        // Popularity [10, 5, 3, 1, 1]: total 20; head while under 4 interactions come before the item (item 0),
        // tail once 16 do (15 before item 2, 18 before item 3).
        #expect(UserSegments.itemGroups(counts: [10, 5, 3, 1, 1]) == [0, 1, 1, 2, 2])
        let held = HeldOut(truth: rowsMatrix([[0, 3], [1], [4]], items: 5), seen: rowsMatrix([[], [], []], items: 5))
        let s = UserSegments.popularity(counts: [10, 5, 3, 1, 1], heldOut: held)
        #expect(s.segments.map(\.users) == [[0], [1], [0, 2]])
        #expect(Array(s.segments[2].heldOut.truth.items(ofUser: 0)) == [3])   // user 0 is judged on its tail item there
    }

    @Test func regularityFromTrainingGaps() {
        // User 0: gaps 10, 10, 10 (CV 0); user 1: gaps 1, 19 (CV 0.9); user 2: gaps 5, 15 (CV 0.5); user 3: one gap.
        let rows: [(Int32, Double)] = [(0, 0), (0, 10), (0, 20), (0, 30), (1, 0), (1, 1), (1, 20), (2, 0), (2, 5), (2, 20), (3, 0), (3, 4)]
        let roles = [SplitRole](repeating: .train, count: rows.count)
        let held = HeldOut(truth: rowsMatrix([[1], [1], [1], [1]], items: 2), seen: rowsMatrix([[], [], [], []], items: 2))
        let s = UserSegments.regularity(users: rows.map(\.0), timestamps: rows.map(\.1), roles: roles, heldOut: held)
        #expect(s.segments.map(\.name) == ["regular", "mixed", "irregular", "unknown"])
        #expect(s.segments.map(\.users) == [[0], [2], [1], [3]])
    }

    @Test func segmentReportsAreTheSameMeasuresOnFewerUsers() {
        let held = HeldOut(truth: rowsMatrix([[0], [1], [2], [3]], items: 6), seen: rowsMatrix([[5], [5], [5], [5]], items: 6))
        let lists = RankedLists(users: [0, 1, 2, 3], lists: [[0, 1], [0, 1], [2, 0], [4, 0]].map { $0.map { ScoredItem(item: $0, score: 1) } },
                                depth: 2, candidates: .fullRanking)
        let model = RankedModel(name: "m", lists: lists)
        let pop = PopularityProfile(counts: [1, 1, 1, 1, 1, 4], userCount: 4)
        let train = rowsMatrix([[5], [5], [5], [5]], items: 6)
        let evaluator = Evaluator(cutoffs: [2])
        let whole = evaluator.evaluateLens([model], heldOut: held, popularity: pop, train: train).reports[0]
        #expect(whole.means["recall@2"] == 0.75)
        #expect(whole.means["puf_ndcg@2"] != nil && whole.means["dpfr_jain@2"] != nil)
        let segments = UserSegments(axis: .activity, segments: [
            .init(name: "a", users: [0, 1], heldOut: held), .init(name: "b", users: [2, 3], heldOut: held),
            .init(name: "c", users: [], heldOut: held)], cuts: [])
        let parts = evaluator.evaluateSegments([model], segments: segments, popularity: pop, train: train)
        #expect(parts[0].lens?.reports[0].means["recall@2"] == 1)
        #expect(parts[1].lens?.reports[0].means["recall@2"] == 0.5)
        #expect(parts[2].lens == nil)
        // Segment a's two lists are identical: the unfairest exposure for that segment.
        #expect(parts[0].lens?.reports[0].means["jain_our@2"] == 0)
        // Identical histories: in segment a NDCG 1 and 1/log₂3, in b 1 and 0.
        #expect(abs(parts[0].lens!.reports[0].means["puf_ndcg@2"]! - (1 - 1 / log2(3.0))) < 1e-12)
        #expect(parts[1].lens?.reports[0].means["puf_ndcg@2"] == 1)
    }
}
