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
    public init(bench: ModelWorkbench, split name: String = "loo", topics: SimulationTopics = .categories,
                space: String = "sid") throws {
        try self.init(bench: bench, view: try bench.view(name), topics: topics, space: space)
    }

    /// The inputs over a split already seen per user (the explorer keeps one `SplitView` per split).
    ///
    /// Taste vectors are a random projection of every interaction (`SimulationCatalog.cooccurrenceEmbeddings`),
    /// independent of any model.
    public init(bench: ModelWorkbench, view: SplitView, topics: SimulationTopics = .categories, space: String = "sid") throws {
        let items = try bench.store.itemListing()
        guard items.count == bench.log.itemCount else {
            throw WorkbenchError("\(bench.store.name) lists \(items.count) items but its interactions use \(bench.log.itemCount)")
        }
        var topicNames: [String] = []
        var itemTopics: [[Int32]] = []
        switch topics {
        case .categories:
            var index = Vocabulary()
            for categories in items.categories {
                itemTopics.append(categories.map { index.insert($0) })
            }
            topicNames = index.ids
        case .sid:
            guard let stored = try bench.store.loadSemanticIDs(space: space) else {
                throw WorkbenchError("\(bench.store.name) has no semantic IDs in space '\(space)' (build them: recscope sid build --catalog \(bench.store.name))")
            }
            let ids = SemanticIDs(stored)
            topicNames = (0..<ids.codesPerLevel[0]).map { "sid \($0)" }
            itemTopics = (0..<items.count).map { [ids.path(of: $0).first!] }
        }
        // Descriptions and attribute values feed the instruction lexicons (titles are read anyway).
        let texts = try bench.store.itemTexts()
        let extra = texts.count == items.count
            ? texts.map { t in ([t.description ?? ""] + t.attributes.map(\.value)).joined(separator: " ") }
            : nil
        catalog = SimulationCatalog(topicNames: topicNames, itemTopics: itemTopics, titles: items.titles,
                                    years: items.years.map { Int32(truncatingIfNeeded: $0 ?? 0) }, interactionCounts: items.popularity,
                                    embeddings: SimulationCatalog.cooccurrenceEmbeddings(bench.matrix(nil), dimension: Self.dimension),
                                    dimension: Self.dimension, itemIDs: items.ids, itemText: extra)
        split = view.name
        profiles = view.history.indices.filter { !view.history[$0].isEmpty }.map {
            UserProfile(user: Int32($0), name: bench.log.userIDs[$0], history: view.history[$0], future: view.heldOut[$0].map(\.item))
        }
    }

    /// The profile of the user with dense index `user`; nil when the user has no training history.
    public func profile(ofUser user: Int32) -> UserProfile? {
        var lo = 0, hi = profiles.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if profiles[mid].user < user { lo = mid + 1 } else { hi = mid }
        }
        return lo < profiles.count && profiles[lo].user == user ? profiles[lo] : nil
    }

    /// The dimension of the simulated users' taste vectors.
    public static let dimension = 32
}
