import Foundation
import Testing
@testable import RecEval

@Suite struct MetricTests {
    // hits = [1, 0, 1, 0, 0], |T| = 3.
    let hits = [true, false, true, false, false]

    @Test func valuesAtFullDepthByHand() {
        #expect(Metric.recall.value(hits: hits, truthCount: 3, k: 5) == 2.0 / 3)
        #expect(Metric.precision.value(hits: hits, truthCount: 3, k: 5) == 2.0 / 5)
        #expect(Metric.hitRate.value(hits: hits, truthCount: 3, k: 5) == 1)
        #expect(Metric.mrr.value(hits: hits, truthCount: 3, k: 5) == 1)
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) + 1/log2(4).
        let ndcg = Metric.ndcg.value(hits: hits, truthCount: 3, k: 5)
        #expect(abs(ndcg - 1.5 / (1 + 1 / log2(3.0) + 0.5)) < 1e-12)
        #expect(abs(ndcg - 0.7039180890341347) < 1e-12)
        // AP = (1/1 + 2/3) / |T| = 5/9 (trec_eval's denominator).
        #expect(abs(Metric.map.value(hits: hits, truthCount: 3, k: 5) - 5.0 / 9) < 1e-12)
    }

    @Test func valuesAtSmallerK() {
        #expect(Metric.recall.value(hits: hits, truthCount: 3, k: 2) == 1.0 / 3)
        #expect(Metric.precision.value(hits: hits, truthCount: 3, k: 2) == 0.5)
        // IDCG@2 uses min(|T|, K) = 2 positions.
        let ndcg = Metric.ndcg.value(hits: hits, truthCount: 3, k: 2)
        #expect(abs(ndcg - 1 / (1 + 1 / log2(3.0))) < 1e-12)
        #expect(abs(Metric.map.value(hits: hits, truthCount: 3, k: 2) - 1.0 / 3) < 1e-12)
    }

    @Test func kLongerThanTheList() {
        let short = [false, true]  // the model returned only two items
        #expect(Metric.recall.value(hits: short, truthCount: 1, k: 10) == 1)
        #expect(Metric.precision.value(hits: short, truthCount: 1, k: 10) == 0.1)
        #expect(Metric.hitRate.value(hits: short, truthCount: 1, k: 10) == 1)
        #expect(abs(Metric.ndcg.value(hits: short, truthCount: 1, k: 10) - 1 / log2(3.0)) < 1e-12)
        #expect(Metric.mrr.value(hits: short, truthCount: 1, k: 10) == 0.5)
        #expect(Metric.map.value(hits: short, truthCount: 1, k: 10) == 0.5)
        #expect(Metric.recall.value(hits: [], truthCount: 2, k: 10) == 0)
    }

    @Test func emptyTruthScoresZero() {
        for metric in Metric.allCases {
            #expect(metric.value(hits: [false, false], truthCount: 0, k: 10) == 0)
        }
    }

    @Test func missesEverywhere() {
        for metric in Metric.allCases {
            #expect(metric.value(hits: [false, false, false], truthCount: 2, k: 3) == 0)
        }
    }

    @Test func keysNameMetricAndCutoff() {
        #expect(Metric.hitRate.key(at: 20) == "hit_rate@20")
        #expect(BeyondAccuracyMetric.tailShare.key(at: 10) == "tail_share@10")
    }

    @Test func beyondAccuracyByHand() {
        // 4 items with training users 6, 3, 1, 0 of |U| = 8; head holds 20% of 10 interactions: item 0.
        let pop = PopularityProfile(counts: [6, 3, 1, 0], userCount: 8)
        #expect(pop.isTail == [false, true, true, true])
        let lists: [[Int32]] = [[0, 1], [0, 2]]
        let spread = pop.coverageAndGini(lists: lists, k: 2)
        #expect(spread.coverage == 0.75)
        // Exposure sorted [0, 1, 1, 2], n = 4, Σ = 4: (−3·0 − 1·1 + 1·1 + 3·2) / (4·4) = 0.375.
        #expect(spread.gini == 0.375)
        #expect(pop.perUserValue(.averagePopularity, list: lists[0][...], k: 2) == 4.5)
        #expect(pop.perUserValue(.tailShare, list: lists[1][...], k: 2) == 0.5)
        // Novelty: mean of log2(8/6) and log2(8/1).
        let novelty = pop.perUserValue(.novelty, list: lists[1][...], k: 2)
        #expect(abs(novelty - (log2(8.0 / 6) + 3) / 2) < 1e-12)
        // An item never seen in training counts as seen once: log2(8/1) = 3 bits.
        #expect(pop.selfInformation(3) == 3)
        #expect(pop.perUserValue(.novelty, list: [][...], k: 2) == 0)
    }

    @Test func giniIsZeroForEqualExposure() {
        let pop = PopularityProfile(counts: [1, 1], userCount: 2)
        #expect(pop.coverageAndGini(lists: [[0], [1]], k: 1).gini == 0)
        let none = pop.coverageAndGini(lists: [], k: 1)
        #expect(none.coverage == 0 && none.gini == 0)
    }
}
