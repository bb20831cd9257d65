import RecWorkbench
import TUIKit

extension Explorer {
    /// A key while a prompt is open: search, the `:` line, or a pane's line of text.
    static func handlePrompt(_ key: Key, _ prompt: Prompt, _ state: inout AppState) -> [Effect] {
        switch prompt {
        case .search(let query, let hits, let selected):
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"):
                state.prompt = nil
            case .up: state.prompt = .search(query: query, hits: hits, selected: max(0, selected - 1))
            case .down: state.prompt = .search(query: query, hits: hits, selected: clamp(selected + 1, count: hits.count))
            case .enter:
                state.prompt = nil
                guard hits.indices.contains(selected) else {
                    if !query.isEmpty { state.message = "Nothing matches \"\(query)\"." }
                    return []
                }
                return open(hits[selected], &state)
            case .backspace:
                return setQuery(String(query.dropLast()), &state)
            case .char(let c):
                return setQuery(query + String(c), &state)
            default: break
            }
            return []
        case .command(let text):
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"):
                state.prompt = nil
            case .backspace:
                state.prompt = text.isEmpty ? nil : .command(String(text.dropLast()))
            case .enter:
                state.prompt = nil
                return runCommandLine(text, &state)
            case .char(let c):
                state.prompt = .command(text + String(c))
            default: break
            }
            return []
        case .text(let purpose, let text):
            switch key {
            case .escape, .ctrl("c"), .ctrl("g"): state.prompt = nil
            case .backspace: state.prompt = .text(purpose: purpose, String(text.dropLast()))
            case .enter:
                state.prompt = nil
                return commands.submit(text, for: purpose, &state)
            case .char(let c): state.prompt = .text(purpose: purpose, text + String(c))
            default: break
            }
            return []
        }
    }

    static func setQuery(_ query: String, _ state: inout AppState) -> [Effect] {
        state.prompt = .search(query: query, hits: [], selected: 0)
        return query.isEmpty ? [] : [Effect(Search(query: query))]
    }

    /// Opens a search hit as `:user ID` or `:item ID` would, unless the shown pane takes it (What-if adds it).
    static func open(_ hit: SearchHit, _ state: inout AppState) -> [Effect] {
        if let feature = feature(of: state.top), let effects = feature.choose(hit, in: state.top, &state) { return effects }
        return commands.verb(named: hit.kind.rawValue)?.run(hit.id, &state) ?? []
    }

    /// Runs a `:` command line: a verb (`user ID`), a tab's name, or any command name from help.
    static func runCommandLine(_ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first else { return [] }
        if let verb = commands.verb(named: name) {
            let takes = verb.argument == nil ? [1] : verb.optional ? [1, 2] : [2]
            if takes.contains(words.count) { return verb.run(words.count == 2 ? words[1] : nil, &state) }
        }
        if words.count == 1 {
            if let tab = tabs.first(where: { $0.title.lowercased() == name }) { return show(tab, &state) }
            let command = AppCommand(rawValue: name)
            if commands.table.bindings.contains(where: { $0.command == command }) { return perform(command, &state) }
        }
        state.message = "Unknown command \":\(text)\"; try :user ID, :item ID, :sid PREFIX, :quit, or a command name from ?."
        return []
    }
}

/// Users whose id, and items whose id or title, contain a query.
struct Search: FeatureWork {
    let query: String
    var summary: String { "searching for \(query)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(SearchResults(query: query, hits: try sources.data.search(query, limit: Sources.searchLimit)))
    }
}

struct SearchResults: FeatureMessage {
    let query: String
    let hits: [SearchHit]

    func apply(to state: inout AppState) -> [Effect] {
        guard case .search(query, _, _)? = state.prompt else { return [] }
        state.prompt = .search(query: query, hits: hits, selected: 0)
        return []
    }
}
