import RecWorkbench

/// One page of items in an order.
struct LoadItems: FeatureWork {
    let request: PageRequest<ItemSort>
    var summary: String { "loading items" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(ItemsLoaded(page: try sources.data.items(request), sort: request.sort))
    }
}

struct ItemsLoaded: FeatureMessage {
    let page: Page<ItemRow>
    let sort: ItemSort

    func apply(to state: inout AppState) -> [Effect] {
        if sort == state.items.sort, state.items.filter == nil { state.items.list.receive(page) }
        return []
    }
}

/// An item's attributes and its most recent users.
struct LoadItemDetail: FeatureWork {
    let item: String
    var summary: String { "loading item \(item)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(ItemDetailLoaded(item: item, detail: try sources.data.itemDetail(id: item, userLimit: Sources.detailUserLimit)))
    }
}

struct ItemDetailLoaded: FeatureMessage {
    let item: String
    let detail: ItemDetail?

    func apply(to state: inout AppState) -> [Effect] {
        guard item == state.items.detailItem else { return [] }
        state.items.detail = detail
        state.items.selectedInteraction = 0
        if detail == nil {
            state.message = "There is no item \(item) in \(state.catalogName)."
            if state.top == .itemDetail(item: item) { state.stack.removeLast() }
        }
        return []
    }
}

/// Items like an item by a prepared model.
struct LoadSimilar: FeatureWork {
    let request: SimilarRequest
    var summary: String { "finding items like \(request.item) by \(request.model.rawValue)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        do {
            return .message(SimilarLoaded(request: request, items: try sources.models().similarItems(
                item: request.item, model: request.model, k: request.k), failure: nil))
        } catch {
            return .message(SimilarLoaded(request: request, items: nil, failure: "\(error)"))
        }
    }
}

struct SimilarLoaded: FeatureMessage {
    let request: SimilarRequest
    let items: [RecommendedItem]?
    let failure: String?

    func apply(to state: inout AppState) -> [Effect] {
        guard state.items.similar?.request == request else { return [] }
        state.items.similar?.items = items
        state.items.similar?.failure = failure
        return []
    }
}
