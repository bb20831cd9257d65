import TUIKit

/// A named command of the explorer; panes define their own as constants (`AppCommand.openSessions`).
/// Each command has one name, which `:NAME`, `--play` scripts and help use.
public struct AppCommand: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
}

/// Everything the panes register: key bindings with their help, the status-bar hints of each context, the
/// `:` verbs, and the one-line prompts they ask for. Help, hints and verbs are read from here, so they
/// cannot drift from what the keys do.
public struct Commands: Sendable {
    public private(set) var table = CommandTable<AppCommand>()
    private var hints: [String: (keysFrom: String, parts: [Hint])] = [:]
    public private(set) var verbs: [Verb] = []
    /// The command line's help rows, in the order verbs and notes were registered.
    public private(set) var verbHelp: [[String]] = []
    private var prompts: [String: @Sendable (String, inout AppState) -> [Effect]] = [:]

    /// One part of a status-bar hint: a command's keys and a word, or a legend such as `◆ test`.
    public enum Hint: Sendable {
        /// `commands`' first keys joined by `/` (or `key`, which must be bound to the first command), then `label`.
        case keys([AppCommand], key: String? = nil, String)
        case legend(String)
    }

    /// A `:` verb with an optional argument: `:user ID`.
    public struct Verb: Sendable {
        public var names: [String]
        /// The argument's placeholder (`ID`), nil for none; `optional` when it may be left out.
        public var argument: String?
        public var optional: Bool
        public var help: String
        public var run: @Sendable (String?, inout AppState) -> [Effect]
    }

    public init() {}

    public mutating func bind(_ keys: String..., to command: AppCommand, help: String, context: String = CommandTable<AppCommand>.global) {
        let parsed = keys.map { n -> Key in
            guard let k = Key(name: n) else { preconditionFailure("not a key name: \(n)") }
            return k
        }
        table.bind(parsed, command, name: command.rawValue, help: help, context: context)
    }

    /// The status-bar hint of `context`, part by part; keys are those bound in `keysFrom` (default: the
    /// context itself) or globally.
    public mutating func hint(_ context: String, keysFrom: String? = nil, _ parts: Hint...) {
        hints[context] = (keysFrom ?? context, parts)
    }

    public mutating func verb(_ names: String..., argument: String? = nil, optional: Bool = false, help: String,
                              run: @escaping @Sendable (String?, inout AppState) -> [Effect]) {
        verbs.append(Verb(names: names, argument: argument, optional: optional, help: help, run: run))
        verbHelp.append([":" + names[0] + (argument.map { optional ? " [\($0)]" : " \($0)" } ?? ""), "", help])
    }

    /// A help row of the command line for what is not a verb (`:NAME`).
    public mutating func note(_ usage: String, _ help: String) { verbHelp.append([usage, "", help]) }

    /// What Enter on a `.text(purpose:)` prompt does with the text.
    public mutating func prompt(_ purpose: TextPurpose, _ submit: @escaping @Sendable (String, inout AppState) -> [Effect]) {
        prompts[purpose.name] = submit
    }

    public func submit(_ text: String, for purpose: TextPurpose, _ state: inout AppState) -> [Effect] {
        prompts[purpose.name]?(text, &state) ?? []
    }

    /// The hint line of `context`: `j/k move · Enter sessions · ? help`.
    public func hintLine(_ context: String) -> String {
        guard let hint = hints[context] else { return "" }
        return hint.parts.map { part in
            switch part {
            case .legend(let text): return text
            case .keys(let commands, let key, let label):
                let keys = key.map { [$0] } ?? commands.map { self.firstKey(of: $0, in: hint.keysFrom) ?? "?" }
                return keys.joined(separator: "/") + " " + label
            }
        }.joined(separator: " · ")
    }

    /// The first key bound to `command` in `context`, or globally.
    func firstKey(of command: AppCommand, in context: String) -> String? {
        let bindings = table.bindings.filter { $0.command == command }
        let own = bindings.first { $0.context == context } ?? bindings.first { $0.context == CommandTable<AppCommand>.global }
        return own?.keys.first?.name
    }

    /// Hint parts that name a command or key the table does not bind in their context (empty: none).
    public func staleHints() -> [String] {
        var stale: [String] = []
        for (name, hint) in hints {
            let context = hint.keysFrom
            for case .keys(let commands, let key, let label) in hint.parts {
                for command in commands where firstKey(of: command, in: context) == nil {
                    stale.append("\(name): '\(label)' names \(command), which no key runs there")
                }
                if let key, let first = commands.first {
                    let bound = table.bindings.contains {
                        $0.command == first && ($0.context == context || $0.context == CommandTable<AppCommand>.global)
                            && $0.keys.contains { $0.name == key }
                    }
                    if !bound { stale.append("\(name): '\(label)' shows key \(key), which is not bound to \(first)") }
                }
            }
        }
        return stale.sorted()
    }

    /// The verb named `name`.
    public func verb(named name: String) -> Verb? { verbs.first { $0.names.contains(name) } }
}
