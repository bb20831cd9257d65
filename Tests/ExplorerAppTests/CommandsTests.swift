import Foundation
import Testing
import ExplorerTestSupport
import RecCatalog
import RecCore
import RecModels
import RecWorkbench
import TUIKit
@testable import ExplorerApp

/// Help, hints, verbs and scripts come from the one command registry.
@Suite struct CommandsTests {
    @Test func everyHintNamesABoundKey() {
        #expect(Explorer.commands.staleHints() == [])
        #expect(Explorer.commands.hintLine("users") == "j/k move · Enter sessions · s sort · / search · : command · ? help · q quit")
    }

    @Test func eachCommandHasOneNameAndEveryTabItsNumber() {
        let bindings = Explorer.commands.table.bindings
        for b in bindings { #expect(b.name == b.command.rawValue) }
        for (n, tab) in Explorer.tabs.enumerated() {
            #expect(Explorer.commands.table.command(for: .char(Character(String(n + 1))), in: "users") == .show(tab))
        }
        #expect(Explorer.commands.verbHelp.contains { $0[0] == ":TAB" && $0[2].contains(Explorer.tabs.map { $0.title.lowercased() }.joined(separator: "|")) })
    }

    @Test func compareHelpListsEveryModelKind() {
        let help = Explorer.commands.table.help(for: "compare").first { $0.name == "cycle-model-a" }?.help ?? ""
        for kind in ModelKind.allCases { #expect(help.contains(kind.rawValue)) }
    }

    @Test func scriptsMayNameCommands() throws {
        let steps = try Explorer.parseScript("j show-items sort-items # the items by title next")
        #expect(steps.count == 3)
        let screens = play(steps, width: 80, height: 24, dataSource: InMemoryDataSource.demo())
        #expect(screens.last!.contains("by title"))
        #expect(throws: KeyScriptError.self) { try Explorer.parseScript("j no-such-command") }
    }

    /// The Catalog pane shows the quantiles `recscope stats` prints for the same catalog.
    @Test func theCatalogPaneShowsTheQuantilesOfStats() throws {
        let (catalog, folder) = try CatalogDataSourceTests.sampleCatalog()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stats = try catalog.stats()
        let screen = play([.char("3")], width: 120, height: 40, dataSource: CatalogDataSource(catalog: catalog)).last!
        for (label, d) in [("per user", stats.interactionsPerUser), ("per item", stats.interactionsPerItem)] {
            let row = try #require(screen.split(separator: "\n").first { $0.contains(label) })
            let cells = row.split(separator: "│")[1].split(separator: " ").dropFirst(2).map(String.init)
            #expect(cells == d.quantiles.map { formatCompact($0.value) }, "\(row)")
        }
    }
}
