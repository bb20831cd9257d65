import RecWorkbench
import TUIKit

/// The users list Browse, Compare and Simulate share: pages loaded around the highlighted row, and the
/// selected user following it.
public enum UsersList {
    /// Forgets the list and asks for its first page.
    static func start(_ state: inout AppState) -> [Effect] {
        state.users = PagedList()
        state.users.requested = 0
        return [Effect(Load(request: PageRequest(offset: 0, limit: PagedList<UserRow>.pageSize, sort: state.userSort)))]
    }

    /// Loads what is within a screen of the highlighted row; with no user selected yet, selects the
    /// highlighted one.
    static func sync(_ state: inout AppState) -> [Effect] {
        if state.selection.user == nil { select(&state) }
        guard let request = state.users.pageRequest(reach: state.height, sort: state.userSort) else { return [] }
        state.users.requested = request.offset
        return [Effect(Load(request: request))]
    }

    /// Moves the highlight by `delta` rows (saturating, clamped).
    public static func move(by delta: Int, _ state: inout AppState) {
        state.users.selected = Explorer.moved(state.users.selected, by: delta, count: state.users.count)
    }

    /// Makes the highlighted user the selected one (a no-op while its row is not loaded).
    public static func select(_ state: inout AppState) {
        guard let row = state.users.selectedRow, row.id != state.selection.user else { return }
        state.selection.user = row.id
        state.selection.userRow = row
    }

    /// Sorts the list by the next order and reloads it from the top.
    static func cycleSort(_ state: inout AppState) -> [Effect] {
        let all = UserSort.allCases
        state.userSort = all[(all.firstIndex(of: state.userSort)! + 1) % all.count]
        state.message = "Users sorted by \(state.userSort.label)"
        return start(&state)
    }

    /// The visible window of the list as a table; rows not loaded yet show `…`. Columns appear as the box
    /// widens: sessions, last seen, first seen, top categories.
    static func table(_ state: AppState, width: Int, rows: Int, highlight: Style) -> TableView {
        var columns = [Column("user", .fill), Column("inter", .fixed(6), .right)]
        let narrow = width < 20, wide = width >= 44, wider = width >= 56, widest = width >= 80
        if !narrow { columns.append(Column("sess", .fixed(4), .right)) }
        if wider { columns.append(Column("first seen", .fixed(10))) }
        if wide { columns.append(Column("last seen", .fixed(10))) }
        if widest { columns.append(Column("top categories", .fixed(22))) }
        let list = state.users
        let offset = ScrollWindow.offset(selected: list.selected, count: list.count, height: rows)
        let end = min(list.count, offset + max(0, rows))
        let cells: [[String]] = (offset..<max(offset, end)).map { i in
            guard let u = list.row(at: i) else { return ["…"] }
            var r = [u.id, Format.count(u.interactions)]
            if !narrow { r.append(String(u.sessions)) }
            if wider { r.append(Format.date(u.firstSeen)) }
            if wide { r.append(Format.date(u.lastSeen)) }
            if widest { r.append(u.topCategories.joined(separator: ", ")) }
            return r
        }
        return TableView(columns: columns, rows: cells, selected: list.total == nil ? nil : list.selected - offset,
                         highlight: highlight)
    }

    /// `42/943`.
    static func position(_ state: AppState) -> String {
        state.users.total.map { "\(min($0, state.users.selected + 1))/\($0)" } ?? ""
    }

    /// One page of users in an order.
    struct Load: FeatureWork {
        let request: PageRequest<UserSort>
        var summary: String { "loading users" }

        func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
            .message(Loaded(page: try sources.data.users(request), sort: request.sort))
        }
    }

    struct Loaded: FeatureMessage {
        let page: Page<UserRow>
        let sort: UserSort

        func apply(to state: inout AppState) -> [Effect] {
            if sort == state.userSort { state.users.receive(page) }
            return []
        }
    }
}

extension UserSort {
    var label: String {
        switch self {
        case .id: "id"
        case .interactionsDescending: "interactions"
        case .lastSeenDescending: "last seen"
        }
    }
}
