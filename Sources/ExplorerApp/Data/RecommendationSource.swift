import RecCatalog
import RecModels
import RecWorkbench

/// Models trained on a split's training part, asked for one user at a time: what the Compare, Metrics,
/// Items and Simulate panes read. Every call is synchronous and meant for a background queue.
public protocol RecommendationSource: Sendable {
    /// The split the models are trained on (`loo`).
    var splitName: String { get }
    /// The models, in the order `a`/`b` cycle through them.
    var modelKinds: [ModelKind] { get }
    /// Loads `model` (stored) or trains it (and stores it), reporting progress lines on the way.
    func prepare(model: ModelKind, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo
    /// The top `k` of a prepared `model` for `user`, without the user's training items when `excludeSeen`.
    func recommend(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> Recommendations
    /// The user's recent training history (at most `recent` items) and held-out items.
    func history(user: String, recent: Int) throws -> UserHistory
    /// Recall, NDCG and MRR at `k` of a prepared `model` on the split's test part.
    func metrics(model: ModelKind, k: Int) throws -> ModelMetrics
    /// The `k` items most like `item` by a prepared `model`'s own similarity (`TrainedModel.similarItems`),
    /// never `item` itself; models without one (pop) answer with the most popular other items.
    func similarItems(item: String, model: ModelKind, k: Int) throws -> [RecommendedItem]
    /// The fairness lens of prepared `models` at `k`: frontier, exposure, hubs and segments (`SplitModels.lens`).
    func lens(models: [ModelKind], k: Int) throws -> LensSnapshot
    /// A prepared `model`'s top `k` for `user` with why each item is there (`SplitModels.explain`).
    func explain(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> ExplainedList
    /// Every prepared model's top `k` for a what-if user known by `items` (ids, oldest first; the last `recent`
    /// read, 0: all), none of the items recommended (`SplitModels.whatIf`).
    func whatIf(items: [String], recent: Int, k: Int, models: [ModelKind]) throws -> [ModelKind: Recommendations]
    /// One what-if list with why each item is there.
    func explainWhatIf(items: [String], recent: Int, k: Int, model: ModelKind) throws -> ExplainedList
    /// A user's training items in the split, oldest first.
    func trainingItems(user: String) throws -> [ItemName]
    /// Saved what-if users.
    func personas() throws -> [StoredPersona]
    func persona(named name: String) throws -> (persona: StoredPersona, items: [ItemName])?
    func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws
}

/// What a source that only ranks for catalog users answers to the rest.
extension RecommendationSource {
    public func explain(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> ExplainedList {
        throw RecommendationError("this source does not explain its lists")
    }
    public func whatIf(items: [String], recent: Int, k: Int, models: [ModelKind]) throws -> [ModelKind: Recommendations] {
        throw RecommendationError("this source has no what-if users")
    }
    public func explainWhatIf(items: [String], recent: Int, k: Int, model: ModelKind) throws -> ExplainedList {
        throw RecommendationError("this source has no what-if users")
    }
    public func trainingItems(user: String) throws -> [ItemName] { throw RecommendationError("this source has no histories") }
    public func personas() throws -> [StoredPersona] { [] }
    public func persona(named name: String) throws -> (persona: StoredPersona, items: [ItemName])? { nil }
    public func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws {
        throw RecommendationError("this source cannot save personas")
    }
}

/// Why a recommendation could not be given; the message says what to do.
public struct RecommendationError: Error, CustomStringConvertible, Hashable {
    public let description: String
    public init(_ message: String) { description = message }
}
