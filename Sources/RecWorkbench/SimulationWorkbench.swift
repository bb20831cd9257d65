import RecCatalog
import RecCore
import RecEval
import RecModels
import RecSim

/// Where the simulator's topics come from.
public enum SimulationTopics: String, Sendable, CaseIterable {
    /// The items' categories.
    case categories
    /// Level-0 prefixes of the stored semantic IDs of space `sid` (`sid 12`).
    case sid
}

/// The simulator's inputs from a catalog: its items as a `SimulationCatalog` and each user's training
/// history and held-out future from the stored `loo` split.
public struct SimulationInputs: Sendable {
    public let catalog: SimulationCatalog
    /// Users with a training history, by dense index.
    public let profiles: [UserProfile]
    /// The split the models are trained on.
    public let split: String

    /// Reads items, the split and (for `.sid`) the semantic IDs of `space`.
    ///
    /// Taste vectors are a random projection of every interaction (`SimulationCatalog.cooccurrenceEmbeddings`),
    /// independent of any model.
    public init(bench: ModelWorkbench, split name: String = "loo", topics: SimulationTopics = .categories,
                space: String = "sid") throws {
        let items = try bench.catalog.itemListing()
        guard items.count == bench.log.itemCount else {
            throw WorkbenchError("\(bench.catalog.path) lists \(items.count) items but its interactions use \(bench.log.itemCount)")
        }
        var topicNames: [String] = []
        var itemTopics: [[Int32]] = []
        switch topics {
        case .categories:
            var index: [String: Int32] = [:]
            for categories in items.categories {
                itemTopics.append(categories.map { name in
                    if let t = index[name] { return t }
                    index[name] = Int32(topicNames.count)
                    topicNames.append(name)
                    return Int32(topicNames.count - 1)
                })
            }
        case .sid:
            guard let stored = try bench.catalog.loadSemanticIDs(space: space) else {
                throw WorkbenchError("\(bench.catalog.path) has no semantic IDs in space '\(space)' (build them: recscope sid build --catalog \(bench.catalog.path))")
            }
            let ids = SemanticIDs(stored)
            topicNames = (0..<ids.codesPerLevel[0]).map { "sid \($0)" }
            itemTopics = (0..<items.count).map { [ids.path(of: $0).first!] }
        }
        let full = bench.matrix(nil)
        let dimension = 32
        catalog = SimulationCatalog(topicNames: topicNames, itemTopics: itemTopics, titles: items.titles,
                                    years: items.years.map { Int32(truncatingIfNeeded: $0 ?? 0) }, interactionCounts: items.popularity,
                                    embeddings: SimulationCatalog.cooccurrenceEmbeddings(full, dimension: dimension),
                                    dimension: dimension, itemIDs: items.ids)
        let split = try bench.split(name)
        self.split = name
        let log = bench.log
        var history = [[Int32]](repeating: [], count: log.userCount)
        var future = [[Int32]](repeating: [], count: log.userCount)
        for r in 0..<log.count {   // rows are in (user, time, id) order
            if split.roles[r] == .train { history[Int(log.users[r])].append(log.items[r]) } else { future[Int(log.users[r])].append(log.items[r]) }
        }
        profiles = (0..<log.userCount).filter { !history[$0].isEmpty }.map {
            UserProfile(user: Int32($0), name: log.userIDs[$0], history: history[$0], future: future[$0])
        }
    }
}
