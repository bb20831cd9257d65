/// A mouse event at a cell position (0-based column and row).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case click = "Click", rightClick = "RightClick", doubleClick = "DoubleClick"
        case wheelUp = "WheelUp", wheelDown = "WheelDown"
    }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// A decoded key press, mouse event or resize, with a name scripts can use.
///
/// Names: a printable character is itself (`j`, `/`, `?`), `Space`, `Enter`, `Esc`, `Tab`,
/// `BackTab`, `Backspace`, `Delete`, `Insert`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`,
/// `Home`, `End`, `F1`...`F12`, `C-a`...`C-z`, `Click:x,y` (also `RightClick`, `DoubleClick`,
/// `WheelUp`, `WheelDown`) and `Resize:WxH`.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    case ctrl(Character)
    case function(Int)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)

    static let named: [(String, Key)] = [
        ("Up", .up), ("Down", .down), ("Left", .left), ("Right", .right), ("PgUp", .pageUp),
        ("PgDn", .pageDown), ("Home", .home), ("End", .end), ("Enter", .enter), ("Esc", .escape),
        ("Tab", .tab), ("BackTab", .backTab), ("Backspace", .backspace), ("Delete", .delete),
        ("Insert", .insert), ("Space", .char(" ")),
    ]

    /// The script name of the key.
    public var name: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "C-" + String(c)
        case .function(let n): "F\(n)"
        case .mouse(let m): "\(m.kind.rawValue):\(m.x),\(m.y)"
        case .resize(let w, let h): "Resize:\(w)x\(h)"
        default: Key.named.first { $0.1 == self }!.0
        }
    }

    public var description: String { name }

    /// Parses a key name; nil when the name means nothing.
    public init?(name: String) {
        if let found = Key.named.first(where: { $0.0.lowercased() == name.lowercased() }) {
            self = found.1
            return
        }
        switch name.lowercased() {
        case "escape": self = .escape; return
        case "return": self = .enter; return
        case "pageup": self = .pageUp; return
        case "pagedown": self = .pageDown; return
        default: break
        }
        if name.count == 1, let c = name.first {
            guard c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
            self = .char(c)
            return
        }
        if name.hasPrefix("C-") || name.hasPrefix("c-"), name.count == 3, let c = name.last, c.isASCII, c.isLetter {
            self = .ctrl(Character(c.lowercased()))
            return
        }
        if let first = name.first, first == "F" || first == "f", let n = Int(name.dropFirst()), (1...24).contains(n) {
            self = .function(n)
            return
        }
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[0].lowercased() == "resize" {
            let wh = parts[1].lowercased().split(separator: "x").compactMap { Int($0) }
            guard wh.count == 2, wh[0] > 0, wh[1] > 0 else { return nil }
            self = .resize(width: wh[0], height: wh[1])
            return
        }
        guard let kind = MouseEvent.Kind.allCases.first(where: { $0.rawValue.lowercased() == parts[0].lowercased() })
        else { return nil }
        let xy = parts[1].split(separator: ",").compactMap { Int($0) }
        guard xy.count == 2, xy[0] >= 0, xy[1] >= 0 else { return nil }
        self = .mouse(MouseEvent(kind, x: xy[0], y: xy[1]))
    }

    /// The printable character, if the key types one.
    public var character: Character? {
        if case .char(let c) = self { return c }
        return nil
    }
}

extension MouseEvent.Kind: CaseIterable {}

/// Why a key script could not be read.
public struct KeyScriptError: Error, Hashable, CustomStringConvertible {
    public var line: Int
    public var token: String

    public init(line: Int, token: String) {
        self.line = line
        self.token = token
    }

    public var description: String {
        "key script line \(line): '\(token)' is not a key name (expected e.g. j, Down, Enter, C-c, Esc, Space, F1, Click:10,5, Resize:100x30, or \"text\")"
    }
}

/// One step of a script: a key, or a word the caller understands (a command name).
public enum ScriptStep<Word: Sendable>: Sendable {
    case key(Key)
    case word(Word)
}

extension ScriptStep: Equatable where Word: Equatable {}

extension Key {
    /// Reads a key script: names separated by spaces or newlines, `"quoted text"` typed one
    /// character at a time, `#` to the end of a line a comment.
    public static func parseScript(_ script: String) throws(KeyScriptError) -> [Key] {
        try parseScript(script, words: { (_: String) -> Never? in nil }).map { step -> Key in
            guard case .key(let key) = step else { preconditionFailure("no words were accepted") }
            return key
        }
    }

    /// Reads a script as `parseScript(_:)` does, where a token that is not a key name may be a word `words`
    /// understands (nil: it does not, and the script is refused at that token).
    public static func parseScript<Word>(_ script: String, words: (String) -> Word?) throws(KeyScriptError) -> [ScriptStep<Word>] {
        var steps: [ScriptStep<Word>] = []
        for (number, rawLine) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(rawLine)
            while let start = rest.firstIndex(where: { !$0.isWhitespace }) {
                rest = rest[start...]
                if rest.first == "#" { break }
                if rest.first == "\"" {
                    let body = rest.dropFirst()
                    guard let close = body.firstIndex(of: "\"") else {
                        throw KeyScriptError(line: number + 1, token: String(rest))
                    }
                    steps += body[..<close].map { .key($0 == " " ? Key.char(" ") : Key.char($0)) }
                    rest = body[body.index(after: close)...]
                    continue
                }
                let end = rest.firstIndex(where: { $0.isWhitespace }) ?? rest.endIndex
                let token = String(rest[..<end])
                if let key = Key(name: token) {
                    steps.append(.key(key))
                } else if let word = words(token) {
                    steps.append(.word(word))
                } else {
                    throw KeyScriptError(line: number + 1, token: token)
                }
                rest = rest[end...]
            }
        }
        return steps
    }
}
