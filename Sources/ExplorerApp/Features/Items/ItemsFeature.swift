import RecWorkbench
import TUIKit

extension AppCommand {
    public static let sortItems: AppCommand = "sort-items"
    public static let openUser: AppCommand = "open-user"
    public static let showInTree: AppCommand = "show-in-tree"
}

/// Items: the paged items list, and the detail of the selected item with who interacted and the items
/// like it by the selection's model A.
public enum ItemsFeature: Feature {
    public static let title = "Items"
    public static let summary = "List items and their detail"
    public static let root = View.items

    public static func register(_ c: inout Commands) {
        c.bind("s", to: .sortItems, help: "Sort items by popularity, title, id", context: "items")
        c.bind("Enter", "l", "Right", to: .openUser, help: "Show the selected user's sessions", context: "item-detail")
        c.bind("t", to: .showInTree, help: "Show the item's semantic-ID path in the Tree pane", context: "items")
        c.bind("t", to: .showInTree, help: "Show the item's semantic-ID path in the Tree pane", context: "item-detail")
        c.hint("items", .keys([.moveDown, .moveUp], "move"), .keys([.drillDown], "detail"), .keys([.sortItems], "sort"),
               .keys([.showInTree], "tree"), .keys([.search], "search"), .keys([.help], "help"))
        c.hint("items-filtered", keysFrom: "items", .keys([.moveDown, .moveUp], "move"), .keys([.drillDown], "detail"),
               .keys([.sortItems], "sort"), .keys([.showInTree], "tree"), .keys([.back], "all items"), .keys([.help], "help"))
        c.hint("item-detail", .keys([.moveDown, .moveUp], "move"), .keys([.openUser], "user"), .keys([.showInTree], "tree"),
               .keys([.back], "back"), .keys([.help], "help"))
        c.verb("item", "i", argument: "ID", help: "Open an item's detail") { id, state in
            state.stack = [.items, .itemDetail(item: id ?? "")]
            return []
        }
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        let detail = view.context == "item-detail"
        if let delta = Explorer.delta(of: command, in: view, state) {
            if detail {
                state.items.selectedInteraction = Explorer.moved(state.items.selectedInteraction, by: delta,
                                                                 count: state.items.detail?.recent.count ?? 0)
            } else {
                state.items.list.selected = Explorer.moved(state.items.list.selected, by: delta, count: state.items.list.count)
            }
            return []
        }
        switch command {
        case .drillDown where !detail:
            guard let row = state.items.list.selectedRow else { return [] }
            state.stack.append(.itemDetail(item: row.id))
            return []
        case .openUser, .drillDown:
            guard let recent = state.items.detail?.recent, recent.indices.contains(state.items.selectedInteraction) else { return [] }
            return Explorer.commands.verb(named: "user")?.run(recent[state.items.selectedInteraction].userID, &state) ?? []
        case .back where !detail && state.items.filter != nil:
            state.selection.itemFilter = nil
            return []
        case .sortItems: return cycleSort(&state)
        case .showInTree:
            guard let id = detail ? view.arguments[0] : state.items.list.selectedRow?.id else { return [] }
            state.selection.treeTarget = .item(id)
            return Explorer.show(TreeFeature.self, &state)
        default: return nil
        }
    }

    static func cycleSort(_ state: inout AppState) -> [Effect] {
        let all = ItemSort.allCases
        state.items.sort = all[(all.firstIndex(of: state.items.sort)! + 1) % all.count]
        if let filter = state.items.filter {
            let sorted = state.items.sort.sorted(filter.rows)
            state.items.filter?.rows = sorted
            showFilter(&state, selecting: nil)
            state.message = "Items of \(filter.label) sorted by \(state.items.sort.label)"
            return []
        }
        state.message = "Items sorted by \(state.items.sort.label)"
        return reload(&state)
    }

    /// The list from the first page, in the current order.
    static func reload(_ state: inout AppState) -> [Effect] {
        state.items.list = PagedList()
        state.items.list.requested = 0
        return [Effect(LoadItems(request: PageRequest(offset: 0, limit: PagedList<ItemRow>.pageSize, sort: state.items.sort)))]
    }

    public static func start(_ state: inout AppState) -> [Effect] {
        state.items.detailItem = nil
        return state.selection.itemFilter == nil ? reload(&state) : []
    }

