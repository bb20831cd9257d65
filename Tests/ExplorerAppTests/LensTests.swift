import Foundation
import RecEval
import RecModels
import SnapshotSupport
import Testing
import RecWorkbench
import TUIKit
@testable import ExplorerApp

/// The Lens pane: screens from the demo catalog's cheap models (pop, itemknn, ease), keys in `update`, and the
/// drill from a segment into Compare.
@Suite struct LensTests {
    static let demo = PaneSnapshotTests.demo
    static let source = CompareTests.source

    static let scenarios: [(name: String, script: String)] = [
        ("lens", "8"),
        ("lens-jain-popularity", "8 f s j"),
        ("lens-hubs", "8 Tab j"),
        ("lens-segment-in-compare", "8 j Tab Tab j Enter"),
    ]

    @Test(arguments: scenarios.map(\.name))
    func lensSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo,
                                recommendations: Self.source, checkingLineCount: false)
    }

    @Test func theSnapshotIsWhatEvaluateLensComputes() throws {
        for model in [ModelKind.pop, .ease] { _ = try Self.source.prepare(model: model, progress: { _ in }) }
        let snapshot = try Self.source.lens(models: [.pop, .ease], k: 10)
        #expect(snapshot.models.map(\.model) == [.pop, .ease])
        #expect(!snapshot.frontier.isEmpty && snapshot.frontier[0].ndcg == 1)
        for m in snapshot.models {
            #expect(m.lorenz.first == 0 && abs(m.lorenz.last! - 1) < 1e-12)
            #expect(m.kOccurrence.reduce(0, +) == snapshot.items)
            #expect(m.values["dpfr_gini@10"] != nil && m.values["puf_ndcg@10"] != nil)
        }
        let metrics = try Self.source.metrics(model: .ease, k: 10)
        #expect(snapshot.models[1].values["ndcg@10"] == metrics.values["ndcg@10"])
        for axis in SegmentAxis.allCases {
            let segments = snapshot.segments[axis] ?? []
            #expect(segments.count >= 3)
            if axis != .popularity { #expect(segments.map(\.users.count).reduce(0, +) == snapshot.users) }
        }
    }

    @Test func enterOnASegmentNarrowsCompareToItsUsers() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        state.models.kinds = [.pop, .ease]
        state.stack = [.lens]
        let segment = LensSnapshot.Segment(name: "cold", users: ["3", "9"], values: [:])
        state.lens.snapshot = LensSnapshot(k: 10, users: 2, items: 5, models: [
            .init(model: .pop, values: [:], lorenz: [], kOccurrence: [], hubs: [], hubCount: 0, antiHubCount: 0),
            .init(model: .ease, values: [:], lorenz: [], kOccurrence: [], hubs: [.init(id: "i4", title: "Four", count: 9)],
                  hubCount: 1, antiHubCount: 0)],
            frontier: [], references: [:], segments: [.activity: [segment]], seconds: 0)
        _ = Explorer.update(&state, .command(.moveDown))           // model 2: ease
        _ = Explorer.update(&state, .command(.nextLensPart))       // hubs
        _ = Explorer.update(&state, .command(.drillDown))
        #expect(state.stack == [.items, .itemDetail(item: "i4")])
        state.stack = [.lens]
        _ = Explorer.update(&state, .command(.nextLensPart))       // segments
        _ = Explorer.update(&state, .command(.drillDown))
        #expect(state.stack == [.compare])
        #expect(state.selection.user == "3" && state.selection.modelA == .ease)
        _ = Explorer.update(&state, .command(.nextUser))
        #expect(state.selection.user == "9")
        _ = Explorer.update(&state, .command(.nextUser))
        #expect(state.selection.user == "9")
        _ = Explorer.update(&state, .command(.leaveSegment))
        #expect(state.selection.userFilter == nil)
    }
}
