import Foundation
import Testing
import RecCore

@Suite struct QuantileTests {
    /// numpy's `quantile(a, p, method="linear")` as numpy computes it (`_lerp`: from below for t < 0.5,
    /// from above otherwise), to check our rule against.
    static func numpyLinear(_ values: [Double], _ p: Double) -> Double {
        let a = values.sorted()
        let h = p * Double(a.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, a.count - 1)
        let t = h - Double(lo), d = a[hi] - a[lo]
        return t >= 0.5 ? a[hi] - d * (1 - t) : a[lo] + d * t
    }

    @Test func handComputedValues() {
        // np.quantile([1, 2, 3, 4], [0, .25, .5, .75, .9, .99, 1]) = [1, 1.75, 2.5, 3.25, 3.7, 3.97, 4]
        let x: [Double] = [4, 1, 3, 2]
        let want: [(Double, Double)] = [(0, 1), (0.25, 1.75), (0.5, 2.5), (0.75, 3.25), (0.9, 3.7), (0.99, 3.97), (1, 4)]
        for (p, q) in want { #expect(abs(Quantile.linear(x, p: p) - q) < 1e-12, "p = \(p)") }
        #expect(Quantile.linear(sorted: [1, 2, 3, 4], p: 0.25) == 1.75)
        #expect(Quantile.linear([10, 0, 5], p: 0.5) == 5 && Quantile.linear([10, 0, 5], p: 0.25) == 2.5)
        #expect(Quantile.linear([7], p: 0.9) == 7)
        #expect(Quantile.linear([], p: 0.5) == 0)
        // The median of an even count is the mean of the middle two.
        #expect(Quantile.linear([1, 2, 10, 20], p: 0.5) == 6)
    }

    @Test func agreesWithNumpysLinearRule() {
        var rng = SeededGenerator(seed: 11)
        for n in [1, 2, 3, 10, 97, 1000] {
            let values = (0..<n).map { _ in Double(rng.nextIndex(below: 500)) + Double(rng.nextUnitFloat()) }
            for p in [0, 0.01, 0.1, 0.25, 0.333, 0.5, 0.75, 0.9, 0.95, 0.99, 1] {
                let ours = Quantile.linear(values, p: p), theirs = Self.numpyLinear(values, p)
                #expect(abs(ours - theirs) <= 1e-12 * max(1, abs(theirs)), "n = \(n), p = \(p)")
            }
        }
    }

    @Test func countDistributionOfHandPickedCounts() {
        let d = CountDistribution(counts: [100, 0, 1, 1, 2, 3, 4, 7, 8])
        #expect(d.min == 0 && d.max == 100 && d.mean == 14)
        #expect(d.p25 == 1 && d.median == 3 && d.p75 == 7)
        #expect(abs(d.p90 - 26.4) < 1e-12 && abs(d.p99 - 92.64) < 1e-12)  // 8 + 92·0.2, 8 + 92·0.92
        // [1, 2): 1, 1 · [2, 4): 2, 3 · [4, 8): 4, 7 · [8, 16): 8 · [64, 128): 100; the zero is not counted.
        #expect(d.log2Histogram == [2, 2, 2, 1, 0, 0, 1])
        #expect(CountDistribution([3, 0.5, 1]).log2Histogram == [1, 1])
        let empty = CountDistribution([])
        #expect(empty == CountDistribution(counts: []))
        #expect(empty.min == 0 && empty.max == 0 && empty.mean == 0 && empty.median == 0 && empty.log2Histogram.isEmpty)
    }

    @Test func countDistributionQuantilesAreTheLinearOnes() {
        var rng = SeededGenerator(seed: 3)
        let counts = (0..<501).map { _ in rng.nextIndex(below: 1 << rng.nextIndex(below: 12)) }
        let values = counts.map(Double.init)
        let d = CountDistribution(counts: counts)
        let ps: [Double] = [0.25, 0.5, 0.75, 0.9, 0.99]
        #expect([d.p25, d.median, d.p75, d.p90, d.p99] == ps.map { Quantile.linear(values, p: $0) })
        #expect(d.min == values.min() && d.max == values.max())
        #expect(d.log2Histogram.reduce(0, +) == counts.filter { $0 > 0 }.count)
        for (i, n) in d.log2Histogram.enumerated() {
            #expect(n == counts.filter { $0 >= 1 << i && $0 < 1 << (i + 1) }.count, "bin \(i)")
        }
    }

    @Test func countDistributionJSONKeysAreTheStatsOnes() throws {
        let d = CountDistribution(counts: [1, 2, 3, 5, 8])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(d)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.keys.sorted() == ["log2_histogram", "max", "mean", "median", "min", "p25", "p75", "p90", "p99"])
        #expect(try JSONDecoder().decode(CountDistribution.self, from: data) == d)
        // A document printed before the histogram existed still reads, with an empty histogram.
        let old = #"{"max":8,"mean":3.8,"median":3,"min":1,"p25":2,"p75":5,"p90":6.8,"p99":7.88}"#
        let read = try JSONDecoder().decode(CountDistribution.self, from: Data(old.utf8))
        #expect(read.median == 3 && read.p99 == 7.88 && read.log2Histogram.isEmpty)
    }
}
