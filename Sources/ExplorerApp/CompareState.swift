import RecModels
import RecWorkbench

/// Where a model of the Compare pane stands.
public enum ModelStatus: Hashable, Sendable {
    /// Being loaded or trained; the text is the latest progress line.
    case preparing(String)
    case ready(ModelInfo)
    case failed(String)
}

/// The left (A) or right (B) list of the Compare pane.
public enum CompareSide: String, Hashable, Sendable, CaseIterable {
    case a = "A", b = "B"
}

/// What one list of the Compare pane is asked for; a list answers only the request still current.
public struct CompareRequest: Hashable, Sendable {
    public var user: String
    public var model: ModelKind
    public var k: Int
    public var excludeSeen: Bool

    public init(user: String, model: ModelKind, k: Int, excludeSeen: Bool) {
        self.user = user
        self.model = model
        self.k = k
        self.excludeSeen = excludeSeen
    }
}

/// Everything the Compare and Metrics panes show, inside `AppState`.
public struct CompareState: Hashable, Sendable {
    public static let kRange = 1...50
    /// How many recent training items the Compare pane lists above the recommendations.
    public static let historyCount = 5
    /// The cutoff of the Metrics pane.
    public static let metricsK = 10

    /// Model names `a` and `b` cycle through (empty: no recommendation source).
    public var modelNames: [ModelKind] = []
    public var splitName = "loo"
    public var modelA = ModelKind.pop
    public var modelB = ModelKind.itemknn
    public var k = 10
    /// Whether the lists leave out the items the user has before the test rows.
    public var excludeSeen = true
    public var status: [ModelKind: ModelStatus] = [:]
    /// The lists shown, with the request each answers.
    public var lists: [CompareSide: CompareResult] = [:]
    /// Requests sent and not answered yet, so a request is not sent twice.
    public var pending: [CompareSide: CompareRequest] = [:]
    public var profile: UserHistory? = nil
    /// Whether the Metrics pane has asked for every model's metrics.
    public var metricsWanted = false
    public var metrics: [ModelKind: ModelMetrics] = [:]
    /// Models whose metrics are being computed.
    public var metricsPending: Set<ModelKind> = []

    public init() {}

    public func model(_ side: CompareSide) -> ModelKind { side == .a ? modelA : modelB }

    /// The current list of `side` for `request`, or nil while it is being computed.
    public func list(_ side: CompareSide, for request: CompareRequest?) -> Recommendations? {
        guard let request, let result = lists[side], result.request == request else { return nil }
        return result.recommendations
    }
}

/// What the item detail's "similar items" section asks for: `k` items like `item` by `model`.
public struct SimilarRequest: Hashable, Sendable {
    public var item: String
    public var model: ModelKind
    public var k: Int

    public init(item: String, model: ModelKind, k: Int) {
        self.item = item
        self.model = model
        self.k = k
    }
}

/// The item detail's similar items: the request, and its answer once it came.
public struct SimilarItems: Hashable, Sendable {
    /// How many similar items the detail lists.
    public static let count = 10

    public var request: SimilarRequest
    /// nil until the answer came (the model may still be preparing).
    public var items: [RecommendedItem]? = nil
    public var failure: String? = nil
    /// Whether the effect was sent (it waits until the model is ready).
    public var sent = false

    public init(request: SimilarRequest) { self.request = request }
}

/// A list of the Compare pane and the request it answers.
public struct CompareResult: Hashable, Sendable {
    public var request: CompareRequest
    public var recommendations: Recommendations

    public init(request: CompareRequest, recommendations: Recommendations) {
        self.request = request
        self.recommendations = recommendations
    }
}
