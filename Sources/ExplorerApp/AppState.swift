import RecWorkbench
import TUIKit

/// A screen of the explorer; the view stack holds these, the root is a tab's first view.
public enum View: Hashable, Sendable {
    /// Browse: the users list (root).
    case users
    /// Browse: one user's sessions, focused.
    case sessions(user: String)
    /// Browse: the items of one session, focused.
    case sessionItems(user: String, session: String)
    /// Items: the items list (root).
    case items
    /// Items: one item's detail, focused.
    case itemDetail(item: String)
    /// Catalog overview (root).
    case catalog
    /// Help for the view below it, generated from the command table.
    case help
    /// Recommend/Compare: two models' top-K for the selected user, side by side (root).
    case compare
    /// Metrics: Recall, NDCG and MRR of every model on the split's test part (root).
    case metrics
    /// Tree: the semantic-ID prefixes of a space, expandable, with a detail box and codebook usage (root).
    case tree
    /// Simulate: one simulated user stepped turn by turn against the agent (root).
    case simulate

    /// The command-table context of the view.
    public var context: String {
        switch self {
        case .users: "users"
        case .sessions: "sessions"
        case .sessionItems: "session-items"
        case .items: "items"
        case .itemDetail: "item-detail"
        case .catalog: "catalog"
        case .help: "help"
        case .compare: "compare"
        case .metrics: "metrics"
        case .tree: "tree"
        case .simulate: "simulate"
        }
    }
}

/// The top-level panes, switched with 1 to 6; each is the root of the view stack.
public enum Tab: Int, Hashable, Sendable, CaseIterable {
    case browse = 1, items, catalog, compare, metrics, tree, simulate

    public var title: String {
        switch self {
        case .browse: "Browse"
        case .items: "Items"
        case .catalog: "Catalog"
        case .compare: "Compare"
        case .metrics: "Metrics"
        case .tree: "Tree"
        case .simulate: "Simulate"
        }
    }

    public var root: View {
        switch self {
        case .browse: .users
        case .items: .items
        case .catalog: .catalog
        case .compare: .compare
        case .metrics: .metrics
        case .tree: .tree
        case .simulate: .simulate
        }
    }
}

/// A window of a long sorted list: the loaded page, the length of the whole list and the
/// absolute index of the selected row.
public struct PagedList<Row: Hashable & Sendable>: Hashable, Sendable {
    public var total: Int? = nil
    public var page: Page<Row> = Page(offset: 0, rows: [], total: 0)
    public var selected = 0
    /// The offset of the page asked for and not yet received, to avoid asking twice.
    public var requested: Int? = nil

    public init() {}

    public func row(at index: Int) -> Row? {
        let i = index - page.offset
        return i >= 0 && i < page.rows.count ? page.rows[i] : nil
    }

    public var selectedRow: Row? { row(at: selected) }
    public var count: Int { total ?? 0 }

    /// Whether rows `range` are all in the loaded page.
    public func covers(_ range: Range<Int>) -> Bool {
        range.isEmpty || (range.lowerBound >= page.offset && range.upperBound <= page.offset + page.rows.count)
    }
}

/// The line being edited at the bottom of the screen.
public enum Prompt: Hashable, Sendable {
    /// `/` incremental search: the query, the hits for it and the selected hit.
    case search(query: String, hits: [SearchHit], selected: Int)
    /// `:` command line.
    case command(String)
    /// Pane 7: an instruction typed in place of the simulated user.
    case instruction(String)
    /// Pane 7: the user id of the persona to simulate.
    case persona(String)
}

/// Everything the explorer shows, in one value; only `update` changes it.
public struct AppState: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var catalogName: String
    public var stack: [View] = [.users]

    public var users = PagedList<UserRow>()
    public var userSort: UserSort = .id
    /// The user whose sessions the Browse pane shows (the highlighted one, or one opened by id).
    public var browsedUser: String? = nil
    /// Its row, when known (from the users page or from looking it up by id).
    public var browsedUserRow: UserRow? = nil
    public var sessions: [SessionRow] = []
    public var selectedSession = 0
    public var sessionItems: [SessionItemRow] = []
    public var selectedSessionItem = 0

    public var items = PagedList<ItemRow>()
    public var itemSort: ItemSort = .popularityDescending
    /// The item whose detail is shown, and the detail once loaded.
    public var detailItem: String? = nil
    public var detail: ItemDetail? = nil
    public var selectedInteraction = 0
    /// Items like the opened item by the Compare pane's model A (nil: no detail opened, or no models).
    public var similar: SimilarItems? = nil

    /// The items list narrowed to a node of the code tree (nil: every item).
    public var itemFilter: ItemFilter? = nil
    /// The Tree pane: space, loaded tree, expanded and selected nodes.
    public var tree = TreeState()

    public var summary: CatalogSummary? = nil
    /// The Compare and Metrics panes' models, lists and statuses.
    public var compare = CompareState()
    /// Pane 7: the stepped simulated session and the population run.
    public var simulate = SimulateState()
    public var prompt: Prompt? = nil
    /// A one-shot message in the status bar (an error, "no user 42"); cleared by the next key.
    public var message: String? = nil
    public var helpLine = 0
    public var isFinished = false

    public init(catalogName: String, width: Int, height: Int) {
        self.catalogName = catalogName
        self.width = width
        self.height = height
    }

    public var top: View { stack.last ?? .users }

    /// The tab the root of the stack belongs to.
    public var tab: Tab {
        switch stack.first ?? .users {
        case .items, .itemDetail: .items
        case .catalog: .catalog
        case .compare: .compare
        case .metrics: .metrics
        case .tree: .tree
        case .simulate: .simulate
        default: .browse
        }
    }

    /// The view that help describes (the one under `.help`).
    public var helpSubject: View {
        stack.last(where: { $0 != .help }) ?? .users
    }
}
