#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How often, and how high, each item appears in the top-K lists of a set of users: what every item-exposure
/// fairness measure and the hubness statistics read.
///
/// Notation (Rampisela et al. 2024, "Evaluation Measures of Individual Item Fairness for Recommender Systems:
/// A Critical Study", ACM TORS 3(2)): n items, m lists, K the cutoff, cᵢ the number of lists whose first K
/// hold item i (its k-occurrence), and the slots Σᵢ cᵢ = m·K when every list is full. ⌊mK/n⌋ and mK mod n
/// describe the fairest possible allocation (every item shown ⌊mK/n⌋ or ⌊mK/n⌋ + 1 times).
public struct ItemExposure: Sendable {
    public let k: Int
    /// n: every item of the catalog, exposed or not.
    public let itemCount: Int
    /// m: the number of lists (evaluated users).
    public let listCount: Int
    /// cᵢ: the number of lists whose first K hold item i.
    public let counts: [Int]
    /// Σᵢ cᵢ (m·K when every list holds K items).
    public let slots: Int
    /// Σ over the lists holding item i of 1 / log₂(rank + 1): Gini-w's position-weighted exposure.
    public let rankWeights: [Double]
    /// Σ over the lists holding item i of γ^(rank − 1), γ = `rbpPatience`: II-D's and AI-D's exposure.
    public let rbpExposure: [Double]
    /// Σ over all slots of γ^(2(rank − 1)).
    let rbpSquares: Double

    /// γ, the RBP patience of II-D and AI-D (Diaz et al. 2020; 0.8 in the critical study's code).
    public static let rbpPatience = 0.8

    /// The exposure of `lists` (item indices below `itemCount`, best first) cut at `k`.
    /// - Complexity: O(m·K + n).
    public init(lists: [[Int32]], k: Int, itemCount: Int) {
        precondition(k > 0, "K must be positive")
        self.k = k
        self.itemCount = itemCount
        listCount = lists.count
        var counts = [Int](repeating: 0, count: itemCount)
        var weights = [Double](repeating: 0, count: itemCount)
        var rbp = [Double](repeating: 0, count: itemCount)
        let discount = (0..<k).map { 1 / log2(Double($0 + 2)) }
        let gain = (0..<k).map { pow(Self.rbpPatience, Double($0)) }
        var slots = 0, squares = 0.0
        for list in lists {
            for (p, item) in list.prefix(k).enumerated() {
                let i = Int(item)
                counts[i] += 1
                weights[i] += discount[p]
                rbp[i] += gain[p]
                squares += gain[p] * gain[p]
            }
            slots += min(k, list.count)
        }
        self.counts = counts
        self.slots = slots
        rankWeights = weights
        rbpExposure = rbp
        rbpSquares = squares
    }

    /// m′ = slots / K: the number of lists as the corrected measures count them (m when every list is full).
    var fullLists: Double { Double(slots) / Double(k) }
    var shape: _ExposureShape { _ExposureShape(n: itemCount, k: k, slots: slots) }
    var floorShare: Int { shape.floorShare }
    var remainder: Int { shape.remainder }
    var kOverN: Double { shape.kOverN }

    /// The number of items shown at least once (|⋃ᵤ Lᵤ[1…K]|).
    public var exposedItems: Int { counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Counts sorted ascending (the Lorenz order; unexposed items first).
    public var sortedCounts: [Int] { counts.sorted() }

    /// The Lorenz curve of exposure: `points + 1` values from 0 to 1, the share of all slots held by the
    /// least exposed fraction j / points of the items (0 for an empty catalog or no slots).
    /// - Complexity: O(n log n).
    public func lorenzCurve(points: Int) -> [Double] {
        let sorted = sortedCounts
        guard points > 0, !sorted.isEmpty, slots > 0 else { return [Double](repeating: 0, count: max(0, points) + 1) }
        var prefix = [0.0]
        prefix.reserveCapacity(sorted.count + 1)
        for c in sorted { prefix.append(prefix.last! + Double(c)) }
        return (0...points).map { j in
            let position = Double(j) * Double(sorted.count) / Double(points)
            let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count)
            let share = prefix[lo] + (prefix[hi] - prefix[lo]) * (position - Double(lo))
            return share / Double(slots)
        }
    }
}
