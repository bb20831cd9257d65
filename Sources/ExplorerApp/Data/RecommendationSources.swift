import RecCatalog
import RecCore
import RecModels
import RecWorkbench

/// A recommendation source over the workbench's `SplitModels`: the catalog's `loo` split (stored models
/// loaded, others trained and stored), or an in-memory catalog's (for the demo and tests).
public struct WorkbenchRecommendationSource: RecommendationSource, SimulationSource {
    public let models: SplitModels
    public let modelKinds: [ModelKind]

    public var splitName: String { models.splitName }

    /// The models of a catalog's leave-one-out split, with default parameters (what `recscope eval --models
    /// ... --split loo` stores); by default every trainable model and then the catalog's imported runs
    /// (`ext:NAME`, from `recscope import-run`).
    public init(catalog: Catalog, models kinds: [ModelKind]? = nil, clock: RetrievalClock = .continuous) {
        models = SplitModels(split: "loo", clock: clock) { try ModelWorkbench(catalog: catalog) }
        modelKinds = kinds ?? ((try? ModelWorkbench.models(in: catalog)) ?? ModelKind.allCases)
    }

    /// The models of an in-memory catalog's leave-one-out split, trained on demand; `params` apply per kind
    /// (e.g. fewer epochs in tests), `kinds` are the ones `a`/`b` cycle through.
    public init(data: InMemoryDataSource, models kinds: [ModelKind] = ModelKind.allCases,
                params: [ModelKind: [String: String]] = [:], clock: RetrievalClock = .continuous) {
        models = SplitModels(split: "loo", params: params, clock: clock) { try ModelWorkbench(store: data.store) }
        modelKinds = kinds
    }

    public func prepare(model: ModelKind, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        guard modelKinds.contains(model) else {
            throw RecommendationError("no model '\(model.rawValue)' here (expected one of: \(modelKinds.map(\.rawValue).joined(separator: ", ")))")
        }
        return try Self.reporting { try models.prepare(model, progress: progress) }
    }

    public func recommend(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> Recommendations {
        try Self.reporting { try models.recommend(user: user, model: model, k: k, excludeSeen: excludeSeen) }
    }

    public func history(user: String, recent: Int) throws -> UserHistory {
        try Self.reporting { try models.history(user: user, recent: recent) }
    }

    public func metrics(model: ModelKind, k: Int) throws -> ModelMetrics {
        try Self.reporting { try models.metrics(model: model, k: k) }
    }

    public func similarItems(item: String, model: ModelKind, k: Int) throws -> [RecommendedItem] {
        try Self.reporting { try models.similarItems(item: item, model: model, k: k) }
    }

    public func explain(user: String, model: ModelKind, k: Int, excludeSeen: Bool) throws -> ExplainedList {
        try Self.reporting { try models.explain(user: user, model: model, k: k, excludeSeen: excludeSeen) }
    }

    public func whatIf(items: [String], recent: Int, k: Int, models kinds: [ModelKind]) throws -> [ModelKind: Recommendations] {
        try Self.reporting { try models.whatIf(items: items, recent: recent, k: k, models: kinds) }
    }

    public func explainWhatIf(items: [String], recent: Int, k: Int, model: ModelKind) throws -> ExplainedList {
        try Self.reporting { try models.explainWhatIf(items: items, recent: recent, k: k, model: model) }
    }

    public func trainingItems(user: String) throws -> [ItemName] { try Self.reporting { try models.trainingItems(user: user) } }

    public func personas() throws -> [StoredPersona] { try Self.reporting { try models.personas() } }

    public func persona(named name: String) throws -> (persona: StoredPersona, items: [ItemName])? {
        try Self.reporting { try models.persona(name) }
    }

    public func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws {
        try Self.reporting { try models.savePersona(name: name, items: items, recent: recent, sourceUser: sourceUser) }
    }

    public func lens(models kinds: [ModelKind], k: Int) throws -> LensSnapshot {
        try Self.reporting { try models.lens(models: kinds, k: k, threads: 0) }
    }

    public func simulationInputs() throws -> SimulationInputs { try Self.reporting { try models.simulationInputs() } }

    /// Workbench, catalog and model errors as one `RecommendationError` with their message.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RecommendationError { throw error } catch {
            throw RecommendationError("\(error)")
        }
    }
}

public typealias CatalogRecommendationSource = WorkbenchRecommendationSource
public typealias InMemoryRecommendationSource = WorkbenchRecommendationSource
