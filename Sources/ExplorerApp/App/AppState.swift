import RecModels
import RecWorkbench
import TUIKit

/// What the panes share: whose data they show and with which models. Panes read it and set it; they never
/// read each other's state.
public struct Selection: Hashable, Sendable {
    /// The user the panes show: Browse's highlighted user, one opened by id, or the one `j`/`k` reached in
    /// Compare or Simulate.
    public var user: String? = nil
    /// Its row, when known (from the users page, or from looking it up by id).
    public var userRow: UserRow? = nil
    /// Compare's two models; Simulate's base model and the item detail's similar items use A.
    public var modelA: ModelKind = .pop
    public var modelB: ModelKind = .itemknn
    /// A request for the Tree pane to reveal an item's path or a prefix (from `t` in Items or `:sid 12-7`).
    public var treeTarget: TreeTarget? = nil
    /// The Items pane narrowed to a node of the code tree (from `i` in Tree); nil: every item.
    public var itemFilter: ItemFilter? = nil
    /// Compare narrowed to one segment's users (from Enter on a segment in the Lens); nil: every user.
    public var userFilter: UserFilter? = nil

    public init() {}
}

/// The users `j`/`k` step through in Compare while a segment is drilled into.
public struct UserFilter: Hashable, Sendable {
    /// `cold users (activity)`.
    public var label: String
    /// External ids, in the catalog's index order.
    public var users: [String]
    /// The selected one's position in `users`.
    public var position: Int

    public init(label: String, users: [String], position: Int = 0) {
        self.label = label
        self.users = users
        self.position = position
    }
}

/// What the Tree pane is asked to show once its tree is loaded.
public enum TreeTarget: Hashable, Sendable {
    case item(String)
    case prefix(String)
}

/// The items list narrowed to one node of the tree.
public struct ItemFilter: Hashable, Sendable {
    /// `12-7 · aligned`.
    public var label: String
    /// Every item of the node.
    public var rows: [ItemRow]
    /// The item to select in the list (the one the tree revealed), when among the rows.
    public var focus: String?

    public init(label: String, rows: [ItemRow], focus: String? = nil) {
        self.label = label
        self.rows = rows
        self.focus = focus
    }
}

/// The line being edited at the bottom of the screen.
public enum Prompt: Hashable, Sendable {
    /// `/` incremental search: the query, the hits for it and the selected hit.
    case search(query: String, hits: [SearchHit], selected: Int)
    /// `:` command line.
    case command(String)
    /// One line of text for a pane's command (`instruction` when the pane asked for an instruction).
    case text(purpose: TextPurpose, String)
}

/// What a pane asks a line of text for, and how the status bar introduces it.
public struct TextPurpose: Hashable, Sendable {
    public var name: String
    public var label: String

    public init(name: String, label: String) {
        self.name = name
        self.label = label
    }
}

/// A window of a long sorted list: the loaded page, the length of the whole list and the absolute index
/// of the selected row.
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

    /// Takes a loaded page: the list's length, and the selection kept within it.
    public mutating func receive(_ loaded: Page<Row>) {
        page = loaded
        total = loaded.total
        if requested == loaded.offset { requested = nil }
        selected = Explorer.clamp(selected, count: loaded.total)
    }

    /// Whether rows `range` are all in the loaded page.
    public func covers(_ range: Range<Int>) -> Bool {
        range.isEmpty || (range.lowerBound >= page.offset && range.upperBound <= page.offset + page.rows.count)
    }

    /// How many rows a page request asks for, at least.
    public static var pageSize: Int { 200 }

    /// The page to ask for so that every row within `reach` of the selection is loaded (a screen's height
    /// is enough reach for any pane showing the list), or nil when they are, or that page is on its way.
    public func pageRequest<Sort>(reach: Int, sort: Sort) -> PageRequest<Sort>? {
        guard let total else { return nil }
        let wanted = max(0, selected - reach)..<min(total, selected + reach + 1)
        guard !covers(wanted) else { return nil }
        let start = max(0, selected - 2 * reach)
        guard requested != start else { return nil }
        return PageRequest(offset: start, limit: max(Self.pageSize, 4 * reach + 1), sort: sort)
    }
}

/// Everything the explorer shows, in one value; only `Explorer.update` changes it.
public struct AppState: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var catalogName: String
    public var stack: [View]
    public var selection = Selection()
    /// The users list: Browse shows it, Compare and Simulate move through it.
    public var users = PagedList<UserRow>()
    public var userSort: UserSort = .id
    /// The models every pane asks for, and where each stands.
    public var models = ModelsState()
    /// The catalog at a glance (the Catalog pane, and the Items pane's popularity scale).
    public var summary: CatalogSummary? = nil
    public var prompt: Prompt? = nil
    /// A one-shot message in the status bar (an error, "no user 42"); cleared by the next key.
    public var message: String? = nil
    public var helpLine = 0
    public var isFinished = false
    /// The panes' own states (`state.browse`, `state.compare`, …).
    public var panes = FeatureStates()

    public init(catalogName: String, width: Int, height: Int) {
        self.catalogName = catalogName
        self.width = width
        self.height = height
        stack = [Explorer.tabs[0].root]
    }

    public var top: View { stack.last ?? Explorer.tabs[0].root }

    /// The feature whose tab is shown (the root of the stack).
    public var tab: any Feature.Type { Explorer.feature(of: stack.first ?? top) ?? Explorer.tabs[0] }

    /// Whether `feature`'s tab is shown.
    public func shows(_ feature: any Feature.Type) -> Bool { tab == feature }

    /// The view that help describes (the one under `.help`).
    public var helpSubject: View { stack.last(where: { $0 != .help }) ?? Explorer.tabs[0].root }

    public var layout: ScreenLayout { ScreenLayout(width: width, height: height) }
}

func == (a: any Feature.Type, b: any Feature.Type) -> Bool { ObjectIdentifier(a) == ObjectIdentifier(b) }
