/// A named command bound to keys, with the help line `?` shows.
public struct Binding<Command: Hashable & Sendable>: Hashable, Sendable {
    public var keys: [Key]
    public var command: Command
    public var name: String
    public var help: String
    public var context: String
}

/// Commands registered apart from their keys, per view context, as VisiData's `addCommand`:
/// a key is looked up in the current context first, then in `CommandTable.global`.
public struct CommandTable<Command: Hashable & Sendable>: Sendable {
    public static var global: String { "global" }
    public private(set) var bindings: [Binding<Command>] = []

    public init() {}

    /// Binds `keys` to `command` in `context`; `name` is the script-friendly command name.
    public mutating func bind(_ keys: [Key], _ command: Command, name: String, help: String,
                              context: String = CommandTable.global) {
        bindings.append(Binding(keys: keys, command: command, name: name, help: help, context: context))
    }

    /// Convenience: binds keys given by name; a name that is not a key is a programming error.
    public mutating func bind(_ keyNames: String..., to command: Command, name: String, help: String,
                              context: String = CommandTable.global) {
        let keys = keyNames.map { n -> Key in
            guard let k = Key(name: n) else { preconditionFailure("not a key name: \(n)") }
            return k
        }
        bind(keys, command, name: name, help: help, context: context)
    }

    /// The command for `key` in `context`, falling back to the global bindings.
    public func command(for key: Key, in context: String) -> Command? {
        if let b = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return b.command }
        return bindings.first { $0.context == CommandTable.global && $0.keys.contains(key) }?.command
    }

    /// The command registered under `name` (for `:` command lines and scripts).
    public func command(named name: String) -> Command? {
        bindings.first { $0.name == name }?.command
    }

    /// Help lines for `context`: its own bindings, then the global ones it does not shadow.
    public func help(for context: String) -> [(keys: String, name: String, help: String)] {
        let own = bindings.filter { $0.context == context && context != CommandTable.global }
        let shadowed = Set(own.flatMap(\.keys))
        let global = bindings.filter { $0.context == CommandTable.global }
            .map { b -> Binding<Command> in
                var b = b
                b.keys = b.keys.filter { !shadowed.contains($0) }
                return b
            }
            .filter { !$0.keys.isEmpty }
        return (own + global).map { ($0.keys.map(\.name).joined(separator: " "), $0.name, $0.help) }
    }
}

/// An application a terminal backend (or the headless player) can drive.
public protocol InteractiveApp {
    /// Handles a key, mouse event or resize.
    mutating func receive(_ key: Key)
    /// Applies finished background work; true when something changed and a redraw is due.
    mutating func pollBackground() -> Bool
    /// Draws the whole screen.
    func draw(on canvas: inout Canvas)
    /// True once the app wants to exit.
    var isFinished: Bool { get }
}
