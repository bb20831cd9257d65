import SnapshotSupport
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// Every pane on the demo catalog at 80×24 and 120×40, replayed from key scripts and compared as text.
@Suite struct PaneSnapshotTests {
    static let scenarios: [(name: String, script: String)] = [
        ("browse", ""),
        ("browse-sessions", "j j Enter"),
        ("browse-session-items", "j j Enter j Enter"),
        ("browse-scrolled", "PgDn PgDn j"),
        ("users-sorted", "s"),
        ("items", "2"),
        ("item-detail", "2 j Enter"),
        ("item-hostile-title", ": \"item 216\" Enter"),
        ("item-emoji-title", ": \"item 163\" Enter"),
        ("catalog", "3"),
        ("help-users", "?"),
        ("help-items", "2 ?"),
        ("search", "/ p a r"),
        ("search-open", "/ p a r Down Enter"),
        ("command-line", ": u s e r"),
        ("command-user", ": \"user 42\" Enter"),
        ("command-unknown", ": x Enter"),
    ]

    static func screens(_ script: String, width: Int, height: Int) -> [String] {
        play(try! Key.parseScript(script), width: width, height: height, dataSource: demo)
    }

    static let demo = InMemoryDataSource.demo()

    @Test(arguments: scenarios.map(\.name))
    func paneSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo)
    }

    @Test func tooSmallAndBack() {
        let screens = Self.screens("Resize:39x12 Resize:40x11 Resize:40x12", width: 80, height: 24)
        assertSnapshot(screens[1], named: "too-small-39x12")
        #expect(screens[2].contains("Terminal too small"))
        assertSnapshot(screens[3], named: "smallest-40x12")
    }

    @Test func replayIsDeterministic() throws {
        let keys = ["j", "Enter", "j", "Enter", "2", "PgDn", "3", "?", "Esc", "/", "a"]
        let a = try play(keys: keys, width: 100, height: 30, dataSource: InMemoryDataSource.demo())
        let b = try play(keys: keys, width: 100, height: 30, dataSource: InMemoryDataSource.demo())
        #expect(a == b)
        #expect(a.count == keys.count + 1)
        #expect(throws: KeyScriptError(line: 2, token: "Bogus")) {
            try play(keys: ["j", "Bogus"], dataSource: InMemoryDataSource.demo())
        }
    }

    @Test func playStopsAfterQuit() throws {
        let screens = try play(keys: ["q", "j", "j"], dataSource: InMemoryDataSource.demo())
        #expect(screens.count == 2)
    }
}
