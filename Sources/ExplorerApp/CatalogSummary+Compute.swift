import Foundation

extension Distribution {
    /// The distribution of `counts` (one count per user or item; zeros are kept).
    /// - Complexity: O(n log n) for the sort.
    public init(counts: [Int]) {
        let sorted = counts.sorted()
        guard !sorted.isEmpty else {
            self.init(quantiles: Distribution.probabilities.map { _ in 0 }, log2Histogram: [], mean: 0)
            return
        }
        let quantiles = Distribution.probabilities.map { p -> Double in
            // Nearest rank: the smallest value with at least p of the data at or below it.
            let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
            return Double(sorted[min(sorted.count, rank) - 1])
        }
        var histogram: [Int] = []
        for c in sorted where c > 0 {
            let bin = Int.bitWidth - 1 - c.leadingZeroBitCount
            if histogram.count <= bin { histogram += Array(repeating: 0, count: bin + 1 - histogram.count) }
            histogram[bin] += 1
        }
        let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
        self.init(quantiles: quantiles, log2Histogram: histogram, mean: mean)
    }
}

extension CatalogSummary {
    /// The long-tail curve of item popularities at `points` evenly spaced fractions of the items.
    /// - Complexity: O(n log n).
    public static func longTail(popularity: [Int], points: Int = 100) -> [Double] {
        let sorted = popularity.sorted(by: >)
        let total = Double(sorted.reduce(0, +))
        guard total > 0, points > 0 else { return [] }
        var prefix = [0.0]
        prefix.reserveCapacity(sorted.count + 1)
        for p in sorted { prefix.append(prefix.last! + Double(p)) }
        return (1...points).map { i in
            prefix[(i * sorted.count + points - 1) / points] / total
        }
    }

    /// Interaction counts in `buckets` equal spans from the first to the last time.
    /// - Complexity: O(n).
    public static func activity(times: [Date], buckets: Int = 60) -> [TimeBucket] {
        guard let first = times.min(), let last = times.max(), buckets > 0 else { return [] }
        let span = max(1, last.timeIntervalSince(first))
        var counts = [Int](repeating: 0, count: buckets)
        for t in times {
            counts[min(buckets - 1, Int(t.timeIntervalSince(first) / span * Double(buckets)))] += 1
        }
        return counts.enumerated().map {
            TimeBucket(start: first.addingTimeInterval(span * Double($0.offset) / Double(buckets)), count: $0.element)
        }
    }
}
