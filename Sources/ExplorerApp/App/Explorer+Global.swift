import RecWorkbench
import TUIKit

extension AppCommand {
    public static let moveUp: AppCommand = "move-up"
    public static let moveDown: AppCommand = "move-down"
    public static let pageUp: AppCommand = "page-up"
    public static let pageDown: AppCommand = "page-down"
    public static let first: AppCommand = "first"
    public static let last: AppCommand = "last"
    public static let drillDown: AppCommand = "drill-down"
    public static let back: AppCommand = "back"
    public static let close: AppCommand = "close"
    public static let quit: AppCommand = "quit"
    public static let help: AppCommand = "help"
    public static let refresh: AppCommand = "refresh"
    public static let search: AppCommand = "search"
    public static let commandLine: AppCommand = "command-line"

    /// The command that shows `feature`'s tab: `show-browse`.
    public static func show(_ feature: any Feature.Type) -> AppCommand {
        AppCommand(rawValue: "show-" + feature.title.lowercased())
    }
}

extension Explorer {
    /// The explorer's own commands: moving, opening and going back, tabs, help, reload, search, `:`.
    static func registerGlobal(_ c: inout Commands) {
        c.bind("k", "Up", to: .moveUp, help: "Select the previous row")
        c.bind("j", "Down", to: .moveDown, help: "Select the next row")
        c.bind("PgUp", "C-b", to: .pageUp, help: "Up one screen")
        c.bind("PgDn", "C-f", "Space", to: .pageDown, help: "Down one screen")
        c.bind("Home", "g", to: .first, help: "Select the first row")
        c.bind("End", "G", to: .last, help: "Select the last row")
        c.bind("Enter", "l", "Right", to: .drillDown, help: "Open the selected row")
        c.bind("Esc", "h", "Left", "Backspace", to: .back, help: "Go back to the previous view")
        c.bind("q", to: .close, help: "Go back; quit from a tab's first view")
        c.bind("C-c", to: .quit, help: "Quit RecScope")
        for (n, tab) in tabs.enumerated() {
            c.bind(String(n + 1), to: .show(tab), help: tab.summary)
        }
        c.bind("?", "F1", to: .help, help: "This help")
        c.bind("R", to: .refresh, help: "Reload the catalog (what an import or train wrote since)")
        c.bind("/", to: .search, help: "Search users and items as you type")
        c.bind(":", to: .commandLine, help: "Command line: :user ID, :item ID, :quit")
        c.hint("help", .keys([.moveDown, .moveUp], "scroll"), .legend("Esc or ? back"))
    }

    /// The verbs every tab shares, after the tabs' own.
    static func registerTail(_ c: inout Commands) {
        c.note(":TAB", "Switch to a tab: " + tabs.map { $0.title.lowercased() }.joined(separator: "|"))
        c.note(":NAME", "Run a command above by its name, e.g. :sort-users")
        c.verb("quit", "q", help: "Quit RecScope") { _, state in
            state.isFinished = true
            return []
        }
    }

    /// Runs the explorer's own commands (a pane did not take them).
    static func performGlobal(_ command: AppCommand, _ state: inout AppState) -> [Effect] {
        if let tab = tabs.first(where: { AppCommand.show($0) == command }) { return show(tab, &state) }
        switch command {
        case .back: return back(&state)
        case .close:
            if state.stack.count > 1 { return back(&state) }
            state.isFinished = true
            return []
        case .quit:
            state.isFinished = true
            return []
        case .refresh:
            state.message = "Reloading \(state.catalogName)…"
            return [Effect(Reload())]
        case .help:
            if state.top == .help { return back(&state) }
            state.stack.append(.help)
            state.helpLine = 0
            return []
        case .search:
            state.prompt = .search(query: "", hits: [], selected: 0)
            return []
        case .commandLine:
            state.prompt = .command("")
            return []
        case _ where state.top == .help:
            guard let delta = delta(of: command, in: .help, state) else { return [] }
            let rows = commands.table.help(for: state.helpSubject.context).count + commands.verbHelp.count
            state.helpLine = max(0, min(state.helpLine.addingReportingOverflow(delta).partialValue, rows))
            return []
        default:
            return []
        }
    }
}

/// Drops every cache, so what other processes wrote since shows; then everything shown loads again.
struct Reload: FeatureWork {
    var summary: String { "reloading the catalog" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        sources.data.refresh()
        return .message(Reloaded())
    }
}

struct Reloaded: FeatureMessage {
    func apply(to state: inout AppState) -> [Effect] {
        state.message = "Reloaded \(state.catalogName)."
        return Explorer.start(&state)
    }
}

/// The catalog at a glance: counts, distributions, the long tail and activity; a whole-catalog read.
struct LoadSummary: FeatureWork {
    var summary: String { "loading the catalog summary" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(SummaryLoaded(summary: try sources.data.summary()))
    }
}

struct SummaryLoaded: FeatureMessage {
    let summary: CatalogSummary
    func apply(to state: inout AppState) -> [Effect] {
        state.summary = summary
        return []
    }
}
