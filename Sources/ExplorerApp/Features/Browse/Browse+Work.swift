import RecWorkbench

/// One user by id, for `:user ID` and search.
struct LookupUser: FeatureWork {
    let id: String
    var summary: String { "looking up user \(id)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(UserFound(id: id, row: try sources.data.user(id: id)))
    }
}

/// The user looked up by id becomes the selected user, shown where the tab follows the selected user
/// (Compare), else as its sessions in Browse.
struct UserFound: FeatureMessage {
    let id: String
    let row: UserRow?

    func apply(to state: inout AppState) -> [Effect] {
        guard let row else {
            state.message = "There is no user \(id) in \(state.catalogName)."
            return []
        }
        state.selection.user = id
        state.selection.userRow = row
        state.stack = state.tab.followsSelectedUser ? [state.tab.root] : [.users, .sessions(user: id)]
        return []
    }
}

/// A user's sessions, oldest first.
struct LoadSessions: FeatureWork {
    let user: String
    var summary: String { "loading the sessions of user \(user)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(SessionsLoaded(user: user, rows: try sources.data.sessions(ofUser: user, limit: Sources.sessionLimit)))
    }
}

struct SessionsLoaded: FeatureMessage {
    let user: String
    let rows: [SessionRow]

    func apply(to state: inout AppState) -> [Effect] {
        guard user == state.browse.sessionsOf else { return [] }
        state.browse.sessions = rows
        state.browse.selectedSession = Explorer.clamp(state.browse.selectedSession, count: rows.count)
        return []
    }
}

/// A session's interactions in time order.
struct LoadSessionItems: FeatureWork {
    let session: String
    var summary: String { "loading session \(session)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(SessionItemsLoaded(session: session, rows: try sources.data.sessionItems(session: session, limit: Sources.sessionItemLimit)))
    }
}

struct SessionItemsLoaded: FeatureMessage {
    let session: String
    let rows: [SessionItemRow]

    func apply(to state: inout AppState) -> [Effect] {
        guard session == state.browse.itemsOf else { return [] }
        state.browse.sessionItems = rows
        state.browse.selectedSessionItem = Explorer.clamp(state.browse.selectedSessionItem, count: rows.count)
        return []
    }
}
