import RecWorkbench
import TUIKit

/// The explorer's logic: `update` is the only thing that changes an `AppState`, and it does no
/// I/O; what needs the data source comes back as `Effect`s (Bubble Tea's `Update(Msg) (Model, Cmd)`).
public enum Explorer {
    /// How many rows a page request asks for, at least.
    static let pageSize = 200

    /// Applies `action` to `state` and returns the slow work it needs.
    public static func update(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .started:
            state.users.requested = 0
            state.items.requested = 0
            // The first screen is the users list: load it first, the summary (a full scan) last.
            return [.loadUsers(PageRequest(offset: 0, limit: pageSize, sort: state.userSort)),
                    .loadItems(PageRequest(offset: 0, limit: pageSize, sort: state.itemSort)),
                    .loadSummary]
        case .reloaded:
            // Reload what is on screen: both lists (keeping the selection), the summary, and the opened user
            // and item, so new users, items and interactions show without leaving the current view.
            state.message = "Reloaded \(state.catalogName)."
            state.users.requested = nil
            state.items.requested = nil
            var effects: [Effect] = [.loadUsers(PageRequest(offset: 0, limit: pageSize, sort: state.userSort)),
                                     .loadItems(PageRequest(offset: 0, limit: pageSize, sort: state.itemSort)), .loadSummary]
            if let user = state.browsedUser { effects.append(.loadSessions(user: user)) }
            if let item = state.detailItem { effects.append(.loadItemDetail(item: item)) }
            return effects
        case .key(let key):
            return handle(key, &state) + refreshSimilar(&state)
        case .summaryLoaded(let summary):
            state.summary = summary
            return []
        case .usersLoaded(let page, let sort):
            guard sort == state.userSort else { return [] }
            state.users.page = page
            state.users.total = page.total
            if state.users.requested == page.offset { state.users.requested = nil }
            state.users.selected = clamp(state.users.selected, count: page.total)
            return ensureUsersLoaded(&state) + syncBrowsedUser(&state) + (state.tab == .compare ? refreshRecommendations(&state) : [])
                + refreshSimulation(&state)
        case .itemsLoaded(let page, let sort):
            guard sort == state.itemSort, state.itemFilter == nil else { return [] }
            state.items.page = page
            state.items.total = page.total
            if state.items.requested == page.offset { state.items.requested = nil }
            state.items.selected = clamp(state.items.selected, count: page.total)
            return ensureItemsLoaded(&state) + syncDetailItem(&state)
        case .sessionsLoaded(let user, let rows):
            guard user == state.browsedUser else { return [] }
            state.sessions = rows
            state.selectedSession = clamp(state.selectedSession, count: rows.count)
            return loadSelectedSession(&state)
        case .sessionItemsLoaded(let session, let rows):
            guard session == state.selectedSessionRow?.id else { return [] }
            state.sessionItems = rows
            state.selectedSessionItem = clamp(state.selectedSessionItem, count: rows.count)
            return []
        case .itemDetailLoaded(let item, let detail):
            guard item == state.detailItem else { return [] }
            state.detail = detail
            state.selectedInteraction = 0
            if detail == nil {
                state.message = "There is no item \(item) in \(state.catalogName)."
                if case .itemDetail(item) = state.top { state.stack.removeLast() }
            }
            return []
        case .userOpened(let id, let row):
            guard row != nil else {
                state.message = "There is no user \(id) in \(state.catalogName)."
                return []
            }
            if state.tab == .compare {
                state.stack = [.compare]
                return browse(user: id, row: row, &state) + refreshRecommendations(&state)
            }
            state.stack = [.users, .sessions(user: id)]
            return browse(user: id, row: row, &state)
        case .searchResults(let query, let hits):
            guard case .search(query, _, _)? = state.prompt else { return [] }
            state.prompt = .search(query: query, hits: hits, selected: 0)
            return []
        case .failed(let message):
            state.message = message
            return []
        case .similarLoaded(let request, let items):
            guard state.similar?.request == request else { return [] }
            state.similar?.items = items
            return []
        case .similarFailed(let request, let message):
            guard state.similar?.request == request else { return [] }
            state.similar?.failure = message
            return []
        case .codeTreeLoaded(let load):
            return codeTreeLoaded(load, &state)
        case .modelProgress, .modelPrepared, .modelFailed, .modelSkipped, .recommended, .profileLoaded, .metricsComputed:
            return updateCompare(&state, action) + refreshSimulation(&state)
        case .tick, .simulationShown, .simulationFailed, .populationProgress, .populationFinished, .populationFailed:
            return updateSimulate(&state, action)
        }
    }

    static func clamp(_ index: Int, count: Int) -> Int {
        max(0, min(index, count - 1))
    }

    // MARK: keeping the visible parts loaded

    /// Asks for a page around the visible users when they are not all loaded yet.
    static func ensureUsersLoaded(_ state: inout AppState) -> [Effect] {
        guard let request = pageRequest(for: state.users, rows: state.browseRows, sort: state.userSort) else { return [] }
        state.users.requested = request.offset
        return [.loadUsers(request)]
    }

    static func ensureItemsLoaded(_ state: inout AppState) -> [Effect] {
        let rows = max(1, Box.inner(ItemsLayout(body: state.layout.body).list).height - 1)
        guard let request = pageRequest(for: state.items, rows: rows, sort: state.itemSort) else { return [] }
        state.items.requested = request.offset
        return [.loadItems(request)]
    }

    static func pageRequest<Row, Sort>(for list: PagedList<Row>, rows: Int, sort: Sort) -> PageRequest<Sort>? {
        guard let total = list.total else { return nil }
        let offset = ScrollWindow.offset(selected: list.selected, count: total, height: rows)
        let visible = offset..<min(total, offset + rows)
        guard !list.covers(visible) else { return nil }
        let start = max(0, offset - rows)
        guard list.requested != start else { return nil }
        return PageRequest(offset: start, limit: max(pageSize, 3 * rows), sort: sort)
    }

    // MARK: following the selection

    /// At the users root, the browsed user follows the highlighted row.
    static func syncBrowsedUser(_ state: inout AppState) -> [Effect] {
        guard state.top == .users || state.browsedUser == nil, let row = state.users.selectedRow,
              row.id != state.browsedUser else { return [] }
        return browse(user: row.id, row: row, &state)
    }

    /// Shows `user`'s sessions in the Browse pane.
    static func browse(user: String, row: UserRow?, _ state: inout AppState) -> [Effect] {
        state.browsedUser = user
        state.browsedUserRow = row
        state.sessions = []
        state.selectedSession = 0
        state.sessionItems = []
        state.selectedSessionItem = 0
        return [.loadSessions(user: user)]
    }

    static func loadSelectedSession(_ state: inout AppState) -> [Effect] {
        state.sessionItems = []
        state.selectedSessionItem = 0
        guard let session = state.selectedSessionRow else { return [] }
        return [.loadSessionItems(session: session.id)]
    }

    /// In the Items tab, the detail follows the highlighted item.
    static func syncDetailItem(_ state: inout AppState) -> [Effect] {
        guard state.top == .items || state.detailItem == nil, let row = state.items.selectedRow,
              row.id != state.detailItem else { return [] }
        return showDetail(item: row.id, &state)
    }

    static func showDetail(item: String, _ state: inout AppState) -> [Effect] {
        state.detailItem = item
        state.detail = nil
        state.selectedInteraction = 0
        return [.loadItemDetail(item: item)]
    }
}

extension AppState {
    var selectedSessionRow: SessionRow? {
        sessions.indices.contains(selectedSession) ? sessions[selectedSession] : nil
    }

    var selectedSessionItemRow: SessionItemRow? {
        sessionItems.indices.contains(selectedSessionItem) ? sessionItems[selectedSessionItem] : nil
    }

    /// Body rows of the Browse tables.
    var browseRows: Int { max(1, BrowseLayout(body: layout.body).tables[0].height - 1) }
}
