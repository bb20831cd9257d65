import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench
import Synchronization

/// Models of a SQLite catalog's leave-one-out split: loaded from the catalog when stored with default
/// parameters (`recscope eval --models ... --split loo` stores them), else trained and stored.
public final class CatalogRecommendationSource: RecommendationSource {
    public let splitName = "loo"
    public let modelNames = ModelKind.allCases.map(\.rawValue)
    let models: SplitModels
    let bench: _LazyWorkbench

    public init(catalog: Catalog, clock: RetrievalClock = .continuous) {
        let split = splitName
        let bench = _LazyWorkbench(catalog: catalog)
        self.bench = bench
        models = SplitModels(clock: clock, loadData: {
            let b = try bench.get()
            let s = try b.split(split)
            let titles = try b.catalog.itemTitles((0..<Int32(b.log.itemCount)).map { $0 })
            return SplitData(userIDs: b.log.userIDs, itemIDs: b.log.itemIDs,
                             titles: (0..<Int32(b.log.itemCount)).map { titles[$0] ?? "" },
                             users: b.log.users, items: b.log.items, split: s)
        }, obtain: { kind, _, progress in
            let b = try bench.get()
            progress("loading or training \(kind.rawValue) on \(split)…")
            let m = try b.model(kind, params: [:], split: split, progress: { progress(_progressLine($0, split: split)) })
            return .init(model: m.model, info: ModelInfo(model: kind.rawValue, origin: m.trained ? .trained : .stored,
                                                         fitSeconds: m.fitSeconds))
        })
    }

    public func prepare(model: String, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        try Self.reporting { try models.prepare(model: model, progress: progress) }
    }

    public func recommend(user: String, model: String, k: Int, excludeSeen: Bool) throws -> Recommendations {
        try Self.reporting { try models.recommend(user: user, model: model, k: k, excludeSeen: excludeSeen) }
    }

    public func profile(user: String, recent: Int) throws -> UserProfile {
        try Self.reporting { try models.splitData().profile(user: user, recent: recent) }
    }

    public func metrics(model: String, k: Int) throws -> ModelMetrics {
        try Self.reporting { try models.metrics(model: model, k: k) }
    }

    public func similarItems(item: String, model: String, k: Int) throws -> [RecommendedItem] {
        try Self.reporting { try models.similarItems(item: item, model: model, k: k) }
    }

    /// Workbench, catalog and model errors as one `RecommendationError` with their message.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as RecommendationError { throw error } catch {
            throw RecommendationError("\(error)")
        }
    }
}

/// The workbench, read from the catalog on first use (reading every interaction is slow: never on the UI thread).
final class _LazyWorkbench: Sendable {
    private let catalog: Catalog
    private let bench = Mutex<ModelWorkbench?>(nil)

    init(catalog: Catalog) { self.catalog = catalog }

    func get() throws -> ModelWorkbench {
        try bench.withLock { b in
            if let b { return b }
            let made = try ModelWorkbench(catalog: catalog)
            b = made
            return made
        }
    }
}

/// Models trained in memory on the leave-one-out split of an `InMemoryDataSource`: for the demo and
/// for snapshot tests (with a `.fixed` clock, so the shown times do not vary).
public final class InMemoryRecommendationSource: RecommendationSource {
    public let splitName = "loo"
    public let modelNames: [String]
    let models: SplitModels

    /// `models` are the kinds `a`/`b` cycle through; `params` apply per kind (e.g. fewer epochs in tests).
    public init(data: InMemoryDataSource, models kinds: [ModelKind] = ModelKind.allCases,
                params: [ModelKind: [String: String]] = [:], clock: RetrievalClock = .continuous) {
        modelNames = kinds.map(\.rawValue)
        let split = splitName
        models = SplitModels(clock: clock, loadData: {
            let userIDs = Array(Set(data.allInteractions.map(\.user))).sorted(by: ExplorerDataSourceContract.idLess)
            let itemIDs = data.allItems.map(\.id)
            var userIndex: [String: Int32] = [:], itemIndex: [String: Int32] = [:]
            for (u, id) in userIDs.enumerated() { userIndex[id] = Int32(u) }
            for (i, id) in itemIDs.enumerated() { itemIndex[id] = Int32(i) }
            // (user, time) order, as the catalog's interaction log has it; source order breaks ties.
            let rows = data.allInteractions.enumerated().compactMap { n, r -> (Int32, Int32, Date, Int64)? in
                guard let u = userIndex[r.user], let i = itemIndex[r.item] else { return nil }
                return (u, i, r.time, Int64(n))
            }.sorted { ($0.0, $0.2, $0.3) < ($1.0, $1.2, $1.3) }
            let users = rows.map(\.0), items = rows.map(\.1)
            let s = Split.leaveOneOut(users: users, timestamps: rows.map(\.2), sequence: rows.map(\.3))
            return SplitData(userIDs: userIDs, itemIDs: itemIDs, titles: data.allItems.map(\.title),
                             users: users, items: items, split: s)
        }, obtain: { kind, d, progress in
            progress("training \(kind.rawValue) on \(split)…")
            let (model, seconds) = try clock.measure {
                try kind.train(d.train, params: params[kind] ?? [:], context: d.trainingContext,
                               progress: { progress(_progressLine($0, split: split)) })
            }
            return .init(model: model, info: ModelInfo(model: kind.rawValue, origin: .trained, fitSeconds: seconds))
        })
    }

    public func prepare(model: String, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        guard modelNames.contains(model) else { throw RecommendationError("no model '\(model)' (expected one of: \(modelNames.joined(separator: ", ")))") }
        do { return try models.prepare(model: model, progress: progress) } catch let e as RecommendationError { throw e } catch {
            throw RecommendationError("\(error)")
        }
    }

    public func recommend(user: String, model: String, k: Int, excludeSeen: Bool) throws -> Recommendations {
        try models.recommend(user: user, model: model, k: k, excludeSeen: excludeSeen)
    }

    public func profile(user: String, recent: Int) throws -> UserProfile {
        try models.splitData().profile(user: user, recent: recent)
    }

    public func metrics(model: String, k: Int) throws -> ModelMetrics {
        try models.metrics(model: model, k: k)
    }

    public func similarItems(item: String, model: String, k: Int) throws -> [RecommendedItem] {
        try models.similarItems(item: item, model: model, k: k)
    }
}