    /// While shown: the node filter applied (or lifted), the visible rows loaded, the detail following the
    /// highlighted (or opened) item, and its similar items.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible else { return [] }
        var effects: [Effect] = []
        if state.selection.itemFilter?.label != state.items.filter?.label { effects += applyFilter(&state) }
        if state.items.filter == nil, let request = state.items.list.pageRequest(reach: state.height, sort: state.items.sort) {
            state.items.list.requested = request.offset
            effects.append(Effect(LoadItems(request: request)))
        }
        let top = state.top
        let shown = top.context == "item-detail" ? top.arguments.first : state.items.list.selectedRow?.id
        if let shown, shown != state.items.detailItem {
            state.items.detailItem = shown
            state.items.detail = nil
            state.items.selectedInteraction = 0
            effects.append(Effect(LoadItemDetail(item: shown)))
        }
        if top.context == "item-detail", let item = top.arguments.first { effects += similar(item, &state) }
        return effects
    }

    /// Puts the selection's node filter in the list (in the list's order) as its one page, or goes back to
    /// every item.
    static func applyFilter(_ state: inout AppState) -> [Effect] {
        guard var filter = state.selection.itemFilter else {
            state.items.filter = nil
            state.message = "All items, by \(state.items.sort.label)"
            return reload(&state)
        }
        filter.rows = state.items.sort.sorted(filter.rows)
        state.items.filter = filter
        showFilter(&state, selecting: filter.focus)
        return []
    }

    /// The filter's rows as the list's one page, `focus` selected when among them (else the first row).
    static func showFilter(_ state: inout AppState, selecting focus: String?) {
        guard let rows = state.items.filter?.rows else { return }
        state.items.list = PagedList()
        state.items.list.page = Page(offset: 0, rows: rows, total: rows.count)
        state.items.list.total = rows.count
        state.items.list.selected = focus.flatMap { f in rows.firstIndex { $0.id == f } } ?? 0
    }

    /// Asks for the items like `item` by model A, preparing A first when needed.
    static func similar(_ item: String, _ state: inout AppState) -> [Effect] {
        guard !state.models.isEmpty else { return [] }
        let request = SimilarRequest(item: item, model: state.selection.modelA, k: SimilarItems.count)
        if state.items.similar?.request != request { state.items.similar = SimilarItems(request: request) }
        guard state.items.similar?.sent == false, state.items.similar?.failure == nil else { return [] }
        let effects = Models.prepare(request.model, &state)
        switch state.models.status[request.model] {
        case .ready?:
            state.items.similar?.sent = true
            return effects + [Effect(LoadSimilar(request: request))]
        case .failed(let message)?:
            state.items.similar?.failure = message
            return effects
        default:
            return effects
        }
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        ItemsPane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] {
        if view.context == "item-detail" { return [state.stack.contains(.items) ? "items" : "item"] + view.arguments }
        return ["items"] + (state.items.filter.map { [$0.label] } ?? [])
    }

    public static func position(_ view: View, _ state: AppState) -> String {
        guard view == .items else { return "" }
        return state.items.list.total.map { "\(min($0, state.items.list.selected + 1))/\($0)" } ?? ""
    }

    public static func pageRows(_ view: View, _ state: AppState) -> Int {
        view == .items ? max(1, Box.inner(ItemsLayout(body: state.layout.body).list).height - 1)
                       : max(1, state.itemsLayout.interactions.height - 1)
    }

    public static func hintContext(_ view: View, _ state: AppState) -> String {
        view == .items && state.items.filter != nil ? "items-filtered" : view.context
    }

    public static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect] {
        let layout = state.itemsLayout
        let list = Box.inner(layout.list)
        let items = state.items
        if list.contains(x: event.x, y: event.y) {
            guard let i = ScrollWindow.row(atY: event.y, in: list, selected: items.list.selected, count: items.list.count) else { return [] }
            state.stack = [.items]
            state.items.list.selected = i
        } else if layout.interactions.contains(x: event.x, y: event.y), let item = items.detailItem, let detail = items.detail {
            guard let i = ScrollWindow.row(atY: event.y, in: layout.interactions, selected: items.selectedInteraction,
                                           count: detail.recent.count) else { return [] }
            state.stack = [.items, .itemDetail(item: item)]
            state.items.selectedInteraction = i
        }
        return []
    }
}
