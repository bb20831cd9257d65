import RecCatalog
import RecCore
import RecEval
import RecModels

/// An item's external id and title.
public struct ItemName: Hashable, Sendable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}

/// A model's list for one user with why each item is there (`ItemExplaining.explain`), every item it names
/// (the list's, the history's, the attention window's) with its id and title: what `recommend --explain`,
/// Compare's why view, the What-if pane and the report show, through `StagePresenter`.
public struct ExplainedList: Hashable, Sendable {
    public var model: ModelKind
    /// The user's external id; nil for a what-if user.
    public var user: String?
    /// The user's items the explanations decompose over (training history or what-if items), oldest first.
    public var history: [Int32]
    public var items: [ScoredItem]
    /// One per item of `items`, in order.
    public var explanations: [ItemExplanation]
    public var names: [Int32: ItemName]

    public init(model: ModelKind, user: String?, history: [Int32], items: [ScoredItem], explanations: [ItemExplanation],
                names: [Int32: ItemName]) {
        self.model = model
        self.user = user
        self.history = history
        self.items = items
        self.explanations = explanations
        self.names = names
    }

    /// Ranks and explains for `user` with `model`: a trained user's own list (`recommend(user:)`), or a what-if
    /// user's (`recommend(history:)`); `name` names the items it refers to.
    public init(model: any TrainedModel, user: ExplainedUser, userID: String?, k: Int, exclude: ExclusionSet,
                name: ([Int32]) throws -> [Int32: ItemName]) rethrows {
        let list = user.index.map { model.recommend(user: $0, k: k, exclude: exclude) }
            ?? model.recommend(history: user.items, k: k, exclude: exclude)
        let explanations = model.explain(list, for: user)
        self.init(model: model.kind, user: userID, history: user.items, items: list, explanations: explanations,
                  names: try name(Self.referenced(list, explanations, history: user.items)))
    }

    /// Every item the list and its explanations mention, ascending.
    static func referenced(_ list: [ScoredItem], _ explanations: [ItemExplanation], history: [Int32]) -> [Int32] {
        var all = Set(list.map(\.item)).union(history)
        for e in explanations {
            for c in e.contributions { all.insert(c.item) }
            switch e.detail {
            case .semanticPath(let p)?: if let last = p.lastItem { all.insert(last) }
            case .attention(let a)?: for i in a.items where i >= 0 { all.insert(i) }
            default: break
            }
        }
        return all.sorted()
    }

    /// The id and title of `item` (its index as the id when unnamed).
    public func name(_ item: Int32) -> ItemName { names[item] ?? ItemName(id: String(item), title: "") }

    /// The title, or `item ID` when it has none.
    public func label(_ item: Int32) -> String {
        let n = name(item)
        return n.title.isEmpty ? "item " + n.id : n.title
    }
}

extension ModelWorkbench {
    /// The training items of `user` in time order (ties by source order): the rows of `split` whose role is
    /// train, or every row when there is no split.
    public func history(user: Int, split: Split?) -> [Int32] {
        var out: [Int32] = []
        for r in 0..<log.count where Int(log.users[r]) == user && (split?.roles[r] ?? .train) == .train { out.append(log.items[r]) }
        return out
    }

    /// Names from the store's item listing (one read); for a catalog, only the titles asked for are read.
    public func itemNames(_ items: [Int32]) throws -> [Int32: ItemName] {
        let titles: [Int32: String]
        if let catalog = store as? RecCatalog.Catalog {
            titles = try catalog.itemTitles(items)
        } else {
            let all = try store.itemListing().titles
            titles = Dictionary(uniqueKeysWithValues: items.map { ($0, all[Int($0)]) })
        }
        return Dictionary(uniqueKeysWithValues: items.map { ($0, ItemName(id: log.itemIDs[Int($0)], title: titles[$0] ?? "")) })
    }
}
