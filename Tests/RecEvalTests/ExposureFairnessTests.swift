import Foundation
import RecCore
import Testing
@testable import RecEval

/// Hand-computed cases of every item-exposure measure, at both extremes the critical study names: every
/// user gets the same K items (the unfairest) and every item is recommended equally often (the fairest).
@Suite struct ExposureFairnessTests {
    /// n = 4, K = 2, m = 2: both users get items 0 and 1.
    let same = ItemExposure(lists: [[0, 1], [0, 1]], k: 2, itemCount: 4)
    /// n = 4, K = 2, m = 2: every item once.
    let even = ItemExposure(lists: [[0, 1], [2, 3]], k: 2, itemCount: 4)

    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

    @Test func sameItemsForEveryUserIsTheUnfairestValue() {
        #expect(same.counts == [2, 2, 0, 0] && same.slots == 4)
        #expect(close(same.jain, 0.5))            // 4² / (4 · 8) = K/n
        #expect(close(same.jainCorrected, 0))
        #expect(close(same.qf, 0.5))
        #expect(close(same.qfCorrected, 0))
        #expect(close(same.entropy, 0.5))         // −2 · ½ log₄ ½
        #expect(close(same.entropyCorrected, 0))
        #expect(close(same.gini, 0.5))            // (1·2 + 3·2) / (4·4) = 1 − K/n
        #expect(close(same.giniCorrected, 1))
        #expect(close(same.fsat, 0.5))            // maximin share ⌊4/4⌋ = 1 reached by 2 of 4 items
        #expect(close(same.fsatCorrected, 0))
        // Gini-w: weights 2 and 2/log₂3, sorted [0, 0, 2/log₂3, 2].
        let w = 2 / log2(3.0)
        #expect(close(same.giniW, (1 * w + 3 * 2) / (4 * (w + 2))))
        #expect(close(same.giniWCorrected, 1))
    }

    @Test func everyItemEquallyOftenIsTheFairestValue() {
        #expect(even.counts == [1, 1, 1, 1])
        #expect(close(even.jain, 1) && close(even.jainCorrected, 1))
        #expect(close(even.qf, 1) && close(even.qfCorrected, 1))
        #expect(close(even.entropy, 1) && close(even.entropyCorrected, 1))
        #expect(close(even.gini, 0) && close(even.giniCorrected, 0))
        #expect(close(even.fsat, 1) && close(even.fsatCorrected, 1))
        #expect(close(even.giniWCorrected, 0))
        #expect(close(even.vocd, 0))
        #expect(Hubness(even).skewness == 0 && Hubness(even).hubs.isEmpty)
    }

    /// mK < n: n = 10, K = 2, m = 2; the corrected forms still reach 0 and 1, the originals do not.
    @Test func fewerSlotsThanItems() {
        let unfair = ItemExposure(lists: [[0, 1], [0, 1]], k: 2, itemCount: 10)
        let fair = ItemExposure(lists: [[0, 1], [2, 3]], k: 2, itemCount: 10)
        #expect(close(unfair.jain, 0.2) && close(fair.jain, 0.4))
        #expect(close(unfair.jainCorrected, 0) && close(fair.jainCorrected, 1))
        #expect(close(unfair.qfCorrected, 0) && close(fair.qfCorrected, 1))
        #expect(close(unfair.entropyCorrected, 0) && close(fair.entropyCorrected, 1))
        #expect(close(unfair.gini, 0.8) && close(fair.gini, 0.6))
        #expect(close(unfair.giniCorrected, 1) && close(fair.giniCorrected, 0))
        #expect(close(unfair.giniWCorrected, 1) && close(fair.giniWCorrected, 0))
        // FSat cannot tell them apart: the maximin share ⌊4/10⌋ is 0, so every item is satisfied.
        #expect(unfair.fsat == 1 && fair.fsat == 1 && close(unfair.fsatCorrected, 1))
    }

