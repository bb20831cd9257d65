/// Sample quantiles by linear interpolation between order statistics: numpy's default
/// (`method="linear"`, Hyndman & Fan 1996 type 7), the one rule for stats, bootstraps and benchmarks.
public enum Quantile {
    /// The `p`-quantile of values sorted ascending, 0 when there are none.
    ///
    /// With n values and h = (n − 1)·p: x[⌊h⌋] + (x[⌊h⌋ + 1] − x[⌊h⌋])·(h − ⌊h⌋), so p = 0 is the minimum,
    /// p = 1 the maximum and p = 0.5 the usual median. - Complexity: O(1).
    public static func linear(sorted s: [Double], p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "a quantile needs p in 0...1, got \(p)")
        if s.isEmpty { return 0 }
        let h = p * Double(s.count - 1)
        let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (h - Double(lo))
    }

    /// The `p`-quantile of `values` in any order (see `linear(sorted:p:)`).
    /// - Complexity: O(n log n) for the sort.
    public static func linear(_ values: [Double], p: Double) -> Double {
        linear(sorted: values.sorted(), p: p)
    }
}
