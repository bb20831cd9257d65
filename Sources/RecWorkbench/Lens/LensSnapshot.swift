import RecCore
import RecEval
import RecModels

/// What the explorer's Lens pane shows for the prepared models of one split at one K, computed in one go by
/// `SplitModels.lens` from the same `Evaluator.evaluateLens` that `recscope eval` prints.
public struct LensSnapshot: Hashable, Sendable {
    /// One model: its position against the frontier, its exposure curve and its hubs.
    public struct Model: Hashable, Sendable {
        public var model: ModelKind
        /// Every mean of its report (`ndcg@10`, `jain_our@10`, `dpfr_gini@10`, …).
        public var values: [String: Double]
        /// The Lorenz curve of its exposure: `lorenzPoints + 1` shares from 0 to 1.
        public var lorenz: [Double]
        /// `kOccurrence[c]`: the number of items in exactly c of its lists.
        public var kOccurrence: [Int]
        /// Its hubs (k-occurrence > 2 × mean), most frequent first, at most `hubLimit`.
        public var hubs: [Hub]
        public var hubCount: Int
        public var antiHubCount: Int

        public init(model: ModelKind, values: [String: Double], lorenz: [Double], kOccurrence: [Int], hubs: [Hub],
                    hubCount: Int, antiHubCount: Int) {
            self.model = model
            self.values = values
            self.lorenz = lorenz
            self.kOccurrence = kOccurrence
            self.hubs = hubs
            self.hubCount = hubCount
            self.antiHubCount = antiHubCount
        }
    }

    public struct Hub: Hashable, Sendable {
        public var id: String
        public var title: String
        public var count: Int

        public init(id: String, title: String, count: Int) {
            self.id = id
            self.title = title
            self.count = count
        }
    }

    /// One segment: its users (external ids, ascending by index) and every model's means over them.
    public struct Segment: Hashable, Sendable {
        public var name: String
        public var users: [String]
        public var values: [ModelKind: [String: Double]]

        public init(name: String, users: [String], values: [ModelKind: [String: Double]]) {
            self.name = name
            self.users = users
            self.values = values
        }
    }

    public var k: Int
    public var users: Int
    public var items: Int
    public var models: [Model]
    public var frontier: [ParetoFrontier.Point]
    /// DPFR's reference point per fairness measure (`jain_our`, `ent_our`, `gini_our`): (NDCG, fairness).
    public var references: [String: [Double]]
    public var segments: [SegmentAxis: [Segment]]
    /// Seconds the measures took (ranking excluded), as `RetrievalClock` reports them.
    public var seconds: Double

    public static let lorenzPoints = 40
    public static let hubLimit = 50

    public init(k: Int, users: Int, items: Int, models: [Model], frontier: [ParetoFrontier.Point],
                references: [String: [Double]], segments: [SegmentAxis: [Segment]], seconds: Double) {
        self.k = k
        self.users = users
        self.items = items
        self.models = models
        self.frontier = frontier
        self.references = references
        self.segments = segments
        self.seconds = seconds
    }
}

extension SplitModels {
    /// The lens of the prepared `models` at cutoff `k`: each ranked once (and kept), then every measure, the
    /// frontier and the three segmentations, the four evaluations spread over `threads` (0: every core; the
    /// result does not depend on it).
    public func lens(models kinds: [ModelKind], k: Int, threads: Int = 1) throws -> LensSnapshot {
        let d = try data()
        let ranked = try kinds.map { kind in RankedModel(name: kind.rawValue, lists: try rankedLists(kind, k: k)) }
        let view = d.view
        let rows = try rowsBench()
        let split = try rows.split(view.name)
        let popularity = PopularityProfile(counts: view.train.itemCounts(), userCount: view.userCount)
        let evaluator = Evaluator(cutoffs: [k])
        let (snapshot, seconds) = clock.measure { () -> LensSnapshot in
            let axes = SegmentAxis.allCases
            // The whole split and each segmentation are independent evaluations: one per worker.
            let parts = Parallel.map(count: axes.count + 1, threads: threads) { n -> (LensReports?, [SegmentReports]) in
                if n == 0 { return (evaluator.evaluateLens(ranked, heldOut: view.test, popularity: popularity, train: view.train), []) }
                let groups = rows.segments(axes[n - 1], split: split, heldOut: view.test, train: view.train)
                return (nil, evaluator.evaluateSegments(ranked, segments: groups, popularity: popularity, train: view.train))
            }
            let lens = parts[0].0!
            let frontier = lens.frontiers[k] ?? ParetoFrontier(k: k, points: [])
            var references: [String: [Double]] = [:]
            for axis in FrontierFairness.allCases {
                if let r = frontier.reference(axis) { references[axis.rawValue] = [r.relevance, r.fairness] }
            }
            let models = zip(kinds, zip(ranked, lens.reports)).map { kind, pair in
                let exposure = ItemExposure(lists: pair.0.lists.lists.map { $0.map(\.item) }, k: k, itemCount: view.test.truth.itemCount)
                let hubness = Hubness(exposure)
                return LensSnapshot.Model(
                    model: kind, values: pair.1.means, lorenz: exposure.lorenzCurve(points: LensSnapshot.lorenzPoints),
                    kOccurrence: hubness.distribution,
                    hubs: hubness.hubs.prefix(LensSnapshot.hubLimit).map {
                        LensSnapshot.Hub(id: d.bench.log.itemIDs[Int($0.item)], title: d.titles[Int($0.item)], count: $0.count)
                    },
                    hubCount: hubness.hubs.count, antiHubCount: hubness.antiHubCount)
            }
            var segments: [SegmentAxis: [LensSnapshot.Segment]] = [:]
            for (n, axis) in axes.enumerated() {
                segments[axis] = parts[n + 1].1.map { part in
                    var values: [ModelKind: [String: Double]] = [:]
                    for (kind, report) in zip(kinds, part.lens?.reports ?? []) { values[kind] = report.means }
                    return LensSnapshot.Segment(name: part.segment, users: part.users.map { d.bench.log.userIDs[$0] }, values: values)
                }
            }
            return LensSnapshot(k: k, users: lens.reports.first?.users.count ?? 0, items: view.test.truth.itemCount, models: models,
                                frontier: frontier.points, references: references, segments: segments, seconds: 0)
        }
        var out = snapshot
        out.seconds = seconds
        return out
    }

    /// The top-`k` lists of a prepared model for every test user, made once per (model, k) and kept.
    public func rankedLists(_ kind: ModelKind, k: Int) throws -> RankedLists {
        let key = "\(kind.rawValue)@\(k)"
        if let kept = lensLists.withLock({ $0[key] }) { return kept }
        let lists = Evaluator(cutoffs: [k]).rank(try trained(kind), heldOut: try data().view.test)
        lensLists.withLock { $0[key] = lists }
        return lists
    }
}
