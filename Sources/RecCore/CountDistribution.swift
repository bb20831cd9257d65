/// The shape of a count distribution (interactions per user or item, session lengths): quantiles,
/// mean and a log₂ histogram, as `recscope stats` prints it and the Catalog pane draws it.
public struct CountDistribution: Codable, Sendable, Hashable {
    public var min: Double
    public var p25: Double
    public var median: Double
    public var p75: Double
    public var p90: Double
    public var p99: Double
    public var max: Double
    public var mean: Double
    /// `log2Histogram[i]` counts the values in [2^i, 2^(i+1)): index 0 holds the ones. Zeros (and anything
    /// below 1, and beyond 2^63) are not counted; the array ends at the highest non-empty bin.
    public var log2Histogram: [Int]

    /// The distribution of `values` in any order; every field is 0 (the histogram empty) for no values.
    ///
    /// Quantiles by `Quantile.linear` (numpy's default). - Complexity: O(n log n) for the sort.
    public init(_ values: [Double]) {
        let s = values.sorted()
        min = s.first ?? 0
        max = s.last ?? 0
        p25 = Quantile.linear(sorted: s, p: 0.25)
        median = Quantile.linear(sorted: s, p: 0.5)
        p75 = Quantile.linear(sorted: s, p: 0.75)
        p90 = Quantile.linear(sorted: s, p: 0.9)
        p99 = Quantile.linear(sorted: s, p: 0.99)
        mean = s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count)
        var histogram: [Int] = []
        for v in s where v >= 1 && v < 0x1p63 {
            let bin = Int.bitWidth - 1 - Int(v).leadingZeroBitCount
            if histogram.count <= bin { histogram += repeatElement(0, count: bin + 1 - histogram.count) }
            histogram[bin] += 1
        }
        log2Histogram = histogram
    }

    /// The quantiles in order, min to max, with their names: what a table of quantiles shows.
    public var quantiles: [(name: String, value: Double)] {
        [("min", min), ("p25", p25), ("p50", median), ("p75", p75), ("p90", p90), ("p99", p99), ("max", max)]
    }

    /// The distribution of integer counts (one per user, item or session; zeros are kept for the quantiles).
    public init(counts: [Int]) {
        self.init(counts.map(Double.init))
    }

    enum CodingKeys: String, CodingKey {
        case min, p25, median, p75, p90, p99, max, mean
        case log2Histogram = "log2_histogram"
    }

    /// Reads the JSON `recscope stats --json` prints; documents from before the histogram have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        min = try c.decode(Double.self, forKey: .min)
        p25 = try c.decode(Double.self, forKey: .p25)
        median = try c.decode(Double.self, forKey: .median)
        p75 = try c.decode(Double.self, forKey: .p75)
        p90 = try c.decode(Double.self, forKey: .p90)
        p99 = try c.decode(Double.self, forKey: .p99)
        max = try c.decode(Double.self, forKey: .max)
        mean = try c.decode(Double.self, forKey: .mean)
        log2Histogram = try c.decodeIfPresent([Int].self, forKey: .log2Histogram) ?? []
    }
}
