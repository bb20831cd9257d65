import RecWorkbench
import TUIKit

/// The Browse pane's part of the state: the selected user's sessions and the selected session's items.
public struct BrowseState: FeatureState {
    /// The user whose sessions are shown (or asked for).
    public var sessionsOf: String? = nil
    public var sessions: [SessionRow] = []
    public var selectedSession = 0
    /// The session whose items are shown (or asked for).
    public var itemsOf: String? = nil
    public var sessionItems: [SessionItemRow] = []
    public var selectedSessionItem = 0

    public init() {}

    public var selectedSessionRow: SessionRow? {
        sessions.indices.contains(selectedSession) ? sessions[selectedSession] : nil
    }

    public var selectedSessionItemRow: SessionItemRow? {
        sessionItems.indices.contains(selectedSessionItem) ? sessionItems[selectedSessionItem] : nil
    }
}

extension AppState {
    public var browse: BrowseState {
        get { panes[BrowseState.self] }
        _modify { yield &panes[BrowseState.self] }
    }
}

extension View {
    /// Browse: the users list (the root).
    public static let users = View(feature: "browse", context: "users")
    /// Browse: one user's sessions, focused.
    public static func sessions(user: String) -> View { View(feature: "browse", context: "sessions", user) }
    /// Browse: the items of one session, focused.
    public static func sessionItems(user: String, session: String) -> View {
        View(feature: "browse", context: "session-items", user, session)
    }
}

/// The Browse pane: an info line over three boxed columns (users, sessions, session items).
struct BrowseLayout {
    let info: Rect
    let users: Rect
    let sessions: Rect
    let items: Rect

    init(body: Rect) {
        let (top, rest) = body.splitTop(1)
        info = top
        let c = rest.columns([.percent(36), .percent(30), .fill])
        users = c[0]
        sessions = c[1]
        items = c[2]
    }

    /// The table area (header + rows) inside each column's border.
    var tables: [Rect] { [users, sessions, items].map(Box.inner) }
}
