import Foundation

/// One recommended item as a pane shows it.
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

/// A model's top-K for one user and the time its retrieval took (scoring and `TopK`, nothing else).
public struct Recommendations: Hashable, Sendable {
    public var items: [RecommendedItem]
    public var seconds: Double
    /// How a multi-stage model got there, one line per stage (`sid`: the beam; `rank`: generate, then rank).
    public var stages: [String]

    public init(items: [RecommendedItem], seconds: Double, stages: [String] = []) {
        self.items = items
        self.seconds = seconds
        self.stages = stages
    }
}

/// An item of a user's history or held-out part.
public struct ProfileItem: Hashable, Sendable {
    public var id: String
    public var title: String
    /// `test` or `valid` for held-out items, `train` for history.
    public var role: String

    public init(id: String, title: String, role: String) {
        self.id = id
        self.title = title
        self.role = role
    }
}

/// What the Compare pane shows about a user besides the lists: recent training history and held-out items.
public struct UserProfile: Hashable, Sendable {
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
}

/// Where a prepared model came from.
public enum ModelOrigin: String, Hashable, Sendable {
    /// Loaded from the catalog (stored by `recscope eval`/`train`, or by an earlier explorer session).
    case stored
    /// Trained now (and stored, when the source has a catalog).
    case trained
}

/// A model ready to recommend.
public struct ModelInfo: Hashable, Sendable {
    public var model: String
    public var origin: ModelOrigin
    public var fitSeconds: Double

    public init(model: String, origin: ModelOrigin, fitSeconds: Double) {
        self.model = model
        self.origin = origin
        self.fitSeconds = fitSeconds
    }
}

/// One row of the Metrics pane: a model's means over the split's test users.
public struct ModelMetrics: Hashable, Sendable {
    public var model: String
    /// Metric name (`Recall@10`, `NDCG@10`, `MRR@10`) to its mean.
    public var values: [String: Double]
    /// Metric name to its value for each evaluated user (users in ascending index order, the same
    /// users for every model of a split), for the A − B distribution.
    public var perUser: [String: [Double]]

    public init(model: String, values: [String: Double], perUser: [String: [Double]] = [:]) {
        self.model = model
        self.values = values
        self.perUser = perUser
    }
}

/// Models trained on a split's training part, asked for one user at a time: what the Recommend/Compare
/// and Metrics panes read. Every call is synchronous and meant for a background queue.
public protocol RecommendationSource: Sendable {
    /// The split the models are trained on (`loo`).
    var splitName: String { get }
    /// Model names, in the order `a`/`b` cycle through them.
    var modelNames: [String] { get }
    /// Loads `model` (stored) or trains it (and stores it), reporting progress lines on the way.
    func prepare(model: String, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo
    /// The top `k` of a prepared `model` for `user`, without the user's training items when `excludeSeen`.
    func recommend(user: String, model: String, k: Int, excludeSeen: Bool) throws -> Recommendations
    /// The user's recent training history (at most `recent` items) and held-out items.
    func profile(user: String, recent: Int) throws -> UserProfile
    /// Recall, NDCG and MRR at `k` of a prepared `model` on the split's test part.
    func metrics(model: String, k: Int) throws -> ModelMetrics
    /// The `k` items most like `item` by a prepared `model`'s own similarity (`TrainedModel.similarItems`),
    /// never `item` itself; models without one (pop) answer with the most popular other items.
    func similarItems(item: String, model: String, k: Int) throws -> [RecommendedItem]
}

/// Why a recommendation could not be given; the message says what to do.
public struct RecommendationError: Error, CustomStringConvertible, Hashable {
    public let description: String
    public init(_ message: String) { description = message }
}
