import Synchronization
import RecCatalog
import RecCore
import RecModels

/// Where a workbench reads interactions and items and keeps what it makes (splits, models): a catalog,
/// or data held in memory (the explorer's demo), so both go through the same workbench code.
public protocol WorkbenchStore: Sendable {
    /// How messages name it: the catalog's path.
    var name: String { get }
    func interactionLog() throws -> InteractionLog
    func itemListing() throws -> ItemListing
    /// Every item's text (title, year, description, attributes), by dense index.
    func itemTexts() throws -> [ItemText]
    /// Every item's categories as indices into `names` (sorted), by item index.
    func itemCategoryLists() throws -> (names: [String], lists: [[Int32]])
    func loadSplit(name: String) throws -> StoredSplit?
    @discardableResult
    func saveSplit(name: String, kind: String, params: [String: String], holdout: [HoldoutRow]) throws -> Int64
    func loadModel(name: String, split: String?) throws -> StoredModel?
    @discardableResult
    func saveModel(name: String, kind: String, split: String?, params: [String: String], artifact: StoredArtifact,
                   fitSeconds: Double) throws -> Int64
    /// Every stored model, without arrays (trained models and imported runs).
    func listModels() throws -> [StoredModel]
    func semanticIDSpaces() throws -> [String]
    func loadSemanticIDs(space: String) throws -> StoredSemanticIDs?
    /// A space's stored item vectors (items × d), nil when it has none.
    func loadItemEmbeddings(space: String) throws -> DenseMatrix?
    /// What-if users saved by name (the What-if pane, `recscope personas`, a persona in Simulate).
    func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws
    func loadPersona(name: String) throws -> StoredPersona?
    func listPersonas() throws -> [StoredPersona]
    @discardableResult
    func deletePersona(name: String) throws -> Bool
    /// The parameters `recscope tune` chose for `model`, which training starts from.
    func loadTunedParameters(model: String) throws -> TunedParameters?
}

extension Catalog: WorkbenchStore {
    public var name: String { path }
}

/// Interactions and items held in memory; it keeps nothing but personas, for as long as it lives (splits are
/// remade and models trained on demand), and has no semantic IDs.
public struct MemoryStore: WorkbenchStore {
    public let name: String
    let log: InteractionLog
    let items: ItemListing
    let personas = PersonaShelf()

    /// `items` must list `log.itemIDs` in the same order.
    public init(name: String, log: InteractionLog, items: ItemListing) {
        precondition(items.ids == log.itemIDs, "the item listing must list the log's items in its order")
        self.name = name
        self.log = log
        self.items = items
    }

    public func interactionLog() throws -> InteractionLog { log }
    public func itemListing() throws -> ItemListing { items }
    public func itemTexts() throws -> [ItemText] {
        items.titles.indices.map { ItemText(title: items.titles[$0], year: items.years[$0], description: nil, attributes: []) }
    }

    public func itemCategoryLists() throws -> (names: [String], lists: [[Int32]]) {
        let names = Array(Set(items.categories.joined())).sorted()
        let index = Vocabulary(ids: names)
        return (names, items.categories.map { Array(Set($0.compactMap(index.lookup))).sorted() })
    }

    public func loadSplit(name: String) throws -> StoredSplit? { nil }
    public func saveSplit(name: String, kind: String, params: [String: String], holdout: [HoldoutRow]) throws -> Int64 { 0 }
    public func loadModel(name: String, split: String?) throws -> StoredModel? { nil }
    public func saveModel(name: String, kind: String, split: String?, params: [String: String], artifact: StoredArtifact,
                          fitSeconds: Double) throws -> Int64 { 0 }
    public func listModels() throws -> [StoredModel] { [] }
    public func semanticIDSpaces() throws -> [String] { [] }
    public func loadSemanticIDs(space: String) throws -> StoredSemanticIDs? { nil }
    public func loadItemEmbeddings(space: String) throws -> DenseMatrix? { nil }
    public func loadTunedParameters(model: String) throws -> TunedParameters? { nil }
}

extension MemoryStore {
    public func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws {
        if let problem = StoredPersona.problem(withName: name) { throw WorkbenchError(problem) }
        personas.shelf.withLock { shelf in
            let created = shelf[name]?.createdAt ?? "in memory"
            shelf[name] = StoredPersona(name: name, items: items, recent: max(0, recent), sourceUser: sourceUser, createdAt: created,
                                        updatedAt: "in memory")
        }
    }
    public func loadPersona(name: String) throws -> StoredPersona? { personas.shelf.withLock { $0[name] } }
    public func listPersonas() throws -> [StoredPersona] { personas.shelf.withLock { $0.values.sorted { $0.name < $1.name } } }
    public func deletePersona(name: String) throws -> Bool { personas.shelf.withLock { $0.removeValue(forKey: name) != nil } }
}

/// The in-memory store's personas.
final class PersonaShelf: Sendable {
    let shelf = Mutex<[String: StoredPersona]>([:])
}
