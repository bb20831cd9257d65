import RecWorkbench
import TUIKit

extension AppCommand {
    public static let sortUsers: AppCommand = "sort-users"
    public static let openSessions: AppCommand = "open-sessions"
    public static let openSession: AppCommand = "open-session"
    public static let openItem: AppCommand = "open-item"
}

/// Browse: users, the selected user's sessions as a timeline, and the selected session's items.
public enum BrowseFeature: Feature {
    public static let title = "Browse"
    public static let summary = "Browse users, sessions and their items"
    public static let root = View.users

    public static func register(_ c: inout Commands) {
        c.bind("s", to: .sortUsers, help: "Sort users by id, interactions, last seen", context: "users")
        c.bind("Enter", "l", "Right", to: .openSessions, help: "Show the user's sessions", context: "users")
        c.bind("Enter", "l", "Right", to: .openSession, help: "Show the session's items", context: "sessions")
        c.bind("Enter", "l", "Right", to: .openItem, help: "Show the item's detail", context: "session-items")
        c.hint("users", .keys([.moveDown, .moveUp], "move"), .keys([.openSessions], "sessions"), .keys([.sortUsers], "sort"),
               .keys([.search], "search"), .keys([.commandLine], "command"), .keys([.help], "help"), .keys([.close], "quit"))
        c.hint("sessions", .keys([.moveDown, .moveUp], "move"), .keys([.openSession], "items"), .keys([.back], "back"),
               .keys([.search], "search"), .keys([.help], "help"))
        c.hint("session-items", .keys([.moveDown, .moveUp], "move"), .keys([.openItem], "item"), .keys([.back], "back"),
               .keys([.search], "search"), .keys([.help], "help"))
        c.verb("user", "u", argument: "ID", help: "Open a user's sessions") { id, _ in [Effect(LookupUser(id: id ?? ""))] }
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        if let delta = Explorer.delta(of: command, in: view, state) {
            switch view.context {
            case "users":
                UsersList.move(by: delta, &state)
                UsersList.select(&state)
            case "sessions":
                state.browse.selectedSession = Explorer.moved(state.browse.selectedSession, by: delta, count: state.browse.sessions.count)
            default:
                state.browse.selectedSessionItem = Explorer.moved(state.browse.selectedSessionItem, by: delta,
                                                                  count: state.browse.sessionItems.count)
            }
            return []
        }
        switch command {
        case .sortUsers: return UsersList.cycleSort(&state)
        case .openSessions, .openSession, .openItem, .drillDown: return open(view, &state)
        default: return nil
        }
    }

    /// Opens what the view's selected row leads to: a user's sessions, a session's items, an item's detail.
    static func open(_ view: View, _ state: inout AppState) -> [Effect] {
        switch view.context {
        case "users":
            guard let row = state.users.selectedRow else { return [] }
            UsersList.select(&state)
            state.stack.append(.sessions(user: row.id))
        case "sessions":
            guard let session = state.browse.selectedSessionRow else { return [] }
            state.stack.append(.sessionItems(user: view.arguments[0], session: session.id))
        default:
            guard let row = state.browse.selectedSessionItemRow else { return [] }
            state.stack.append(.itemDetail(item: row.itemID))
        }
        return []
    }

    /// While shown: the sessions of the selected user, then the items of the selected session.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible else { return [] }
        if state.top == .users { UsersList.select(&state) }
        guard let user = state.selection.user else { return [] }
        if state.browse.sessionsOf != user {
            state.browse = BrowseState()
            state.browse.sessionsOf = user
            return [Effect(LoadSessions(user: user))]
        }
        if let session = state.browse.selectedSessionRow, state.browse.itemsOf != session.id {
            state.browse.itemsOf = session.id
            state.browse.sessionItems = []
            state.browse.selectedSessionItem = 0
            return [Effect(LoadSessionItems(session: session.id))]
        }
        return []
    }

    /// After a reload everything shown is asked for again.
    public static func start(_ state: inout AppState) -> [Effect] {
        state.browse.sessionsOf = nil
        return []
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        BrowsePane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] { ["users"] + view.arguments }

    public static func position(_ view: View, _ state: AppState) -> String {
        let b = state.browse
        switch view.context {
        case "users": return UsersList.position(state)
        case "sessions": return "\(min(b.sessions.count, b.selectedSession + 1))/\(b.sessions.count)"
        default: return "\(min(b.sessionItems.count, b.selectedSessionItem + 1))/\(b.sessionItems.count)"
        }
    }

    public static func pageRows(_ view: View, _ state: AppState) -> Int {
        max(1, BrowseLayout(body: state.layout.body).tables[0].height - 1)
    }

    /// A click selects a row of the column it lands in (and focuses that column).
    public static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect] {
        let tables = BrowseLayout(body: state.layout.body).tables
        if tables[0].contains(x: event.x, y: event.y) {
            guard let i = ScrollWindow.row(atY: event.y, in: tables[0], selected: state.users.selected, count: state.users.count)
            else { return [] }
            state.stack = [.users]
            state.users.selected = i
            UsersList.select(&state)
            return []
        }
        guard let user = state.selection.user else { return [] }
        let b = state.browse
        if tables[1].contains(x: event.x, y: event.y) {
            guard let i = ScrollWindow.row(atY: event.y, in: tables[1], selected: b.selectedSession, count: b.sessions.count)
            else { return [] }
            state.stack = [.users, .sessions(user: user)]
            state.browse.selectedSession = i
        } else if tables[2].contains(x: event.x, y: event.y), let session = b.selectedSessionRow {
            guard let i = ScrollWindow.row(atY: event.y, in: tables[2], selected: b.selectedSessionItem, count: b.sessionItems.count)
            else { return [] }
            state.stack = [.users, .sessions(user: user), .sessionItems(user: user, session: session.id)]
            state.browse.selectedSessionItem = i
        }
        return []
    }
}
