import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// The Metrics pane's per-user A − B distribution.
@Suite struct MetricDifferenceTests {
    @Test func countsWinsTiesAndLossesAndTheMean() throws {
        let d = try #require(MetricDifference(a: [1, 0.5, 0, 0, 0.25], b: [0, 0.5, 1, 0, 0]))
        #expect(d.differences == [1, 0, -1, 0, 0.25])
        #expect((d.wins, d.ties, d.losses) == (2, 2, 1))
        #expect(abs(d.mean - 0.05) < 1e-12)
        #expect(d.bound == 1)
        // Five bins over −1…1: [−1, −0.6), …, [0.6, 1]; the two ties are left out.
        #expect(d.histogram(bins: 5) == [1, 0, 0, 1, 1])
        #expect(MetricDifference(a: [1], b: [1, 2]) == nil)
    }

    @Test func allTiesMakeAnEmptyHistogram() throws {
        let d = try #require(MetricDifference(a: [0.5, 0], b: [0.5, 0]))
        #expect(d.bound == 0 && d.ties == 2 && d.histogram(bins: 3) == [0, 0, 0])
    }

    /// The source keeps per-user values, aligned across models, whose mean is the shown value.
    @Test func sourceMetricsKeepPerUserValues() throws {
        let source = CompareTests.source
        for model in [ModelKind.pop, .itemknn] { _ = try source.prepare(model: model) { _ in } }
        let a = try source.metrics(model: .pop, k: 10), b = try source.metrics(model: .itemknn, k: 10)
        let perA = try #require(a.perUser["ndcg@10"]), perB = try #require(b.perUser["ndcg@10"])
        #expect(perA.count == perB.count && !perA.isEmpty)
        #expect(abs(perA.reduce(0, +) / Double(perA.count) - a.values["ndcg@10"]!) < 1e-9)
        let d = try #require(MetricDifference(a: perA, b: perB))
        #expect(abs(d.mean - (a.values["ndcg@10"]! - b.values["ndcg@10"]!)) < 1e-9)
    }

    /// The distribution follows Compare's A and B, and waits until both are evaluated.
    @Test func paneFollowsModelsAAndB() {
        var state = CompareTests.ready([.pop, .itemknn, .ease])
        state.stack = [.metrics]
        func screen() -> String {
            var canvas = Canvas(width: 80, height: 24)
            Explorer.render(state, on: &canvas)
            return canvas.text
        }
        #expect(screen().contains("waiting for pop and itemknn"))
        _ = Explorer.update(&state, .metricsComputed(ModelMetrics(model: .pop, values: ["ndcg@10": 0.5], perUser: ["ndcg@10": [1, 0]])))
        _ = Explorer.update(&state, .metricsComputed(ModelMetrics(model: .itemknn, values: ["ndcg@10": 0.5], perUser: ["ndcg@10": [0, 1]])))
        #expect(state.metrics.byModel[.pop]?.perUser["ndcg@10"] == [1, 0])
        let text = screen()
        #expect(text.contains("A pop − B itemknn (2 users)"))
        #expect(text.contains("A wins") && text.contains("1 (50%)"))
        state.stack = [.compare]
        _ = Explorer.update(&state, .key(Key(name: "b")!))
        #expect(state.selection.modelB == .ease)
        state.stack = [.metrics]
        #expect(screen().contains("waiting for pop and ease"))
    }
}
