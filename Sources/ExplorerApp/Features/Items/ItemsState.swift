import RecCore
import RecModels
import RecWorkbench
import TUIKit

/// The Items pane's part of the state: the paged items list, the opened item's detail and its similar items.
public struct ItemsState: FeatureState {
    public var list = PagedList<ItemRow>()
    public var sort: ItemSort = .popularityDescending
    /// The node filter shown in the list (it follows `Selection.itemFilter`).
    public var filter: ItemFilter? = nil
    /// The item whose detail is shown, and the detail once loaded.
    public var detailItem: String? = nil
    public var detail: ItemDetail? = nil
    public var selectedInteraction = 0
    /// Items like the opened item by the selection's model A (nil: no detail opened, or no models).
    public var similar: SimilarItems? = nil

    public init() {}
}

extension AppState {
    public var items: ItemsState {
        get { panes[ItemsState.self] }
        _modify { yield &panes[ItemsState.self] }
    }

    /// The similar items of the item whose detail is shown, when there are models to ask.
    var shownSimilar: SimilarItems? {
        guard let similar = items.similar, similar.request.item == items.detailItem, !models.isEmpty else { return nil }
        return similar
    }

    var itemsLayout: ItemsLayout { ItemsLayout(body: layout.body, similar: shownSimilar != nil) }
}

extension View {
    /// Items: the items list (the root).
    public static let items = View(feature: "items", context: "items")
    /// Items: one item's detail, focused.
    public static func itemDetail(item: String) -> View { View(feature: "items", context: "item-detail", item) }
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

/// The Items pane: the items list on the left, the detail of the selected item on the right.
struct ItemsLayout {
    let list: Rect
    let detail: Rect
    /// The recent-interactions table inside the detail box (header + rows).
    let interactions: Rect
    let detailText: Rect
    /// The similar-items table under the interactions (empty when the detail shows none).
    let similar: Rect

    init(body: Rect, similar showsSimilar: Bool = false) {
        let c = body.columns([.percent(55), .fill])
        list = c[0]
        detail = c[1]
        let inner = Box.inner(detail)
        let textHeight = min(inner.height / 2, showsSimilar ? 7 : 9)
        let (top, rest) = inner.splitTop(textHeight)
        detailText = top
        if showsSimilar {
            // Interactions get the smaller half: the similar list is what the detail was opened for.
            let (a, b) = rest.splitTop(rest.height * 2 / 5)
            interactions = a
            similar = b
        } else {
            interactions = rest
            similar = Rect(x: rest.x, y: rest.maxY, width: rest.width, height: 0)
        }
    }
}

extension ItemSort {
    var label: String {
        switch self {
        case .id: "id"
        case .popularityDescending: "popularity"
        case .title: "title"
        }
    }

    /// `rows` in this order, ties by id (as the data sources order their lists).
    func sorted(_ rows: [ItemRow]) -> [ItemRow] {
        let idLess = ExternalIDOrder.less
        return rows.sorted { a, b in
            switch self {
            case .id: return idLess(a.id, b.id)
            case .popularityDescending: return a.popularity != b.popularity ? a.popularity > b.popularity : idLess(a.id, b.id)
            case .title: return a.title != b.title ? a.title < b.title : idLess(a.id, b.id)
            }
        }
    }
}
