import RecCore

/// One model's ranked lists, named, for measures that read several models or several users at once.
public struct RankedModel: Sendable {
    public let name: String
    public let lists: RankedLists

    public init(name: String, lists: RankedLists) {
        self.name = name
        self.lists = lists
    }

    /// The lists of `users` only (a subset of `lists.users`, ascending).
    public func restricted(to users: [Int]) -> RankedModel {
        var position: [Int: Int] = [:]
        for (n, u) in lists.users.enumerated() { position[u] = n }
        let kept = users.filter { position[$0] != nil }
        return RankedModel(name: name, lists: RankedLists(users: kept, lists: kept.map { lists.lists[position[$0]!] },
                                                          depth: lists.depth, candidates: lists.candidates))
    }
}

/// Every model's report over one set of users, with the measures that need more than one list: PUF (user
/// pairs, from the training histories) and DPFR (the frontier of these users' truth), and the frontier itself.
public struct LensReports: Sendable {
    public let reports: [EvaluationReport]
    /// The Pareto frontier at each cutoff.
    public let frontiers: [Int: ParetoFrontier]
    /// The users PUF paired: all evaluated users, or a seeded sample of `Evaluator.pufUserLimit` of them.
    public var pufUsers = 0
    public var pufSampled: Bool { pufUsers < (reports.first?.users.count ?? 0) }
}

extension Evaluator {
    /// PUF's cost grows with the square of the users sharing an item (at 160,000 users and 24M interactions it
    /// took minutes); above this many evaluated users it pairs a seeded sample of this many (`pufSample`).
    public static let pufUserLimit = 20_000

    /// Positions (ascending) of a seeded sample of `limit` of `count` users, or nil when all of them fit.
    static func pufSample(_ count: Int, limit: Int = pufUserLimit) -> [Int]? {
        guard count > limit else { return nil }
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: 0x9F_5A3B)
        for i in 0..<limit { order.swapAt(i, i + rng.nextIndex(below: count - i)) }
        return order[..<limit].sorted()
    }

    /// Reports of already-ranked `models` judged on `heldOut` (all of it, or a segment's), each with
    /// `puf_ndcg@K`, `puf_prec@K` (`PairwiseUserUnfairness`) and `dpfr_jain@K`, `dpfr_ent@K`, `dpfr_gini@K`
    /// (`ParetoFrontier`) after the single-list measures. `train` is the split's training matrix.
    /// - Complexity: the evaluator's, plus one frontier per cutoff and one pass over similar user pairs per cutoff.
    public func evaluateLens(_ models: [RankedModel], heldOut: HeldOut, popularity: PopularityProfile,
                             train: InteractionMatrix) -> LensReports {
        var reports = models.map { evaluate($0.lists, model: $0.name, heldOut: heldOut, popularity: popularity) }
        guard let users = reports.first?.users else { return LensReports(reports: [], frontiers: [:]) }
        var frontiers: [Int: ParetoFrontier] = [:]
        let sample = Self.pufSample(users.count)
        let pufUsers = sample.map { $0.map { users[$0] } } ?? users
        for k in cutoffs {
            let frontier = ParetoFrontier.build(heldOut: heldOut, users: users, k: k)
            frontiers[k] = frontier
            let vectors = reports.flatMap { r in
                [Metric.ndcg, .precision].map { r.perUser[$0.key(at: k)] ?? [Double](repeating: 0, count: users.count) }
            }.map { v in sample.map { $0.map { v[$0] } } ?? v }
            let puf = PairwiseUserUnfairness.compute(train: train, users: pufUsers, effectiveness: vectors, threads: threads)
            for m in reports.indices {
                var extra: [(String, Double)] = [("puf_ndcg@\(k)", puf[2 * m]), ("puf_prec@\(k)", puf[2 * m + 1])]
                let relevance = reports[m].means[Metric.ndcg.key(at: k)] ?? .nan
                for axis in FrontierFairness.allCases {
                    let fairness = reports[m].means[axis.metric.key(at: k)] ?? .nan
                    extra.append((axis.key(at: k), frontier.distance(relevance: relevance, fairness: fairness, axis: axis)))
                }
                reports[m] = reports[m].adding(extra)
            }
        }
        var out = LensReports(reports: reports, frontiers: frontiers)
        out.pufUsers = pufUsers.count
        return out
    }
}

extension EvaluationReport {
    /// This report with more whole-list values after its keys.
    public func adding(_ extra: [(key: String, value: Double)]) -> EvaluationReport {
        var means = self.means
        for (key, value) in extra { means[key] = value }
        return EvaluationReport(model: model, candidates: candidates, cutoffs: cutoffs, users: users,
                                keys: keys + extra.map(\.key).filter { self.means[$0] == nil }, means: means, perUser: perUser)
    }
}

/// One segment's reports: its users' lists judged on its truth.
public struct SegmentReports: Sendable {
    public let segment: String
    public let users: [Int]
    /// nil for a segment without users.
    public let lens: LensReports?
}

extension Evaluator {
    /// `evaluateLens` for each segment of `segments`, on the segment's users' lists and truth.
    public func evaluateSegments(_ models: [RankedModel], segments: UserSegments, popularity: PopularityProfile,
                                 train: InteractionMatrix) -> [SegmentReports] {
        segments.segments.map { s in
            guard !s.users.isEmpty else { return SegmentReports(segment: s.name, users: [], lens: nil) }
            let lens = evaluateLens(models.map { $0.restricted(to: s.users) }, heldOut: s.heldOut, popularity: popularity, train: train)
            return SegmentReports(segment: s.name, users: s.users, lens: lens)
        }
    }
}

extension EvaluationReport {
    /// The measures that need several lists or users at once, as `evaluateLens` names them (before `@K`).
    public static let jointMeasures = ["puf_ndcg", "puf_prec"] + FrontierFairness.allCases.map { $0.key(at: 0).replacingAt() }
    /// Every measure name a report can hold (before `@K`), accuracy first.
    public static let measureNames = Metric.allCases.map(\.rawValue) + BeyondAccuracyMetric.allCases.map(\.rawValue) + jointMeasures
    /// What `recscope eval` shows when `--metrics` is not given: accuracy, popularity bias, exposure fairness,
    /// hubness, user fairness and the joint fairness/relevance distance.
    public static let defaultColumns = ["recall", "ndcg", "mrr", "coverage", "novelty", "arp", "jain_our", "ent_our",
                                        "gini_our", "kocc_skew", "puf_ndcg", "dpfr_gini"]
}

private extension String {
    /// `dpfr_jain@0` → `dpfr_jain`.
    func replacingAt() -> String { String(split(separator: "@").first ?? "") }
}
