import RecWorkbench
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
    case showTree = "show-tree", nextSpace = "next-space", nodeItems = "node-items", showInTree = "show-in-tree"
    case buildSemanticIDs = "build-sids"
    case showSimulate = "show-simulate", simStep = "sim-step", simAutoplay = "sim-autoplay", simRestart = "sim-restart"
    case simPersona = "sim-persona", simAgent = "sim-agent", simInstruct = "sim-instruct", simPopulation = "sim-population"
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
        t.bind("6", to: .showTree, name: "show-tree", help: "The semantic-ID tree: prefixes, their items and categories")
        t.bind("7", to: .showSimulate, name: "show-simulate", help: "Step a simulated user and an instruction-following agent")
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
        t.bind("Enter", "l", "Right", to: .drillDown, name: "expand", help: "Expand the node; on an open node, go to its first child", context: "tree")
        t.bind("Esc", "h", "Left", "Backspace", to: .back, name: "collapse", help: "Collapse the node; on a closed one, go to its parent", context: "tree")
        t.bind("i", to: .nodeItems, name: "node-items", help: "Show the node's items in the Items pane", context: "tree")
        t.bind("s", to: .nextSpace, name: "next-space", help: "Show the next space of semantic IDs", context: "tree")
        t.bind("b", to: .buildSemanticIDs, name: "build-sids", help: "Build the aligned space's semantic IDs now (as recscope sid build)", context: "tree")
        t.bind("t", to: .showInTree, name: "show-in-tree", help: "Show the item's semantic-ID path in the Tree pane", context: "items")
        t.bind("t", to: .showInTree, name: "show-in-tree", help: "Show the item's semantic-ID path in the Tree pane", context: "item-detail")
        t.bind("n", to: .simStep, name: "sim-step", help: "Next turn: the agent's slate and the user's reactions", context: "simulate")
        t.bind("a", to: .simAutoplay, name: "sim-autoplay", help: "Autoplay on/off (a turn every 0.6 s)", context: "simulate")
        t.bind("r", to: .simRestart, name: "sim-restart", help: "Restart the session from turn 0 (same seeds)", context: "simulate")
        t.bind("p", to: .simPersona, name: "sim-persona", help: "Pick the persona by user id (empty: the Browse selection)", context: "simulate")
        t.bind("j", "Down", to: .moveDown, name: "next-persona", help: "Simulate the next user of the Browse list", context: "simulate")
        t.bind("k", "Up", to: .moveUp, name: "previous-persona", help: "Simulate the previous user of the Browse list", context: "simulate")
        t.bind("m", to: .cycleModelA, name: "sim-model", help: "Base model: cycle Compare's model A", context: "simulate")
        t.bind("g", to: .simAgent, name: "sim-agent", help: "Agent on/off: instruction-following vs the baseline", context: "simulate")
        t.bind("i", to: .simInstruct, name: "sim-instruct", help: "Type an instruction in place of the simulated user", context: "simulate")
        t.bind("P", to: .simPopulation, name: "sim-population", help: "Run 200 users with and without the agent: retention", context: "simulate")
        return t
    }()
}
