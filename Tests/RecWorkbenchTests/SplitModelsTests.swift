import Foundation
import Testing
import RecCatalog
import RecCore
import RecModels
import RecSim
@testable import RecWorkbench

/// The explorer's models of a split: prepared once, asked per user, simulated as `recscope simulate` does.
@Suite struct SplitModelsTests {
    @Test func preparesOnceAndRecommendsWithoutSeenItems() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let models = SplitModels(clock: .fixed(0.5)) { try ModelWorkbench(catalog: catalog) }
        let lines = UncheckedSendable(Box())
        let info = try models.prepare(.itemknn) { line in lines.value.lines.append(line) }
        #expect(info.origin == .trained && info.fitSeconds == 0.5)
        #expect(lines.value.lines.first == "loading or training itemknn on loo…")
        #expect(try models.prepare(.itemknn) { _ in } == info)
        let d = try models.data()
        let user = d.bench.log.userIDs[3]
        let list = try models.recommend(user: user, model: .itemknn, k: 10, excludeSeen: true)
        let seen = Set(d.view.seen(3).sortedItems.map { d.bench.log.itemIDs[Int($0)] })
        #expect(list.items.count == 10 && list.items.allSatisfy { !seen.contains($0.id) })
        #expect(list.seconds == 0.5 && list.stages == nil)
        #expect(throws: WorkbenchError.self) { try models.recommend(user: user, model: .als, k: 10, excludeSeen: true) }
        let history = try models.history(user: user, recent: 3)
        #expect(history.trainCount == d.view.history[3].count && history.recent.count == min(3, history.trainCount))
        #expect(history.test.count == 1)
    }

    @Test func stagesAreDataThePresenterTurnsIntoLines() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let models = SplitModels(params: [.sid: ["factors": "8", "iterations": "3", "codes": "8"]], clock: .fixed(42e-6)) {
            try ModelWorkbench(catalog: catalog)
        }
        _ = try models.prepare(.sid) { _ in }
        let user = try models.data().bench.log.userIDs[0]
        let list = try models.recommend(user: user, model: .sid, k: 5, excludeSeen: true)
        guard case .beam(let trace)? = list.stages else {
            Issue.record("sid gave no beam: \(String(describing: list.stages))")
            return
        }
        #expect(trace.items.map(\.score) == list.items.map(\.score))
        let lines = StagePresenter.summary(.beam(trace))
        #expect(lines.count == 2 && lines[0].hasPrefix("beam \(trace.beam): kept "))
        let full = StagePresenter.trace(.beam(trace), user: user, seconds: 0.001, pruned: 1, itemID: { "i\($0)" }, title: { _ in "t" })
        #expect(full[0].hasPrefix("sid beam for user \(user): beam \(trace.beam)"))
        #expect(full.filter { $0.hasPrefix("level ") }.count == trace.levels.count)
        #expect(full.suffix(trace.items.count + 1).first == "rank  item      score       title")
    }

    @Test func aPopulationRunIsTheWorkbenchsRun() throws {
        let (catalog, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let models = SplitModels { try ModelWorkbench(catalog: catalog) }
        _ = try models.prepare(.pop) { _ in }
        let request = SimulationRequest(model: .pop, users: 30, turns: 5, seed: 9, agent: true)
        var reports: [Int] = []
        let run = try models.simulate(request, usersPerReport: 10) { reports.append($0) }
        #expect(reports == [10, 20, 30])
        let bench = try ModelWorkbench(catalog: catalog)
        let direct = try bench.simulate(request, threads: 1)
        #expect(run.transcript.map { $0.jsonLine(run: 1) } == direct.transcript.map { $0.jsonLine(run: 1) })
    }
}

final class Box: @unchecked Sendable { var lines: [String] = [] }

extension ModelInfo: CustomTestStringConvertible {
    public var testDescription: String { "\(model.rawValue) \(origin.rawValue) \(fitSeconds)" }
}
