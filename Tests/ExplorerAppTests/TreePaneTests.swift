import SnapshotSupport
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// The Tree pane: snapshots on the demo catalog, key routing, jumps to and from the Items pane, and a
/// catalog without semantic IDs.
@Suite struct TreePaneTests {
    static let demo = InMemoryDataSource.demo()

    static let scenarios: [(name: String, script: String)] = [
        ("tree", "6"),
        ("tree-expanded", "6 j Enter Enter j Enter"),
        ("tree-next-space", "6 s j l"),
        ("tree-from-item", "2 j j t"),
        ("tree-hostile-title", ": \"item 216\" Enter t"),
        ("tree-sid-command", ": \"sid 2-9\" Enter"),
        ("tree-node-items", "6 j i"),
        ("tree-help", "6 ?"),
    ]

    @Test(arguments: scenarios.map(\.name))
    func treeSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo)
    }

    @Test func withoutSemanticIDsThePaneSaysHowToBuildThem() {
        let keys = "6 Enter l h i s t j G : \"sid 1-2\" Enter"
        for (width, height) in [(80, 24), (120, 40)] {
            let screens = play(try! Key.parseScript(keys), width: width, height: height, dataSource: DataSourceTests.small)
            assertSnapshot(screens[1], named: "tree-empty-\(width)x\(height)")
            #expect(screens.dropFirst().allSatisfy { $0.contains("has no semantic IDs yet") })
            #expect(screens.last!.contains("recscope sid build"))
        }
    }

    /// The hostile title (ESC sequences, a bidi override) shows escaped in the tree, never raw.
    @Test func hostileTitleNeverReachesTheCanvasRaw() throws {
        var s = UpdateTests.session(Self.demo, width: 120, height: 40)
        UpdateTests.keys(": \"item 216\" Enter t", into: &s)
        let tree = try #require(s.state.tree.tree)
        let n = try #require(tree.index(ofItem: "216"))
        #expect(tree.items[n].title.contains("\u{1B}"))
        var canvas = Canvas(width: 120, height: 40)
        s.draw(on: &canvas)
        #expect(canvas.text.contains("␛[2J"))
        #expect(!canvas.text.unicodeScalars.contains (where: isUnsafeOnScreen))
    }

    @Test func sixLoadsTheDefaultSpaceOffTheUIThread() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        #expect(Explorer.update(&state, .key(.char("6"))) == [.loadCodeTree(space: nil)])
        #expect(state.stack == [.tree] && state.tree.isLoading)
        // Asked again while loading: no second load.
        #expect(Explorer.update(&state, .key(.char("6"))) == [])
        let runner = Sources(data: Self.demo)
        let loaded = runner.perform(.loadCodeTree(space: nil))
        guard case .message(let message) = loaded, let load = (message.base as? CodeTreeLoaded)?.load else {
            Issue.record("expected a code tree, got \(loaded)")
            return
        }
        #expect(load.spaces == ["aligned", "content"] && load.space == "aligned")
        #expect(Explorer.update(&state, loaded) == [])
        #expect(!state.tree.isLoading && state.tree.tree != nil)
        #expect(state.tree.selectedNode == state.tree.tree?.tree.children(of: 0).first)
        #expect(Explorer.update(&state, .key(.char("6"))) == [])
    }

    @Test func expandCollapseAndMove() throws {
        var s = UpdateTests.session(Self.demo)
        UpdateTests.keys("6", into: &s)
        let tree = try #require(s.state.tree.tree?.tree)
        let first = tree.children(of: tree.root).first!
        #expect(s.state.tree.rows.count == tree.children(of: tree.root).count)
        UpdateTests.keys("Enter", into: &s)
        #expect(s.state.tree.expanded == [first])
        #expect(s.state.tree.rows.count == tree.children(of: tree.root).count + tree.children(of: first).count)
        UpdateTests.keys("Right", into: &s)
        #expect(s.state.tree.selectedNode == tree.children(of: first).first)
        UpdateTests.keys("h", into: &s)
        #expect(s.state.tree.selectedNode == first && s.state.tree.expanded == [first])
        UpdateTests.keys("Left", into: &s)
        #expect(s.state.tree.expanded.isEmpty && s.state.stack == [.tree])
        UpdateTests.keys("Esc", into: &s)
        #expect(s.state.stack == [.tree] && !s.isFinished)
        UpdateTests.keys("G", into: &s)
        #expect(s.state.tree.selectedNode == tree.children(of: tree.root).last)
        UpdateTests.keys("g j", into: &s)
        #expect(s.state.tree.selectedNode == tree.children(of: tree.root).dropFirst().first)
    }

    @Test func nodeItemsOpenFilteredItemsAndEscShowsAllAgain() throws {
        var s = UpdateTests.session(Self.demo)
        UpdateTests.keys("6 j", into: &s)
        let codeTree = try #require(s.state.tree.tree)
        let node = try #require(s.state.tree.selectedNode)
        UpdateTests.keys("i", into: &s)
        #expect(s.state.stack == [.items])
        let expected = Set(codeTree.tree.items(of: node).map { codeTree.items[Int($0)].id })
        #expect(s.state.items.list.total == expected.count)
        #expect(Set(s.state.items.list.page.rows.map(\.id)) == expected)
        let popularity = s.state.items.list.page.rows.map(\.popularity)
        #expect(popularity == popularity.sorted(by: >))
        #expect(s.state.items.detailItem == s.state.items.list.page.rows.first?.id)
        UpdateTests.keys("s", into: &s)
        #expect(s.state.items.sort == .title && Set(s.state.items.list.page.rows.map(\.id)) == expected)
        UpdateTests.keys("Esc", into: &s)
        #expect(s.state.items.filter == nil)
        #expect(s.state.items.list.total == 400)
    }

    @Test func tFromAnItemRevealsItsPath() throws {
        var s = UpdateTests.session(Self.demo)
        UpdateTests.keys("2 j j", into: &s)
        let id = try #require(s.state.items.list.selectedRow?.id)
        UpdateTests.keys("t", into: &s)
        #expect(s.state.stack == [.tree])
        let codeTree = try #require(s.state.tree.tree)
        let n = try #require(codeTree.index(ofItem: id))
        let path = codeTree.tree.path(of: n)
        #expect(s.state.tree.selectedNode == path.last)
        #expect(s.state.tree.expanded == Set(path.dropLast()))
        #expect(s.state.tree.focusedItem == id)
        #expect(s.state.message?.contains(codeTree.tree.pathString(of: n)) == true)
        // From the detail too, and `i` then lands on the same item in the filtered list.
        UpdateTests.keys("2 Enter t i", into: &s)
        #expect(s.state.items.list.selectedRow?.id == id && s.state.items.filter != nil)
    }

    @Test func sidCommandOpensAPrefixOrTheNearest() throws {
        var s = UpdateTests.session(Self.demo)
        UpdateTests.keys(": \"sid 2-3\" Enter", into: &s)
        let tree = try #require(s.state.tree.tree?.tree)
        let node = try #require(s.state.tree.selectedNode)
        if let exact = tree.node(prefix: "2-3") {
            #expect(node == exact)
        } else {
            #expect(s.state.message?.contains("nearest is \(tree.prefix(of: node))") == true)
        }
        UpdateTests.keys(": \"sid 2-99\" Enter", into: &s)
        #expect(s.state.message?.contains("No item has prefix 2-99") == true)
        #expect(tree.prefix(of: s.state.tree.selectedNode!).hasPrefix("2-"))
        UpdateTests.keys(": \"sid x\" Enter", into: &s)
        #expect(s.state.message?.contains("expected a prefix") == true)
        UpdateTests.keys(": t r e e Enter", into: &s)
        #expect(s.state.stack == [.tree])
    }

    @Test func sSwitchesSpacesAndDropsStaleLoads() throws {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        _ = Explorer.update(&state, .key(.char("6")))
        let runner = Sources(data: Self.demo)
        _ = Explorer.update(&state, runner.perform(.loadCodeTree(space: nil)))
        #expect(state.tree.space == "aligned")
        #expect(Explorer.update(&state, .key(.char("s"))) == [.loadCodeTree(space: "content")])
        // The older answer for "aligned" arriving late changes nothing.
        _ = Explorer.update(&state, runner.perform(.loadCodeTree(space: "aligned")))
        #expect(state.tree.tree == nil && state.tree.isLoading)
        _ = Explorer.update(&state, runner.perform(.loadCodeTree(space: "content")))
        #expect(state.tree.tree?.space == "content" && state.tree.tree?.tree.levels == 2)
        #expect(Explorer.update(&state, .key(.char("s"))) == [.loadCodeTree(space: "aligned")])
    }

    @Test func keysAreListedInHelp() {
        let global = Explorer.commands.table.help(for: "users")
        #expect(global.contains { $0.keys == "6" && $0.name == "show-tree" })
        let tree = Explorer.commands.table.help(for: "tree").map(\.name)
        for name in ["expand", "collapse", "node-items", "next-space"] { #expect(tree.contains(name)) }
        #expect(Explorer.commands.table.help(for: "items").contains { $0.keys == "t" && $0.name == "show-in-tree" })
        #expect(Explorer.commands.table.help(for: "item-detail").contains { $0.keys == "t" && $0.name == "show-in-tree" })
        #expect(Explorer.commands.verbHelp.contains { $0[0].hasPrefix(":sid") })
    }

    @Test func clickSelectsATreeRow() throws {
        var s = UpdateTests.session(Self.demo)
        UpdateTests.keys("6", into: &s)
        let table = s.state.treeLayout.table
        let rows = s.state.tree.rows
        s.receive(.mouse(MouseEvent(.click, x: table.x + 2, y: table.y + 3)))
        #expect(s.state.tree.selectedNode == rows[2].node)
    }


    /// sidgen (small and seeded) and pop: `d` in the Tree pane decodes the selected user's next item level by level.
    static let generativeSource = InMemoryRecommendationSource(
        data: demo, models: [.sidgen, .pop],
        params: [.sidgen: ["dim": "16", "heads": "2", "layers": "1", "max_len": "6", "epochs": "6", "batch": "16", "lr": "0.01",
                           "levels": "2", "codes": "8", "beam": "6"]],
        clock: .fixed(42e-6))

    @Test func decodeRevealsTheBeamLevelByLevel() throws {
        for (width, height) in [(80, 24), (120, 40)] {
            let screens = play(try Key.parseScript("6 d n n N"), width: width, height: height, dataSource: Self.demo,
                               recommendations: Self.generativeSource)
            let first = screens[2], second = screens[3], items = screens[4], back = screens[5]
            #expect(first.contains("sidgen decodes the next item for user") && first.contains("level 1/"), "\(first)")
            #expect(first.contains("valid prefixes") && first.contains("trie blocked"), "\(first)")
            #expect(second.contains("level 2/"), "\(second)")
            // The second level's prefixes sit under their first-level parents: "a-b" lines follow an "a" line.
            #expect(second.split(separator: "\n").contains { $0.contains("  ") && $0.range(of: #"\b\d+-\d+\b"#, options: .regularExpression) != nil },
                    "\(second)")
            #expect(items.contains("Items the kept paths name") && items.contains("log p"), "\(items)")
            #expect(back.contains("level 2/") && !back.contains("Items the kept paths name"), "\(back)")
            assertSnapshot(first, named: "tree-decode-\(width)x\(height)")
            assertSnapshot(items, named: "tree-decode-items-\(width)x\(height)")
        }
    }

    @Test func decodeWithoutModelsSaysWhatItNeeds() throws {
        let screens = play(try Key.parseScript("6 d"), width: 80, height: 24, dataSource: Self.demo)
        #expect(screens.last!.contains("Decode needs models"), "\(screens.last!)")
    }
}