    @Test func correctedFormsStayInTheUnitInterval() {
        // A fixed pseudo-random family: lists drawn from a skewed pool, several sizes.
        for seed in 1...40 {
            var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
            func next(_ bound: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(bound)) }
            let n = 5 + next(30), k = 1 + next(4), m = 2 + next(12)
            let lists: [[Int32]] = (0..<m).map { _ in
                var list: [Int32] = []
                while list.count < min(k, n) {
                    let i = Int32(next(max(1, n / (1 + next(3)))))
                    if !list.contains(i) { list.append(i) }
                }
                return list
            }
            let e = ItemExposure(lists: lists, k: k, itemCount: n)
            for (name, value) in [("jain", e.jainCorrected), ("qf", e.qfCorrected), ("ent", e.entropyCorrected), ("gini", e.giniCorrected), ("giniw", e.giniWCorrected)]
            where !value.isNaN {
                #expect(value >= -1e-9 && value <= 1 + 1e-9, "seed \(seed) n \(n) k \(k) m \(m) \(name): \(value) outside [0, 1]")
            }
            #expect(e.gini <= 1 - Double(k) / Double(n) + 1e-12)
        }
    }

    /// The study's FSat correction maps "the same K items for everyone" to 0, yet an allocation where fewer than
    /// K items reach the maximin share scores below that: n = 5, K = 4, m = 12, every list leaving out one of
    /// items 2, 3, 4 four times gives counts [12, 12, 8, 8, 8], maximin share 9, FSat 2/5 < K/n.
    @Test func fsatCorrectedCanFallBelowZero() {
        let lists: [[Int32]] = (0..<12).map { u in [0, 1, 2, 3, 4].filter { $0 != Int32(2 + u / 4) } }
        let e = ItemExposure(lists: lists, k: 4, itemCount: 5)
        #expect(e.counts == [12, 12, 8, 8, 8])
        #expect(abs(e.fsat - 0.4) < 1e-12)
        #expect(abs(e.fsatCorrected - -2) < 1e-9)
    }

    @Test func undefinedCorrectionsAreNaNNotZero() {
        // One list: the fairest and the unfairest allocation are the same, so the corrections are undefined.
        let one = ItemExposure(lists: [[0, 1]], k: 2, itemCount: 4)
        #expect(one.jainCorrected.isNaN && one.giniCorrected.isNaN)
        #expect(ItemExposure(lists: [[0]], k: 1, itemCount: 3).vocd.isNaN)
    }

    @Test func vocdAndRBPDisparitiesByHand() {
        // Counts [3, 1, 0, 0]: one pair of exposed items, |3 − 1| / 3.
        let skewed = ItemExposure(lists: [[0], [0], [0], [1]], k: 1, itemCount: 4)
        #expect(close(skewed.vocd, 2.0 / 3))
        // n = 2, K = 1, one list [0]: E = [1, 0], ẽ = (1 − 0.8) / 0.2 / 2 = ½; both disparities ¼.
        let single = ItemExposure(lists: [[0]], k: 1, itemCount: 2)
        #expect(close(single.iiD, 0.25) && close(single.aiD, 0.25))
        // Two lists [0, 1] and [1, 0], K = 2, n = 2: E rows [1, 0.8] and [0.8, 1]; ẽ = 1.8 / 2 = 0.9.
        let two = ItemExposure(lists: [[0, 1], [1, 0]], k: 2, itemCount: 2)
        #expect(close(two.iiD, 0.01) && close(two.aiD, 0))
    }

    @Test func hubnessByHand() {
        // k-occurrences [3, 1, 0, 0]: mean 1, central moments m₂ = 1.5, m₃ = 1.5, skewness 1/√1.5.
        let h = Hubness(ItemExposure(lists: [[0], [0], [0], [1]], k: 1, itemCount: 4))
        #expect(close(h.mean, 1) && close(h.skewness, 1 / 1.5.squareRoot()))
        #expect(h.hubs == [Hubness.Occurrence(item: 0, count: 3)])
        #expect(h.antiHubCount == 2 && close(h.hubOccurrence, 0.75))
        #expect(h.distribution == [2, 1, 0, 1])
        #expect(h.histogram(bins: 2) == [3, 1])
    }

    @Test func lorenzCurveOfExposure() {
        #expect(same.lorenzCurve(points: 4) == [0, 0, 0, 0.5, 1])
        #expect(even.lorenzCurve(points: 2) == [0, 0.5, 1])
    }

    @Test func evaluatorReportsEveryWholeListMeasure() {
        let pop = PopularityProfile(counts: [4, 3, 2, 1], userCount: 4)
        let lists = RankedLists(users: [0, 1], lists: [[.init(item: 0, score: 2), .init(item: 1, score: 1)],
                                                       [.init(item: 0, score: 2), .init(item: 1, score: 1)]],
                                depth: 2, candidates: .fullRanking)
        let truth = rowsMatrix([[0], [2]], items: 4)
        let held = HeldOut(truth: truth, seen: rowsMatrix([[], []], items: 4))
        let report = Evaluator(cutoffs: [2]).evaluate(lists, model: "m", heldOut: held, popularity: pop)
        #expect(report.means["jain_our@2"] == 0)
        #expect(report.means["gini_our@2"] == 1)
        #expect(report.means["coverage@2"] == 0.5)
        #expect(report.perUser["jain@2"] == nil)
    }
}

/// A user × item matrix with one row of items per user.
func rowsMatrix(_ rows: [[Int32]], items: Int) -> InteractionMatrix {
    InteractionMatrix(userCount: rows.count, itemCount: items,
                      users: rows.enumerated().flatMap { u, row in row.map { _ in Int32(u) } }, items: rows.flatMap { $0 })
}
