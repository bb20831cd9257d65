import RecCore
import RecModels
import RecSim
import RecWorkbench

/// What pane 7 simulates with: the catalog's items as the simulator sees them, each user's training
/// history and held-out future, and the prepared base model.
public struct SimulationSetup: Sendable {
    public let modelName: String
    public let model: any TrainedModel
    public let catalog: SimulationCatalog
    /// Users with a training history, ascending by dense index.
    public let profiles: [RecSim.UserProfile]
    /// External user id to its position in `profiles`.
    public let profileIndex: [String: Int]

    public init(modelName: String, model: any TrainedModel, catalog: SimulationCatalog, profiles: [RecSim.UserProfile]) {
        self.modelName = modelName
        self.model = model
        self.catalog = catalog
        self.profiles = profiles
        var index: [String: Int] = [:]
        for (k, p) in profiles.enumerated() { index[p.name] = k }
        profileIndex = index
    }
}

/// A recommendation source that can also feed the simulator (both built-in sources can).
public protocol SimulationSource: Sendable {
    /// The simulator's inputs over a prepared `model`. A source without its own item facts reads
    /// categories, years and popularity from `items` (the data source's item rows, any order).
    /// Slow: call from a background queue.
    func simulationSetup(model: String, items: () throws -> [ItemRow]) throws -> SimulationSetup
}

extension CatalogRecommendationSource: SimulationSource {
    /// `SimulationInputs` of the catalog's `loo` split: exactly what `recscope simulate` runs on.
    public func simulationSetup(model: String, items: () throws -> [ItemRow]) throws -> SimulationSetup {
        try Self.reporting {
            let trained = try models.trained(model)
            let inputs = try SimulationInputs(bench: try bench.get(), split: splitName)
            return SimulationSetup(modelName: model, model: trained, catalog: inputs.catalog, profiles: inputs.profiles)
        }
    }
}

extension InMemoryRecommendationSource: SimulationSource {
    public func simulationSetup(model: String, items: () throws -> [ItemRow]) throws -> SimulationSetup {
        try CatalogRecommendationSource.reporting { try models.simulationSetup(model: model, items: try items()) }
    }
}

extension SplitModels {
    /// The simulator's inputs as `SimulationInputs` builds them from a catalog: topics are categories
    /// numbered in order of first appearance over items by dense index; taste vectors are the random
    /// projection of every interaction (train and held out), independent of the model.
    func simulationSetup(model name: String, items: [ItemRow]) throws -> SimulationSetup {
        let d = try splitData()
        let model = try trained(name)
        var rows: [String: ItemRow] = [:]
        for row in items { rows[row.id] = row }
        var topicNames: [String] = [], topicIndex: [String: Int32] = [:]
        var itemTopics: [[Int32]] = [], years: [Int32] = [], counts: [Int] = []
        for id in d.itemIDs {
            let row = rows[id]
            var topics: [Int32] = []
            for name in row?.categories ?? [] {
                let t = topicIndex[name] ?? Int32(topicNames.count)
                if t == Int32(topicNames.count) {
                    topicIndex[name] = t
                    topicNames.append(name)
                }
                if !topics.contains(t) { topics.append(t) }
            }
            itemTopics.append(topics)
            years.append(Int32(clamping: row?.year ?? 0))
            counts.append(row?.popularity ?? 0)
        }
        var users: [Int32] = [], itemsOfRows: [Int32] = []
        for u in d.userIDs.indices {
            for i in d.history[u] { users.append(Int32(u)); itemsOfRows.append(i) }
            for h in d.heldOut[u] { users.append(Int32(u)); itemsOfRows.append(h.item) }
        }
        let full = InteractionMatrix(userCount: d.userIDs.count, itemCount: d.itemIDs.count, users: users, items: itemsOfRows)
        let dimension = 32
        let catalog = SimulationCatalog(
            topicNames: topicNames, itemTopics: itemTopics, titles: d.titles, years: years, interactionCounts: counts,
            embeddings: SimulationCatalog.cooccurrenceEmbeddings(full, dimension: dimension), dimension: dimension,
            itemIDs: d.itemIDs)
        let profiles = d.userIDs.indices.filter { !d.history[$0].isEmpty }.map { u in
            RecSim.UserProfile(user: Int32(u), name: d.userIDs[u], history: d.history[u], future: d.heldOut[u].map(\.item))
        }
        return SimulationSetup(modelName: name, model: model, catalog: catalog, profiles: profiles)
    }
}
