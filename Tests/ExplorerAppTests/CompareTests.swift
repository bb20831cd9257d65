import Foundation
import RecModels
import SnapshotSupport
import Testing
import RecWorkbench
import TUIKit
@testable import ExplorerApp

/// The Compare and Metrics panes: key handling in `update`, and screens from a real in-memory source
/// (models trained on the demo catalog's leave-one-out split) with a fixed retrieval clock.
@Suite struct CompareTests {
    static let demo = PaneSnapshotTests.demo
    /// Cheap models only; the clock answers 42 µs so screens do not depend on timing.
    static let source = InMemoryRecommendationSource(data: demo, models: [.pop, .itemknn, .ease], clock: .fixed(42e-6))

    static func session(width: Int = 80, height: Int = 24) -> ExplorerSession {
        ExplorerSession(dataSource: demo, recommendations: source, width: width, height: height, mode: .inline)
    }

    static func keys(_ names: String, into s: inout ExplorerSession) {
        for key in try! Key.parseScript(names) { s.receive(key) }
    }

    static func ready(_ names: [ModelKind]) -> AppState {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        state.models.kinds = names
        state.selection.modelA = names[0]
        state.selection.modelB = names[1]
        state.stack = [.compare]
        state.selection.user = "7"
        for name in names { state.models.status[name] = .ready(ModelInfo(model: name, origin: .stored, fitSeconds: 0)) }
        return state
    }

    static let scenarios: [(name: String, script: String)] = [
        ("compare", "4"),
        ("compare-next-user", "4 j j"),
        ("compare-models-k-seen", "4 a b + + x"),
        ("compare-command-user", "4 : \"user 42\" Enter"),
        ("compare-help", "4 ?"),
        // User 49 has item 216, whose title holds escape sequences and a bidi override.
        ("compare-hostile-title", "4 : \"user 49\" Enter x"),
        ("metrics", "5"),
        ("item-similar", "2 j Enter"),
        // Model A cycled to itemknn in Compare: the detail follows it.
        ("item-similar-itemknn", "4 a 2 j j Enter"),
    ]

