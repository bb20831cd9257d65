#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A metric of what a model recommends rather than whether it is right: spread, popularity bias, novelty.
///
/// All read the top-K lists of the evaluated users and the training popularity of items (pᵢ = number of
/// training users of item i, |U| = number of training users). Per-user values exist for `novelty`,
/// `averagePopularity` and `tailShare`; `coverage` and `gini` describe the whole set of lists.
public enum BeyondAccuracyMetric: String, Sendable, CaseIterable, Codable {
    /// Item coverage@K = |⋃ᵤ Lᵤ[1…K]| / number of items (the critical study's QF, qualification fairness).
    case coverage
    /// Gini index of exposure@K over all items, x₍₁₎ ≤ … ≤ x₍ₙ₎ the number of lists holding each item:
    /// G = Σⱼ (2j − n − 1) x₍ⱼ₎ / (n Σⱼ x₍ⱼ₎); 0 when every item is shown equally, 1 − K/n at most.
    case gini
    /// Novelty@K, mean self-information (Zhou et al. 2010, PNAS): per user, mean over the list of
    /// log₂(|U| / max(pᵢ, 1)) bits; items never seen in training count as seen once.
    case novelty
    /// Average recommended popularity (ARP, Abdollahpouri et al. 2019): per user, mean pᵢ over the list.
    case averagePopularity = "arp"
    /// Tail share@K: per user, the fraction of the list outside the short head, where the head is the
    /// smallest set of most popular items (ties by lower index) holding `headShare` (20%) of the
    /// training interactions.
    case tailShare = "tail_share"
    /// Jain's index of exposure (`ItemExposure.jain`); `jain_our` its correction to [0, 1].
    case jain
    case jainCorrected = "jain_our"
    /// QF corrected to [0, 1] (`ItemExposure.qfCorrected`); the original QF is `coverage`.
    case qfCorrected = "qf_our"
    /// Entropy of exposure, base n (`ItemExposure.entropy`); `ent_our` its correction.
    case entropy = "ent"
    case entropyCorrected = "ent_our"
    /// Gini corrected to [0, 1] (`ItemExposure.giniCorrected`).
    case giniCorrected = "gini_our"
    /// Gini of rank-weighted exposure (`ItemExposure.giniW`); `gini_w_our` its correction.
    case giniW = "gini_w"
    case giniWCorrected = "gini_w_our"
    /// Maximin-share envy-freeness (`ItemExposure.fsat`); `fsat_our` its correction.
    case fsat
    case fsatCorrected = "fsat_our"
    /// VoCD as the critical study's code computes it (`ItemExposure.vocd`).
    case vocd
    /// Individual-item and all-items disparity of RBP exposure (`ItemExposure.iiD`, `aiD`).
    case iiD = "ii_d"
    case aiD = "ai_d"
    /// Hubness: the skewness of the k-occurrence distribution (`Hubness.skewness`).
    case koccSkewness = "kocc_skew"
    /// Hubness: the share of slots held by hubs, items with Nₖ > 2·mean (`Hubness.hubOccurrence`).
    case hubOccurrence = "hub_occ"

    /// The key used in reports and JSON: `coverage@10`, `tail_share@20`, ….
    public func key(at k: Int) -> String { "\(rawValue)@\(k)" }

    /// Whether the metric has a value per user (and so a paired comparison).
    public var isPerUser: Bool { self == .novelty || self == .averagePopularity || self == .tailShare }

    /// Whether a larger value means a fairer (more even) exposure; nil for measures with no such direction.
    public var higherIsFairer: Bool? {
        switch self {
        case .coverage, .jain, .jainCorrected, .qfCorrected, .entropy, .entropyCorrected, .fsat, .fsatCorrected: true
        case .gini, .giniCorrected, .giniW, .giniWCorrected, .vocd, .iiD, .aiD, .koccSkewness, .hubOccurrence: false
        case .novelty, .averagePopularity, .tailShare: nil
        }
    }
}

/// Training popularity of every item, with the split between short head and long tail.
public struct PopularityProfile: Sendable {
    /// pᵢ: the number of training users of each item.
    public let counts: [Int]
    /// |U|: the number of training users (self-information is log₂(|U| / pᵢ)).
    public let userCount: Int
    /// Whether each item is in the long tail (outside the short head).
    public let isTail: [Bool]

    /// - Parameter headShare: the fraction of training interactions the short head holds (default 0.2).
    /// - Complexity: O(items · log items).
    public init(counts: [Int], userCount: Int, headShare: Double = 0.2) {
        self.counts = counts
        self.userCount = userCount
        let total = counts.reduce(0, +)
        let byPopularity = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        var tail = [Bool](repeating: true, count: counts.count)
        var held = 0
        for i in byPopularity where Double(held) < headShare * Double(total) {
            tail[i] = false
            held += counts[i]
        }
        isTail = tail
    }

    /// Self-information of item `i` in bits: log₂(|U| / max(pᵢ, 1)).
    public func selfInformation(_ i: Int32) -> Double {
        log2(Double(max(userCount, 1)) / Double(max(counts[Int(i)], 1)))
    }

    /// The per-user value of a per-user beyond-accuracy metric for one list cut at `k` (0 when empty).
    public func perUserValue(_ metric: BeyondAccuracyMetric, list: ArraySlice<Int32>, k: Int) -> Double {
        let top = list.prefix(k)
        guard !top.isEmpty else { return 0 }
        var sum = 0.0
        switch metric {
        case .novelty: for i in top { sum += selfInformation(i) }
        case .averagePopularity: for i in top { sum += Double(counts[Int(i)]) }
        case .tailShare: for i in top where isTail[Int(i)] { sum += 1 }
        default: preconditionFailure("\(metric) has no per-user value")
        }
        return sum / Double(top.count)
    }

    /// Item coverage and Gini index of exposure of `lists` cut at `k` (see `BeyondAccuracyMetric`).
    /// - Complexity: O(users · K + items · log items).
    public func coverageAndGini(lists: [[Int32]], k: Int) -> (coverage: Double, gini: Double) {
        let exposure = ItemExposure(lists: lists, k: k, itemCount: counts.count)
        guard exposure.itemCount > 0 else { return (0, 0) }
        return (exposure.qf, exposure.slots > 0 ? exposure.gini : 0)
    }
}
