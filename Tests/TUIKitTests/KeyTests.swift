import Testing
@testable import TUIKit

@Suite struct KeyTests {
    static let keys: [Key] = [
        .char("j"), .char("/"), .char("?"), .char(" "), .char("é"), .up, .down, .left, .right, .pageUp, .pageDown,
        .home, .end, .enter, .escape, .tab, .backTab, .backspace, .delete, .insert, .ctrl("c"), .function(1),
        .function(12), .mouse(MouseEvent(.click, x: 10, y: 5)), .mouse(MouseEvent(.wheelDown, x: 0, y: 0)),
        .resize(width: 100, height: 30),
    ]

    @Test(arguments: keys)
    func namesRoundTrip(key: Key) {
        #expect(Key(name: key.name) == key)
    }

    @Test func scriptNames() {
        #expect(Key(name: "j") == .char("j"))
        #expect(Key(name: "Down") == .down)
        #expect(Key(name: "Enter") == .enter)
        #expect(Key(name: "C-c") == .ctrl("c"))
        #expect(Key(name: "Esc") == .escape)
        #expect(Key(name: "/") == .char("/"))
        #expect(Key(name: "Space") == .char(" "))
        #expect(Key(name: "PgDn") == .pageDown)
        #expect(Key(name: "escape") == .escape)
        #expect(Key(name: "F5") == .function(5))
        #expect(Key(name: "Click:3,4") == .mouse(MouseEvent(.click, x: 3, y: 4)))
        #expect(Key(name: "Resize:40x12") == .resize(width: 40, height: 12))
    }

    @Test(arguments: ["Foo", "", "C-1", "F99", "Click:3", "Resize:0x10", "\u{1B}", "jj"])
    func unknownNamesAreRejected(name: String) {
        #expect(Key(name: name) == nil)
    }

    @Test func scriptsWithQuotesAndComments() throws {
        let keys = try Key.parseScript("""
            j j Enter   # open the first user
            ":user 42" Enter
            C-c
            """)
        #expect(keys.map(\.name) == ["j", "j", "Enter", ":", "u", "s", "e", "r", "Space", "4", "2", "Enter", "C-c"])
    }

    @Test func scriptErrorsNameTheLine() {
        #expect(throws: KeyScriptError(line: 2, token: "Bogus")) {
            try Key.parseScript("j\nk Bogus")
        }
        #expect(throws: KeyScriptError.self) { try Key.parseScript("\"unterminated") }
    }
}

@Suite struct CommandTableTests {
    enum Command: String, Hashable, Sendable { case down, open, openUser, quit, sort }

    static var table: CommandTable<Command> {
        var t = CommandTable<Command>()
        t.bind("j", "Down", to: .down, name: "move-down", help: "Next row")
        t.bind("Enter", to: .open, name: "open", help: "Open")
        t.bind("q", to: .quit, name: "quit", help: "Quit")
        t.bind("Enter", to: .openUser, name: "open-user", help: "Open the user", context: "users")
        t.bind("s", to: .sort, name: "sort", help: "Sort", context: "users")
        return t
    }

    @Test func contextBindingsWinOverGlobalOnes() {
        #expect(Self.table.command(for: .enter, in: "users") == .openUser)
        #expect(Self.table.command(for: .enter, in: "items") == .open)
        #expect(Self.table.command(for: .char("j"), in: "users") == .down)
        #expect(Self.table.command(for: .down, in: "items") == .down)
        #expect(Self.table.command(for: .char("s"), in: "items") == nil)
        #expect(Self.table.command(for: .char("x"), in: "users") == nil)
    }

    @Test func commandsAreFoundByName() {
        #expect(Self.table.command(named: "quit") == .quit)
        #expect(Self.table.command(named: "sort") == .sort)
        #expect(Self.table.command(named: "nope") == nil)
    }

    @Test func helpListsContextThenUnshadowedGlobals() {
        let help = Self.table.help(for: "users")
        #expect(help.map(\.name) == ["open-user", "sort", "move-down", "quit"])
        #expect(help[2].keys == "j Down")
        #expect(Self.table.help(for: "items").map(\.name) == ["move-down", "open", "quit"])
    }
}
