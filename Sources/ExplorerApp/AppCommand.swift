import TUIKit

/// The explorer's named commands; keys reach them through `AppCommand.table`.
public enum AppCommand: String, Hashable, Sendable, CaseIterable {
    case moveUp = "move-up", moveDown = "move-down", pageUp = "page-up", pageDown = "page-down"
    case first, last
    case drillDown = "drill-down", back, close, quit
    case showBrowse = "show-browse", showItems = "show-items", showCatalog = "show-catalog", help
    case search, commandLine = "command-line", cycleSort = "cycle-sort"
    case showCompare = "show-compare", showMetrics = "show-metrics"
    case cycleModelA = "cycle-model-a", cycleModelB = "cycle-model-b", moreItems = "more-items", fewerItems = "fewer-items"
    case toggleSeen = "toggle-seen"
    case refresh

    /// Every key binding, with the help text `?` shows.
    public static let table: CommandTable<AppCommand> = {
        var t = CommandTable<AppCommand>()
        t.bind("k", "Up", to: .moveUp, name: "move-up", help: "Select the previous row")
        t.bind("j", "Down", to: .moveDown, name: "move-down", help: "Select the next row")
        t.bind("PgUp", "C-b", to: .pageUp, name: "page-up", help: "Up one screen")
        t.bind("PgDn", "C-f", "Space", to: .pageDown, name: "page-down", help: "Down one screen")
        t.bind("Home", "g", to: .first, name: "first", help: "Select the first row")
        t.bind("End", "G", to: .last, name: "last", help: "Select the last row")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "drill-down", help: "Open the selected row")
        t.bind("Esc", "h", "Left", "Backspace", to: .back, name: "back", help: "Go back to the previous view")
        t.bind("q", to: .close, name: "close", help: "Go back; quit from a tab's first view")
        t.bind("C-c", to: .quit, name: "quit", help: "Quit RecScope")
        t.bind("1", to: .showBrowse, name: "show-browse", help: "Browse users, sessions and their items")
        t.bind("2", to: .showItems, name: "show-items", help: "List items and their detail")
        t.bind("3", to: .showCatalog, name: "show-catalog", help: "Catalog overview: counts and distributions")
        t.bind("4", to: .showCompare, name: "show-compare", help: "Compare two models' top-K for the selected user")
        t.bind("5", to: .showMetrics, name: "show-metrics", help: "Recall, NDCG and MRR@10 of every model")
        t.bind("?", "F1", to: .help, name: "help", help: "This help")
        t.bind("R", to: .refresh, name: "refresh", help: "Reload the catalog (what an import or train wrote since)")
        t.bind("/", to: .search, name: "search", help: "Search users and items as you type")
        t.bind(":", to: .commandLine, name: "command-line", help: "Command line: :user ID, :item ID, :quit")
        t.bind("s", to: .cycleSort, name: "sort-users", help: "Sort users by id, interactions, last seen", context: "users")
        t.bind("s", to: .cycleSort, name: "sort-items", help: "Sort items by popularity, title, id", context: "items")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-sessions", help: "Show the user's sessions", context: "users")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-session", help: "Show the session's items", context: "sessions")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-item", help: "Show the item's detail", context: "session-items")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-user", help: "Show the selected user's sessions", context: "item-detail")
        t.bind("j", "Down", to: .moveDown, name: "next-user", help: "Compare for the next user", context: "compare")
        t.bind("k", "Up", to: .moveUp, name: "previous-user", help: "Compare for the previous user", context: "compare")
        t.bind("a", to: .cycleModelA, name: "cycle-model-a", help: "Model A: pop, itemknn, als, bpr, ease", context: "compare")
        t.bind("b", to: .cycleModelB, name: "cycle-model-b", help: "Model B: pop, itemknn, als, bpr, ease", context: "compare")
        t.bind("+", "=", to: .moreItems, name: "more-items", help: "One more item per list (K + 1)", context: "compare")
        t.bind("-", to: .fewerItems, name: "fewer-items", help: "One item fewer per list (K - 1)", context: "compare")
        t.bind("x", to: .toggleSeen, name: "toggle-seen", help: "Leave out or include the user's seen items", context: "compare")
        return t
    }()
}
