/// Hubness of a set of top-K lists: how unevenly items occur across users' lists.
///
/// The k-occurrence Nₖ(i) of an item is the number of lists whose first K hold it (`ItemExposure.counts`);
/// its mean is μ = mK / n. Following Radovanović et al. (JMLR 2010) and the hubness literature behind
/// "Balance Act" (Wang et al. 2023), hubness is the skewness of the Nₖ distribution; hubs are items with
/// Nₖ > 2μ (the usual Nₖ > 2k when every item is also a query), anti-hubs items with Nₖ = 0.
public struct Hubness: Sendable {
    /// One item and its k-occurrence.
    public struct Occurrence: Hashable, Sendable {
        public let item: Int32
        public let count: Int
    }

    /// μ = mK / n, the mean k-occurrence.
    public let mean: Double
    /// The population skewness E[(Nₖ − μ)³] / σ³ (scipy.stats.skew's default); 0 when every item occurs
    /// equally often (σ = 0).
    public let skewness: Double
    /// Items with Nₖ > 2μ, most frequent first (ties by lower index).
    public let hubs: [Occurrence]
    /// The number of items that occur in no list.
    public let antiHubCount: Int
    /// The share of all slots taken by hubs (hub occurrence), in [0, 1].
    public let hubOccurrence: Double
    /// `distribution[c]` is the number of items with Nₖ = c, for c = 0 … max Nₖ.
    public let distribution: [Int]

    /// - Complexity: O(n log n) (the hub list is sorted).
    public init(_ exposure: ItemExposure) {
        let n = Double(exposure.itemCount)
        let counts = exposure.counts
        mean = n > 0 ? Double(exposure.slots) / n : 0
        var m2 = 0.0, m3 = 0.0
        for c in counts {
            let d = Double(c) - mean
            m2 += d * d
            m3 += d * d * d
        }
        if n > 0 { m2 /= n; m3 /= n }
        skewness = m2 > 0 ? m3 / (m2 * m2.squareRoot()) : 0
        let threshold = 2 * mean
        var hubs: [Occurrence] = []
        var antiHubs = 0, hubSlots = 0
        var distribution = [Int](repeating: 0, count: (counts.max() ?? 0) + 1)
        for (i, c) in counts.enumerated() {
            distribution[c] += 1
            if c == 0 { antiHubs += 1 }
            if Double(c) > threshold {
                hubs.append(Occurrence(item: Int32(i), count: c))
                hubSlots += c
            }
        }
        self.hubs = hubs.sorted { $0.count != $1.count ? $0.count > $1.count : $0.item < $1.item }
        antiHubCount = antiHubs
        hubOccurrence = exposure.slots > 0 ? Double(hubSlots) / Double(exposure.slots) : 0
        self.distribution = distribution
    }

    /// The k-occurrence histogram in `bins` equal-width bins over 0 … max Nₖ (bin b holds counts c with
    /// ⌊c · bins / (max + 1)⌋ = b), lowest first.
    public func histogram(bins: Int) -> [Int] { Self.histogram(distribution: distribution, bins: bins) }

    /// `histogram(bins:)` of a k-occurrence distribution (`distribution[c]` items occur c times).
    public static func histogram(distribution: [Int], bins: Int) -> [Int] {
        let width = max(1, bins)
        var out = [Int](repeating: 0, count: width)
        let span = distribution.count
        for (c, items) in distribution.enumerated() where items > 0 {
            out[min(width - 1, c * width / max(1, span))] += items
        }
        return out
    }
}
