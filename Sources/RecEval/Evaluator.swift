import RecCore

/// Batched top-K evaluation: each user is ranked once per model, and every metric at every K reads that list.
///
/// ```swift
/// let split = Split.leaveOneOut(users: u, timestamps: t, sequence: seq)
/// let test = split.heldOut(.test, users: u, items: i, userCount: nu, itemCount: ni)
/// let train = split.matrix(of: [.train], users: u, items: i, userCount: nu, itemCount: ni)
/// let popularity = PopularityProfile(counts: train.itemCounts(), userCount: nu)
/// let report = Evaluator(cutoffs: [10, 20]).evaluate(model, heldOut: test, popularity: popularity)
/// report.means["recall@10"]
/// ```
public struct Evaluator: Sendable {
    /// The K values to report, e.g. `[10, 20]`; lists are made once at the largest.
    public var cutoffs: [Int]
    public var metrics: [Metric]
    public var beyondAccuracy: [BeyondAccuracyMetric]
    public var candidates: CandidateMode
    /// Parallel workers for ranking; results do not depend on it.
    public var threads: Int
    /// Users per `recommend(users:k:exclude:)` call.
    public var batchSize: Int

    public init(cutoffs: [Int] = [10], metrics: [Metric] = Metric.allCases,
                beyondAccuracy: [BeyondAccuracyMetric] = BeyondAccuracyMetric.allCases,
                candidates: CandidateMode = .fullRanking, threads: Int = 1, batchSize: Int = 256) {
        precondition(!cutoffs.isEmpty && cutoffs.allSatisfy { $0 > 0 }, "cutoffs must be positive")
        precondition(threads > 0 && batchSize > 0, "threads and batchSize must be positive")
        self.cutoffs = cutoffs.sorted()
        self.metrics = metrics
        self.beyondAccuracy = beyondAccuracy
        self.candidates = candidates
        self.threads = threads
        self.batchSize = batchSize
    }

    /// Ranks every user with held-out items once and computes every metric from those lists.
    public func evaluate(_ model: any Recommender, heldOut: HeldOut, popularity: PopularityProfile) -> EvaluationReport {
        evaluate(rank(model, heldOut: heldOut), model: model.name, heldOut: heldOut, popularity: popularity)
    }

    /// Computes every metric at every cutoff from lists already made (e.g. the ones exported as a TREC run).
    /// - Complexity: O(users · K · (log |T| + metrics · cutoffs)) + O(items · log items) per cutoff.
    public func evaluate(_ ranked: RankedLists, model: String, heldOut: HeldOut,
                         popularity: PopularityProfile) -> EvaluationReport {
        var keys: [String] = []
        var perUser: [String: [Double]] = [:]
        var means: [String: Double] = [:]
        let users = ranked.users
        var hitLists: [[Bool]] = []
        hitLists.reserveCapacity(users.count)
        for (n, u) in users.enumerated() {
            hitLists.append(ranked.lists[n].map { heldOut.truth.contains(user: u, item: $0.item) })
        }
        let itemLists = ranked.lists.map { $0.map(\.item) }
        for k in cutoffs {
            for metric in metrics {
                let key = metric.key(at: k)
                var values = [Double](repeating: 0, count: users.count)
                for (n, u) in users.enumerated() {
                    values[n] = metric.value(hits: hitLists[n], truthCount: heldOut.truth.rowLength(u), k: k)
                }
                keys.append(key)
                perUser[key] = values
                means[key] = _mean(values)
            }
            var exposure: ItemExposure?
            for metric in beyondAccuracy {
                let key = metric.key(at: k)
                keys.append(key)
                if metric.isPerUser {
                    let values = itemLists.map { popularity.perUserValue(metric, list: $0[...], k: k) }
                    perUser[key] = values
                    means[key] = _mean(values)
                } else {
                    if exposure == nil { exposure = ItemExposure(lists: itemLists, k: k, itemCount: popularity.counts.count) }
                    means[key] = exposure!.value(metric)
                }
            }
        }
        return EvaluationReport(model: model, candidates: ranked.candidates, cutoffs: cutoffs, users: users,
                                keys: keys, means: means, perUser: perUser)
    }
}

/// The result of evaluating one model: mean metrics and the per-user values behind them.
public struct EvaluationReport: Sendable {
    public let model: String
    /// `full`, or sampled: `candidates.label` must appear next to any number from a sampled evaluation.
    public let candidates: CandidateMode
    public let cutoffs: [Int]
    /// The evaluated users (dense indices, ascending); per-user arrays are aligned with it.
    public let users: [Int]
    /// Every metric key in report order: per cutoff, accuracy metrics then beyond-accuracy ones.
    public let keys: [String]
    /// Mean over evaluated users (whole-list measures such as coverage, Gini and Jain: the value for the
    /// whole set of lists; NaN where a measure is undefined for these lists).
    public let means: [String: Double]
    /// Per-user values for every per-user key (accuracy metrics, novelty, ARP, tail share).
    public let perUser: [String: [Double]]
}

func _mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}
