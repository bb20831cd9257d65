import Foundation
import RecModels
import SnapshotSupport
import Testing
import RecWorkbench
import TUIKit
@testable import ExplorerApp

/// Pane 9 (What-if): items added by search and removed, every model's list following them, why, personas saved
/// and played in Simulate; screens from a real in-memory source with a fixed clock.
@Suite struct WhatIfTests {
    static let demo = PaneSnapshotTests.demo
    static let source = InMemoryRecommendationSource(
        data: demo, models: [.pop, .itemknn, .ease, .als], params: [.als: ["factors": "8", "iterations": "4"]], clock: .fixed(42e-6))

    static func session(width: Int = 120, height: Int = 40) -> ExplorerSession {
        ExplorerSession(dataSource: demo, recommendations: source, width: width, height: height, mode: .inline)
    }

    static func keys(_ names: String, into s: inout ExplorerSession) {
        for key in try! Key.parseScript(names) { s.receive(key) }
    }

    static let scenarios: [(name: String, script: String)] = [
        ("whatif-empty", "9"),
        ("whatif-items", "9 / \"Wild\" Enter / \"Frozen\" Enter / \"Parasite\" Enter"),
        ("whatif-recent", "9 / \"Wild\" Enter / \"Frozen\" Enter / \"Parasite\" Enter ["),
        ("whatif-why", "9 / \"Wild\" Enter / \"Frozen\" Enter Tab Tab w"),
        // User 49 has item 216, whose title holds escape sequences and a bidi override.
        ("whatif-hostile-user", "9 : \"user 49\" Enter u"),
        ("whatif-help", "9 ?"),
    ]

    @Test(arguments: scenarios.map(\.name))
    func whatIfSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo,
                                recommendations: Self.source, checkingLineCount: false)
    }

    @Test func addingAnItemRanksEveryModelForTheItems() throws {
        var s = Self.session()
        Self.keys("9", into: &s)
        #expect(s.state.shows(WhatIfFeature.self) && s.state.whatIf.result == nil)
        #expect([ModelKind.pop, .itemknn, .ease, .als].allSatisfy(s.state.models.isReady))
        Self.keys("/ \"Wild\" Enter / \"Frozen\" Enter", into: &s)
        let items = s.state.whatIf.items
        #expect(items.count == 2 && items[0].title.contains("Wild") && items[1].title.contains("Frozen"))
        let result = try #require(s.state.whatIf.result)
        #expect(result.request.items == items.map(\.id) && Set(result.lists.keys) == [.pop, .itemknn, .ease, .als])
        let direct = try Self.source.whatIf(items: items.map(\.id), recent: 0, k: WhatIfState.k, models: [.itemknn])
        #expect(result.lists[.itemknn] == direct[.itemknn])
        for list in result.lists.values {
            #expect(list.items.count == WhatIfState.k && !list.items.contains { items.map(\.id).contains($0.id) })
        }
        // Counting only the last item changes ItemKNN's list to that item's neighbours.
        Self.keys("[", into: &s)
        #expect(s.state.whatIf.recent == 1)
        #expect(s.state.whatIf.result?.lists[.itemknn] == (try Self.source.whatIf(items: items.map(\.id), recent: 1, k: 10, models: [.itemknn]))[.itemknn])
        Self.keys("]", into: &s)
        #expect(s.state.whatIf.recent == 0)
        Self.keys("d", into: &s)
        #expect(s.state.whatIf.items.map(\.id) == [items[0].id])
        #expect(s.state.whatIf.result?.request.items == [items[0].id])
        Self.keys("c", into: &s)
        #expect(s.state.whatIf.items.isEmpty)
    }

    @Test func startingFromAUserTakesTheirTrainingHistory() throws {
        var s = Self.session()
        Self.keys("9 u", into: &s)
        let history = try Self.source.trainingItems(user: "1")
        #expect(s.state.whatIf.items == history && s.state.whatIf.sourceUser == "1")
        // A what-if user with a user's own history gets that user's ItemKNN list (seen items left out both ways).
        let own = try Self.source.recommend(user: "1", model: .itemknn, k: 10, excludeSeen: true)
        let whatIf = try #require(s.state.whatIf.result?.lists[.itemknn])
        #expect(whatIf.items.map(\.id).prefix(5) == own.items.map(\.id).prefix(5))
    }

    @Test func whyExplainsTheFocusedColumnsItem() throws {
        var s = Self.session()
        Self.keys("9 / \"Wild\" Enter / \"Frozen\" Enter Tab Tab", into: &s)
        #expect(WhatIfFeature.focusedModel(s.state) == .itemknn)
        Self.keys("j w", into: &s)
        #expect(s.state.top == .whatIfWhy(.itemknn))
        let why = try #require(s.state.whatIf.why)
        #expect(why.model == .itemknn && why.list.user == nil && why.list.history.count == 2)
        let e = why.list.explanations[1]
        #expect(abs(e.reproducedScore! - e.score) < 1e-4)
        Self.keys("Esc", into: &s)
        #expect(s.state.top == .whatIf)
    }

    @Test func aSavedPersonaOpensAgainAndPlaysInSimulate() throws {
        let source = InMemoryRecommendationSource(data: Self.demo, models: [.pop, .itemknn], clock: .fixed(42e-6))
        var s = ExplorerSession(dataSource: Self.demo, recommendations: source, width: 120, height: 40, mode: .inline)
        Self.keys("9 / \"Wild\" Enter / \"Frozen\" Enter / \"Parasite\" Enter s \"fan\" Enter", into: &s)
        #expect(s.state.whatIf.persona == "fan")
        let stored = try #require(try source.personas().first)
        #expect(stored.name == "fan" && stored.items == s.state.whatIf.items.map(\.id))
        Self.keys("c o \"fan\" Enter", into: &s)
        #expect(s.state.whatIf.items.map(\.id) == stored.items && s.state.whatIf.persona == "fan")
        // Simulate plays it: `u @fan`.
        Self.keys("7 u \"@fan\" Enter n n", into: &s)
        let shown = try #require(s.state.simulate.snapshot)
        #expect(shown.key.user == "@fan" && shown.historyCount == 3 && shown.futureCount == 0 && shown.turns.count == 2)
        Self.keys("u \"@nobody\" Enter", into: &s)
        #expect(s.state.simulate.failure?.contains("no persona named nobody") == true)
    }

    @Test func personaNamesAreChecked() {
        var s = Self.session()
        Self.keys("9 s \"fan\" Enter", into: &s)
        #expect(s.state.message?.contains("Add items first") == true)
        Self.keys("/ \"Wild\" Enter s \"\" Enter", into: &s)
        #expect(s.state.message?.contains("needs a name") == true)
    }
}
