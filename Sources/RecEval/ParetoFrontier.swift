#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fairness/relevance Pareto frontier of one set of test users, built as DPFR builds it (Rampisela et al.,
/// "Joint Evaluation of Fairness and Relevance in Recommender Systems with Pareto Frontier", WWW 2025): an
/// oracle gives every user their relevant items first, then re-ranks step by step towards the fairest
/// exposure, and every step is a point. DPFR, a model's distance to the frontier, is the Euclidean distance
/// of its (relevance, fairness) to the frontier's point halfway along the frontier's length.
///
/// Relevance is NDCG@K; fairness is Jain_our, Ent_our or Gini_our (`FrontierFairness`). The oracle follows
/// the paper's code (`pareto/generate_pareto.py`) step for step; where that code leaves the order to Python
/// sets, pandas' unstable sort or `Counter` insertion order, ties go to the lower item index and the lower user
/// index, and an item no candidate user can take is skipped instead of raising. `docs/METRICS.md` lists the steps.
public struct ParetoFrontier: Sendable {
    /// One state of the oracle's lists: mean NDCG@K and the corrected exposure measures.
    public struct Point: Hashable, Sendable {
        public var ndcg: Double
        public var jain: Double
        public var entropy: Double
        public var gini: Double

        public init(ndcg: Double, jain: Double, entropy: Double, gini: Double) {
            self.ndcg = ndcg
            self.jain = jain
            self.entropy = entropy
            self.gini = gini
        }

        public func fairness(_ axis: FrontierFairness) -> Double {
            switch axis {
            case .jain: jain
            case .entropy: entropy
            case .gini: gini
            }
        }
    }

    public let k: Int
    /// In the order the oracle made them: the most relevant first, the fairest last.
    public let points: [Point]
    /// The oracle's final lists (per evaluated user, best first), for checks.
    public let finalLists: [[Int32]]

    public init(k: Int, points: [Point], finalLists: [[Int32]] = []) {
        self.k = k
        self.points = points
        self.finalLists = finalLists
    }

    /// The frontier of `users` (default: every user with a held-out item) at cutoff `k`.
    /// - Complexity: O(m·K·log n + Σ|seen| log n) to start, then O(log n + Nₖ(most exposed) · log |seen|) per step.
    public static func build(heldOut: HeldOut, users: [Int]? = nil, k: Int) -> ParetoFrontier {
        var oracle = _ParetoOracle(heldOut: heldOut, users: users ?? heldOut.evaluatedUsers, k: k)
        return oracle.run()
    }

    /// The reference point of DPFR: points sorted by relevance descending (stable), one per relevance value
    /// (the last, the fairest), then the point whose distance along that path is nearest to `alpha` of its
    /// length (the notebook's `find_nearest_all`, α = 0.5).
    public func reference(_ axis: FrontierFairness, alpha: Double = 0.5) -> (relevance: Double, fairness: Double)? {
        guard !points.isEmpty else { return nil }
        let ordered = points.indices.sorted { points[$0].ndcg != points[$1].ndcg ? points[$0].ndcg > points[$1].ndcg : $0 < $1 }
        var path: [(Double, Double)] = []
        for p in ordered {
            let point = (points[p].ndcg, points[p].fairness(axis))
            if let last = path.last, last.0 == point.0 { path[path.count - 1] = point } else { path.append(point) }
        }
        guard path.count > 1 else { return path.first.map { (relevance: $0.0, fairness: $0.1) } }
        var cumulative: [Double] = []
        var length = 0.0
        for t in 1..<path.count {
            length += hypot(path[t].0 - path[t - 1].0, path[t].1 - path[t - 1].1)
            cumulative.append(length)
        }
        let target = alpha * length
        var best = 0
        for t in cumulative.indices where abs(cumulative[t] - target) < abs(cumulative[best] - target) { best = t }
        return (relevance: path[best + 1].0, fairness: path[best + 1].1)
    }

    /// DPFR: the distance from (relevance, fairness) to `reference(axis)`; NaN for an empty frontier.
    public func distance(relevance: Double, fairness: Double, axis: FrontierFairness) -> Double {
        guard let r = reference(axis) else { return .nan }
        return hypot(relevance - r.relevance, fairness - r.fairness)
    }
}

/// The fairness measure on a frontier's second axis.
public enum FrontierFairness: String, Sendable, CaseIterable, Codable {
    case jain = "jain_our"
    case entropy = "ent_our"
    case gini = "gini_our"

    /// The measure of the model's own lists on this axis.
    public var metric: BeyondAccuracyMetric {
        switch self {
        case .jain: .jainCorrected
        case .entropy: .entropyCorrected
        case .gini: .giniCorrected
        }
    }

    /// The DPFR key in reports: `dpfr_jain@10`.
    public func key(at k: Int) -> String {
        switch self {
        case .jain: "dpfr_jain@\(k)"
        case .entropy: "dpfr_ent@\(k)"
        case .gini: "dpfr_gini@\(k)"
        }
    }
}