    @Test(arguments: scenarios.map(\.name))
    func compareSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo,
                                recommendations: Self.source, checkingLineCount: false)
    }

    /// rank (A) and sid (B), small and seeded: each list shows its stages under the items.
    static let stagedSource = InMemoryRecommendationSource(
        data: demo, models: [.rank, .sid],
        params: [.sid: ["factors": "8", "iterations": "3", "codes": "16"],
                 .rank: ["candidates": "20", "sid.factors": "8", "sid.iterations": "3", "sid.codes": "16"]],
        clock: .fixed(42e-6))

    @Test func rankAndSidListsShowTheirStages() {
        for (width, height) in [(80, 24), (120, 40)] {
            let screens = play(try! Key.parseScript("4"), width: width, height: height, dataSource: Self.demo,
                               recommendations: Self.stagedSource)
            assertSnapshot(screens.last!, named: "compare-rank-sid-stages-\(width)x\(height)")
            #expect(screens.last!.contains("generate 42 µs"), "\(screens.last!)")
            #expect(screens.last!.contains("beam 32: kept"), "\(screens.last!)")
        }
    }

    /// sasrec (A, small and seeded) and pop (B): `w` explains the transformer's list.
    static let transformerSource = InMemoryRecommendationSource(
        data: demo, models: [.sasrec, .pop],
        params: [.sasrec: ["dim": "16", "heads": "2", "layers": "1", "max_len": "12", "epochs": "20", "batch": "16", "lr": "0.01"]],
        clock: .fixed(42e-6))

    @Test func whyShowsTheTransformersAttentionOverRecentItems() {
        for (width, height) in [(80, 24), (120, 40)] {
            let screens = play(try! Key.parseScript("4 w j p"), width: width, height: height, dataSource: Self.demo,
                               recommendations: Self.transformerSource)
            let list = screens[1], why = screens[2], second = screens[3], perHead = screens[4]
            #expect(height < 40 || list.contains("attends to (last block, 2 heads):"), "\(list)")
            #expect(why.contains("why sasrec (list A) recommends for user 1") && why.contains("Why #1 "), "\(why)")
            #expect(why.contains("attention over") && why.contains("weight") && why.contains(where: { "▏▎▍▌▋▊▉█".contains($0) }), "\(why)")
            #expect(second.contains("Why #2 ") && second.contains("rank 2"), "\(second)")
            #expect(perHead.contains("h1") && perHead.contains("h2"), "\(perHead)")
            assertSnapshot(why, named: "compare-why-\(width)x\(height)")
            assertSnapshot(perHead, named: "compare-why-per-head-\(width)x\(height)")
        }
    }

    /// Every model explains its list: `w` on pop shows its count and rank, on ease (A cycled twice) the history
    /// items' weights B[i, j] as bars that add up to the score, and `Tab` explains the other list.
    @Test func whyExplainsEveryModelsItemsAsBars() {
        for (width, height) in [(80, 24), (120, 40)] {
            let screens = play(try! Key.parseScript("4 w Esc a a w j Tab"), width: width, height: height, dataSource: Self.demo,
                               recommendations: Self.source)
            let pop = screens[2], ease = screens[6], second = screens[7], other = screens[8]
            #expect(pop.contains("why pop (list A)") && pop.contains("[training users]") && pop.contains("popularity:"), "\(pop)")
            #expect(ease.contains("why ease (list A)") && ease.contains("add up to") && ease.contains(where: { "▏▎▍▌▋▊▉█".contains($0) }), "\(ease)")
            #expect(second.contains("Why #2 "), "\(second)")
            #expect(other.contains("why itemknn (list B)") && other.contains("add up to"), "\(other)")
            assertSnapshot(ease, named: "compare-why-ease-\(width)x\(height)")
            assertSnapshot(pop, named: "compare-why-pop-\(width)x\(height)")
        }
    }

    @Test func tabExplainsTheOtherList() {
        var s = ExplorerSession(dataSource: Self.demo, recommendations: Self.transformerSource, width: 120, height: 40, mode: .inline)
        Self.keys("4 w Tab", into: &s)
        #expect(s.state.top == .compareWhy(.b))
        #expect(s.state.compare.why[.b]?.list.model == .pop)
        Self.keys("Tab", into: &s)
        #expect(s.state.top == .compareWhy(.a))
        Self.keys("Esc", into: &s)
        #expect(s.state.top == .compare)
    }

    @Test func tabKeysOpenCompareAndMetrics() {
        var s = Self.session()
        Self.keys("4", into: &s)
        #expect(s.state.stack == [.compare] && s.state.shows(CompareFeature.self))
        #expect(s.state.compare.lists[.a]?.request == CompareRequest(user: "1", model: .pop, k: 10, excludeSeen: true))
        #expect(s.state.compare.lists[.b]?.recommendations.items.count == 10)
        #expect(s.state.compare.profile?.user == "1")
        Self.keys("5", into: &s)
        #expect(s.state.shows(MetricsFeature.self))
        #expect(Set(s.state.metrics.byModel.keys) == [.pop, .itemknn, .ease])
        Self.keys(": \"compare\" Enter", into: &s)
        #expect(s.state.shows(CompareFeature.self))
    }

    @Test func listsFollowTheUserSelection() {
        var s = Self.session()
        Self.keys("4 j j", into: &s)
        #expect(s.state.selection.user == "3")
        #expect(s.state.compare.lists[.a]?.request.user == "3")
        #expect(s.state.compare.profile?.user == "3")
        Self.keys("k", into: &s)
        #expect(s.state.compare.lists[.b]?.request.user == "2")
    }

    @Test func clickingAUserComparesForIt() {
        var s = Self.session()
        Self.keys("4 Click:3,6", into: &s)  // screen row 6: the third user (below the tab bar, info line, border and header)
        #expect(s.state.selection.user == "3")
        #expect(s.state.compare.lists[.a]?.request.user == "3")
    }

    @Test func modelKeysCycleAndAskForTheModel() {
        var state = Self.ready([.pop, .itemknn, .als])
        state.models.status[.als] = nil
        var effects = Explorer.update(&state, .command(.cycleModelB))
        #expect(state.selection.modelB == .als)
        #expect(effects.contains(.prepareModel(.als)))
        #expect(state.models.status[.als] != nil)
        effects = Explorer.update(&state, .command(.cycleModelA))
        #expect(state.selection.modelA == .itemknn)
        #expect(effects.contains(.recommend(.a, CompareRequest(user: "7", model: .itemknn, k: 10, excludeSeen: true))))
        _ = Explorer.update(&state, .command(.cycleModelA))
        _ = Explorer.update(&state, .command(.cycleModelA))
        #expect(state.selection.modelA == .pop)
    }

    @Test func kStaysInItsRangeAndSeenToggles() {
        var state = Self.ready([.pop, .itemknn])
        var effects = Explorer.update(&state, .command(.moreItems))
        #expect(state.compare.k == 11)
        #expect(effects.contains(.recommend(.a, CompareRequest(user: "7", model: .pop, k: 11, excludeSeen: true))))
        state.compare.k = 1
        _ = Explorer.update(&state, .tick)  // the lists of K 1 are asked for; now K cannot go lower
        effects = Explorer.update(&state, .command(.fewerItems))
        #expect(state.compare.k == 1 && effects.isEmpty && state.message != nil)
        effects = Explorer.update(&state, .command(.toggleSeen))
        #expect(!state.compare.excludeSeen)
        #expect(effects.contains(.recommend(.b, CompareRequest(user: "7", model: .itemknn, k: 1, excludeSeen: false))))
    }

    @Test func keysReachCompareCommandsOnlyInCompare() {
        #expect(Explorer.commands.table.command(for: .char("a"), in: "compare") == .cycleModelA)
        #expect(Explorer.commands.table.command(for: .char("+"), in: "compare") == .moreItems)
        #expect(Explorer.commands.table.command(for: .char("x"), in: "compare") == .toggleSeen)
        #expect(Explorer.commands.table.command(for: .char("4"), in: "users") == .show(CompareFeature.self))
        #expect(Explorer.commands.table.command(for: .char("a"), in: "users") == nil)
    }

    @Test func staleListsAreIgnored() {
        var state = Self.ready([.pop, .itemknn])
        let old = CompareRequest(user: "6", model: .pop, k: 10, excludeSeen: true)
        _ = Explorer.update(&state, .recommended(.a, old, Recommendations(items: [], seconds: 0)))
        #expect(state.compare.lists[.a] == nil)
        let current = CompareRequest(user: "7", model: .pop, k: 10, excludeSeen: true)
        _ = Explorer.update(&state, .recommended(.a, current, Recommendations(items: [], seconds: 0)))
        #expect(state.compare.lists[.a]?.request == current)
    }

    @Test func progressAndFailureShowInTheStatus() {
        var state = Self.ready([.pop, .als])
        state.models.status[.als] = .preparing("queued")
        _ = Explorer.update(&state, .modelProgress(model: .als, "epoch 3/15"))
        #expect(state.models.status[.als] == .preparing("epoch 3/15"))
        _ = Explorer.update(&state, .modelFailed(model: .als, "no memory"))
        #expect(state.models.status[.als] == .failed("no memory"))
        #expect(state.message?.contains("no memory") == true)
    }

    @Test func skippedModelsAreAskedForAgainOnlyWhenStillWanted() {
        var state = Self.ready([.pop, .itemknn, .als, .bpr])
        state.models.status[.bpr] = .preparing("queued")
        #expect(Models.wanted(state) == [.pop, .itemknn])
        var effects = Explorer.update(&state, .modelSkipped(.bpr))
        #expect(state.models.status[.bpr] == nil && !effects.contains(.prepareModel(.bpr)))
        state.selection.modelB = .als
        state.models.status[.als] = .preparing("queued")
        effects = Explorer.update(&state, .modelSkipped(.als))
        #expect(effects.contains(.prepareModel(.als)))
    }

    @Test func withoutASourceComparesNothing() {
        let screens = play(try! Key.parseScript("4 a"), dataSource: Self.demo)
        #expect(screens.last!.contains("No models"))
    }

    @Test func inMemorySourceLeavesSeenItemsOut() throws {
        _ = try Self.source.prepare(model: .pop) { _ in }
        let profile = try Self.source.history(user: "9", recent: 1000)
        let list = try Self.source.recommend(user: "9", model: .pop, k: 15, excludeSeen: true)
        let seen = Set(profile.recent.map(\.id) + profile.heldOut.filter { $0.role == .valid }.map(\.id))
        #expect(list.items.count == 15)
        #expect(list.items.allSatisfy { !seen.contains($0.id) })
        #expect(list.seconds == 42e-6)
    }
}
