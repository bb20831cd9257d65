import TUIKit

/// The explorer's named commands; keys reach them through `AppCommand.table`.
public enum AppCommand: String, Hashable, Sendable, CaseIterable {
    case moveUp = "move-up", moveDown = "move-down", pageUp = "page-up", pageDown = "page-down"
    case first, last
    case drillDown = "drill-down", back, close, quit
    case showBrowse = "show-browse", showItems = "show-items", showCatalog = "show-catalog", help
    case search, commandLine = "command-line", cycleSort = "cycle-sort"

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
        t.bind("?", "F1", to: .help, name: "help", help: "This help")
        t.bind("/", to: .search, name: "search", help: "Search users and items as you type")
        t.bind(":", to: .commandLine, name: "command-line", help: "Command line: :user ID, :item ID, :quit")
        t.bind("s", to: .cycleSort, name: "sort-users", help: "Sort users by id, interactions, last seen", context: "users")
        t.bind("s", to: .cycleSort, name: "sort-items", help: "Sort items by popularity, title, id", context: "items")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-sessions", help: "Show the user's sessions", context: "users")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-session", help: "Show the session's items", context: "sessions")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-item", help: "Show the item's detail", context: "session-items")
        t.bind("Enter", "l", "Right", to: .drillDown, name: "open-user", help: "Show the selected user's sessions", context: "item-detail")
        return t
    }()
}
