import RecCore
import RecEval
import RecModels

/// One recommended (or similar) item as the explorer shows it.
public struct RecommendedItem: Hashable, Sendable {
    public var id: String
    public var title: String
    public var score: Float

    public init(id: String, title: String, score: Float) {
        self.id = id
        self.title = title
        self.score = score
    }
}

/// How a multi-stage model reached its list, as data (`StagePresenter` turns it into text).
public enum RecommendationStages: Hashable, Sendable {
    /// `sid`: the beam, level by level.
    case beam(BeamTrace)
    /// `rank`: the retrievers' candidates, then the ranker.
    case generateRank(RankStages)
    /// `sasrec`, `bert4rec`: the last block's attention over the user's recent items.
    case attention(AttentionStages)
    /// `sidgen`: the constrained beam that wrote the next item's code, level by level.
    case decode(DecodeTrace)
}

/// Why a transformer ranked as it did for one user: the last block's attention from the scoring position
/// over the window of recent items it read, per head, and how like each recommended item each window item is.
public struct AttentionStages: Hashable, Sendable {
    /// One position of the window read, newest first.
    public struct Position: Hashable, Sendable {
        /// The item's external id; nil for BERT4Rec's `[mask]`, the position being predicted.
        public var id: String?
        public var title: String
        /// The weight of each head on this position (each head's weights sum to 1 over the window).
        public var heads: [Float]
        /// The weight averaged over heads.
        public var mean: Float { heads.isEmpty ? 0 : heads.reduce(0, +) / Float(heads.count) }
    }

    public var positions: [Position]
    /// The list, best first.
    public var items: [ScoredItem]
    /// `similarity[i][n]`: the cosine of recommended item i's embedding with position n's item (0 for `[mask]`).
    public var similarity: [[Float]]
    public var headCount: Int

    /// The stages of `model` for user `u` and its list `items`; nil when the user has no history (the list is
    /// then popularity). `itemID` and `title` name items.
    public init?(_ model: any AttentionExplaining, user u: Int, items: [ScoredItem], itemID: (Int32) -> String,
                 title: (Int32) -> String) {
        guard let trace = model.attention(user: u) else { return nil }
        headCount = trace.heads.count
        let order = Array(trace.items.indices.reversed())
        positions = order.map { t in
            let item = trace.items[t]
            return Position(id: item < 0 ? nil : itemID(item), title: item < 0 ? "[mask] (the position scored)" : title(item),
                            heads: trace.heads.map { $0[t] })
        }
        self.items = items
        similarity = items.map { s in order.map { t in trace.items[t] < 0 ? 0 : model.itemSimilarity(Int(s.item), Int(trace.items[t])) } }
    }
}

/// A model's top-K for one user and the time its retrieval took (scoring and `TopK`, nothing else).
public struct Recommendations: Hashable, Sendable {
    public var items: [RecommendedItem]
    public var seconds: Double
    /// The stages of `sid` and `rank`; nil for single-stage models.
    public var stages: RecommendationStages?

    public init(items: [RecommendedItem], seconds: Double, stages: RecommendationStages? = nil) {
        self.items = items
        self.seconds = seconds
        self.stages = stages
    }
}

/// An item of a user's history or held-out part, with its role in the split.
public struct ProfileItem: Hashable, Sendable {
    public var id: String
    public var title: String
    public var role: SplitRole

    public init(id: String, title: String, role: SplitRole) {
        self.id = id
        self.title = title
        self.role = role
    }
}

/// A user's side of a split: how much training history, the latest of it, and the held-out items.
public struct UserHistory: Hashable, Sendable {
    public var user: String
    /// Interactions in the split's training part.
    public var trainCount: Int
    /// The latest training items, newest first.
    public var recent: [ProfileItem]
    /// The split's held-out items of the user (leave-one-out: the last is test, the one before valid).
    public var heldOut: [ProfileItem]

    public init(user: String, trainCount: Int, recent: [ProfileItem], heldOut: [ProfileItem]) {
        self.user = user
        self.trainCount = trainCount
        self.recent = recent
        self.heldOut = heldOut
    }

    /// The held-out test items.
    public var test: [ProfileItem] { heldOut.filter { $0.role == .test } }
}

/// Where a prepared model came from.
public enum ModelOrigin: String, Hashable, Sendable {
    /// Loaded from the catalog (stored by `recscope eval`/`train`, or by an earlier explorer session).
    case stored
    /// Trained now (and stored, when the workbench has a catalog).
    case trained
}

/// A model ready to recommend.
public struct ModelInfo: Hashable, Sendable {
    public var model: ModelKind
    public var origin: ModelOrigin
    public var fitSeconds: Double

    public init(model: ModelKind, origin: ModelOrigin, fitSeconds: Double) {
        self.model = model
        self.origin = origin
        self.fitSeconds = fitSeconds
    }
}

/// A model's means over the split's test users, and each user's value.
public struct ModelMetrics: Hashable, Sendable {
    public var model: ModelKind
    /// Metric key (`recall@10`, `ndcg@10`, `mrr@10`) to its mean.
    public var values: [String: Double]
    /// Metric key to its value for each evaluated user (users in ascending index order, the same users for
    /// every model of a split), for the A − B distribution.
    public var perUser: [String: [Double]]

    public init(model: ModelKind, values: [String: Double], perUser: [String: [Double]] = [:]) {
        self.model = model
        self.values = values
        self.perUser = perUser
    }
}

/// How retrievals are timed: the monotonic clock, or a fixed answer so snapshots are reproducible.
public enum RetrievalClock: Sendable {
    case continuous
    /// Reports this many seconds for every timing (tests and demo screenshots).
    case fixed(Double)

    /// A time measured elsewhere, as this clock reports it (the fixed answer for a fixed clock).
    public func report(_ seconds: Double) -> Double {
        if case .fixed(let fixed) = self { return fixed }
        return seconds
    }

    public func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let (result, seconds) = try Stopwatch.time(body)
        return (result, report(seconds))
    }
}
