import RecCore
import Testing
@testable import RecEval

@Suite struct PairedComparisonTests {
    // Reference values below are scipy 1.17.1's output for these exact vectors, computed during
    // development with `scipy.stats.ttest_rel(a, b)` and
    // `scipy.stats.wilcoxon(a, b, zero_method=..., method="asymptotic")` (correction=False, the default).
    let a = [0.5, 0.0, 1.0, 0.3333333333333333, 0.25, 1.0, 0.0, 0.5, 0.2, 1.0, 0.0, 0.1]
    let b = [0.25, 0.0, 0.5, 0.5, 0.25, 0.0, 0.0, 1.0, 0.0, 1.0, 0.1, 0.0]

    @Test func pairedTTestMatchesScipy() {
        let c = PairedComparison(a, b, resamples: 200)
        #expect(abs(c.tTest.statistic - 0.9988978520079415) < 1e-12)
        #expect(abs(c.tTest.pValue - 0.33931100260406777) < 1e-10)
        #expect(abs(c.meanDifference - 0.10694444444444444) < 1e-15)
    }

    @Test func wilcoxonDropsZerosAndCorrectsTiesLikeScipy() {
        let c = PairedComparison(a, b, resamples: 200)
        #expect(c.wilcoxon.statistic == 11)
        #expect(abs(c.wilcoxon.pValue - 0.3258007162855291) < 1e-12)
        #expect(abs(abs(c.wilcoxonZ) - 0.9826073688810351) < 1e-12)
        let pratt = PairedComparison(a, b, resamples: 200, zeroMethod: .pratt)
        #expect(pratt.wilcoxon.statistic == 23)
        #expect(abs(pratt.wilcoxon.pValue - 0.3765587587155974) < 1e-12)
        #expect(abs(abs(pratt.wilcoxonZ) - 0.8842546581639549) < 1e-12)
        #expect(!c.isSignificant && c.marker == "")
    }

    @Test func clearDifferenceIsMarkedSignificant() {
        // scipy: ttest_rel t = 4.0388736053508785, p = 0.0029335623871390637;
        // wilcoxon (asymptotic) statistic 0, p = 0.011616044899262472 (one zero difference dropped).
        let x = [0.9, 0.8, 0.7, 1.0, 0.6, 0.9, 0.85, 0.75, 0.95, 0.8]
        let y = [0.5, 0.6, 0.7, 0.4, 0.5, 0.3, 0.6, 0.5, 0.45, 0.8]
        let c = PairedComparison(x, y, seed: 3)
        #expect(abs(c.tTest.statistic - 4.0388736053508785) < 1e-12)
        #expect(abs(c.tTest.pValue - 0.0029335623871390637) < 1e-10)
        #expect(c.wilcoxon.statistic == 0)
        #expect(abs(c.wilcoxon.pValue - 0.011616044899262472) < 1e-12)
        #expect(c.bootstrap.lower > 0 && c.bootstrap.upper > c.bootstrap.lower)
        #expect(c.bootstrap.upper <= 0.6)  // the largest difference is 0.6
        #expect(c.isSignificant && c.marker == "*")
    }

    @Test func studentTailMatchesScipy() {
        // scipy: 2 * t.sf(2.5, 3) and 2 * t.sf(0.3, 40).
        #expect(abs(_studentTwoSidedP(2.5, df: 3) - 0.08770664700806556) < 1e-12)
        #expect(abs(_studentTwoSidedP(-0.3, df: 40) - 0.7657307167710191) < 1e-12)
    }

    @Test func bootstrapIsSeeded() {
        let one = PairedComparison(a, b, resamples: 500, seed: 9)
        let same = PairedComparison(a, b, resamples: 500, seed: 9)
        let other = PairedComparison(a, b, resamples: 500, seed: 10)
        #expect(one.bootstrap == same.bootstrap)
        #expect(one.bootstrap != other.bootstrap)
        #expect(one.bootstrap.lower < one.meanDifference && one.meanDifference < one.bootstrap.upper)
    }

    @Test func identicalModelsAreNotDifferent() {
        let c = PairedComparison(a, a, resamples: 100)
        #expect(c.tTest.pValue == 1 && c.wilcoxon.pValue == 1)
        #expect(!c.bootstrap.excludesZero && !c.isSignificant)
    }

    @Test func averageRanksShareTies() {
        let (ranks, ties) = _averageRanks([0.5, 0.1, 0.5, 0.3])
        #expect(ranks == [3.5, 1, 3.5, 2])
        #expect(ties == [1, 1, 2])
    }
}

@Suite struct ReportComparisonTests {
    @Test func comparesEveryPerUserKeyOfTwoReports() {
        let held = HeldOut(
            truth: InteractionMatrix(userCount: 4, itemCount: 4, users: [0, 1, 2, 3], items: [0, 1, 2, 3]),
            seen: InteractionMatrix(userCount: 4, itemCount: 4, users: [], items: []))
        let pop = PopularityProfile(counts: [1, 1, 1, 1], userCount: 4)
        // The oracle puts each user's item first; the other model ranks items 0, 1, 2, 3 for everyone.
        let oracle = TableRecommender(name: "oracle", scores: (0..<4).map { u in (0..<4).map { $0 == u ? 1 : 0 } })
        let flat = TableRecommender(name: "flat", scores: Array(repeating: [4, 3, 2, 1], count: 4))
        let evaluator = Evaluator(cutoffs: [1])
        let a = evaluator.evaluate(oracle, heldOut: held, popularity: pop)
        let b = evaluator.evaluate(flat, heldOut: held, popularity: pop)
        let rows = PairedComparison.compare(a, b, resamples: 100)
        #expect(rows.map(\.key) == ["recall@1", "precision@1", "hit_rate@1", "ndcg@1", "mrr@1", "map@1",
                                    "novelty@1", "arp@1", "tail_share@1"])
        let recall = rows[0].comparison
        #expect(recall.meanA == 1 && recall.meanB == 0.25 && recall.meanDifference == 0.75)
        // Differences [0, 1, 1, 1]: t-test has sd 0.5, t = 0.75 / 0.25 = 3 on 3 degrees of freedom.
        #expect(abs(recall.tTest.statistic - 3) < 1e-12)
    }
}
