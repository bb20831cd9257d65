/// A per-user metric of model A minus the same metric of model B, over the same evaluated users:
/// the mean difference, how often each model wins, and a histogram of the differences.
public struct MetricDifference: Hashable, Sendable {
    /// `a[u] − b[u]` for every evaluated user `u`.
    public let differences: [Double]
    public let mean: Double
    /// Users where A scores higher, equal, lower.
    public let wins: Int
    public let ties: Int
    public let losses: Int

    /// Differences closer to zero than this count as ties (floating-point noise, not a difference).
    public static let tieTolerance = 1e-12

    /// nil when the two lists do not cover the same number of users (they come from different splits).
    public init?(a: [Double], b: [Double]) {
        guard a.count == b.count else { return nil }
        differences = zip(a, b).map { $0 - $1 }
        mean = differences.isEmpty ? 0 : differences.reduce(0, +) / Double(differences.count)
        var wins = 0, ties = 0, losses = 0
        for d in differences {
            if abs(d) <= Self.tieTolerance { ties += 1 } else if d > 0 { wins += 1 } else { losses += 1 }
        }
        (self.wins, self.ties, self.losses) = (wins, ties, losses)
    }

    /// The largest |difference| (the histogram's range is −bound…+bound), 0 when all are ties.
    public var bound: Double { differences.map(abs).max() ?? 0 }

    /// Counts of the non-tied differences in `bins` equal bins over −bound…+bound, lowest first;
    /// ties are left out (they are usually most users and would flatten every other bar).
    /// - Complexity: O(users).
    public func histogram(bins: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: max(1, bins))
        let bound = bound
        guard bound > 0 else { return counts }
        for d in differences where abs(d) > Self.tieTolerance {
            let f = (d + bound) / (2 * bound)
            counts[min(counts.count - 1, max(0, Int(f * Double(counts.count))))] += 1
        }
        return counts
    }
}
