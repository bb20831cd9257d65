import Foundation
import RecCore
import RecSim
import SnapshotSupport
import Synchronization
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// Pane 7 (Simulate): key routing in `update`, the stepped session against a real in-memory source
/// (Compare's model A, pop, on the demo catalog's leave-one-out split), the population run, and screens.
@Suite struct SimulateTests {
    static let demo = PaneSnapshotTests.demo
    static let source = CompareTests.source

    static func session(width: Int = 80, height: Int = 24, now: @escaping @Sendable () -> Double = { 0 }) -> ExplorerSession {
        ExplorerSession(dataSource: demo, recommendations: source, width: width, height: height, mode: .inline, now: now)
    }

    static func keys(_ names: String, into s: inout ExplorerSession) {
        for key in try! Key.parseScript(names) { s.receive(key) }
    }

    static let scenarios: [(name: String, script: String)] = [
        ("simulate", "7"),
        ("simulate-steps", "7 n n n"),
        ("simulate-instruction", "7 n n i \"less drama\" Enter n"),
        ("simulate-instruction-typing", "7 n i \"more like\""),
        ("simulate-baseline", "7 g n n i \"less drama\" Enter n"),
        ("simulate-population", "7 n P"),
        ("simulate-feedback", "7 p n n n"),
        ("simulate-help", "7 ?"),
        ("simulate-persona", ": \"simulate 42\" Enter n"),
    ]

    @Test(arguments: scenarios.map(\.name))
    func simulateSnapshot(name: String) {
        assertScenarioSnapshots(name, script: Self.scenarios.first { $0.name == name }!.script, dataSource: Self.demo,
                                recommendations: Self.source)
    }

    @Test func keyOpensThePaneAndTheSessionStartsAtTurnZero() {
        var s = Self.session()
        Self.keys("7", into: &s)
        #expect(s.state.stack == [.simulate] && s.state.shows(SimulateFeature.self))
        let shown = s.state.simulate.snapshot
        #expect(shown?.key == SimulationKey(user: "1", model: .pop, agent: true))
        #expect(shown?.turns.isEmpty == true && shown?.finished == false)
        #expect(Explorer.commands.table.command(for: .char("7"), in: "users") == .show(SimulateFeature.self))
        #expect(Explorer.commands.table.command(for: .char("n"), in: "simulate") == .simStep)
        #expect(Explorer.commands.table.command(for: .char("n"), in: "users") == nil)
        #expect(Explorer.commands.table.help(for: "simulate").contains { $0.name == "sim-instruct" })
        #expect(Explorer.commands.table.help(for: "users").contains { $0.name == "show-simulate" })
    }

    @Test func nStepsAndRestartReplaysTheSameTurns() throws {
        var s = Self.session()
        Self.keys("7 n", into: &s)
        let first = try #require(s.state.simulate.snapshot?.turns.first)
        #expect(s.state.simulate.snapshot?.turns.count == 1)
        #expect(first.slate.count == 10)
        Self.keys("n n", into: &s)
        #expect(s.state.simulate.snapshot?.turns.map(\.turn) == [1, 2, 3])
        Self.keys("r", into: &s)
        #expect(s.state.simulate.snapshot?.turns.isEmpty == true)
        Self.keys("n", into: &s)
        #expect(s.state.simulate.snapshot?.turns.first == first)
    }

    @Test func aTypedInstructionReachesTheAgentAndShowsInTheTrace() throws {
        var s = Self.session()
        Self.keys("7 n i \"less drama\"", into: &s)
        #expect(s.state.prompt == .text(purpose: .instruction, "less drama"))
        Self.keys("Enter", into: &s)
        #expect(s.state.prompt == nil)
        #expect(s.state.simulate.snapshot?.waiting == "less drama")
        Self.keys("n", into: &s)
        let turn = try #require(s.state.simulate.snapshot?.turns.last)
        #expect(turn.turn == 2 && turn.typed == "less drama")
        #expect(turn.trace.contains("heard \"less drama\""), "\(turn.trace)")
        #expect(turn.trace.contains("down-weight Drama"), "\(turn.trace)")
        // The same instruction read by the baseline leaves the slate as the model ranks it.
        var baseline = Self.session()
        Self.keys("7 g n i \"less drama\" Enter n", into: &baseline)
        let ignored = try #require(baseline.state.simulate.snapshot?.turns.last)
        func drama(_ t: TurnView) -> Int { t.slate.filter { $0.topics.split(separator: " ").contains("Drama") }.count }
        #expect(drama(turn) < drama(ignored), "agent \(drama(turn)) Drama items, baseline \(drama(ignored))")
        #expect(s.state.simulate.snapshot?.waiting == nil)
        // Esc cancels a prompt without telling the agent anything.
        Self.keys("i x Esc n", into: &s)
        #expect(s.state.simulate.snapshot?.turns.last?.typed == nil)
    }

    @Test func theBaselineIgnoresTypedInstructions() throws {
        var s = Self.session()
        Self.keys("7 g", into: &s)
        #expect(s.state.simulate.snapshot?.key.agent == false)
        Self.keys("n i \"less drama\" Enter n", into: &s)
        let turn = try #require(s.state.simulate.snapshot?.turns.last)
        #expect(turn.trace.contains("ignored \"less drama\" (baseline)"), "\(turn.trace)")
        Self.keys("g", into: &s)
        #expect(s.state.simulate.snapshot?.key.agent == true && s.state.simulate.snapshot?.turns.isEmpty == true)
        Self.keys("m", into: &s)  // the base model follows Compare's model A
        #expect(s.state.selection.modelA == .itemknn && s.state.simulate.snapshot?.key.model == .itemknn)
    }

    @Test func pCyclesThePolicyRestartsAndShowsTheBelief() throws {
        var s = Self.session()
        Self.keys("7 n", into: &s)
        #expect(s.state.simulate.snapshot?.key.policy == .static && s.state.simulate.snapshot?.belief == nil)
        Self.keys("p", into: &s)
        let shown = try #require(s.state.simulate.snapshot)
        #expect(shown.key.policy == .feedback && shown.turns.isEmpty)
        #expect(s.state.message?.contains("Policy feedback") == true)
        Self.keys("n n", into: &s)
        let belief = try #require(s.state.simulate.snapshot?.belief)
        #expect(belief.responses == 20 && !belief.topics.isEmpty)
        #expect(belief.topics.map(\.value) == belief.topics.map(\.value).sorted(by: >))
        #expect(s.state.simulate.snapshot?.turns.last?.trace.contains("feedback over pop") == true)
        Self.keys("p p p", into: &s)
        #expect(s.state.simulate.snapshot?.key.policy == .static)
        #expect(Explorer.commands.table.command(for: .char("p"), in: "simulate") == .simPolicy)
        #expect(Explorer.commands.table.command(for: .char("u"), in: "simulate") == .simPersona)
    }

    @Test func personaFollowsBrowseOrIsPicked() {
        var s = Self.session()
        Self.keys("7 j", into: &s)
        #expect(s.state.simulate.snapshot?.key.user == "2")
        Self.keys("u \"42\" Enter", into: &s)
        #expect(s.state.simulate.snapshot?.key.user == "42")
        Self.keys(": \"simulate 17\" Enter", into: &s)
        #expect(s.state.shows(SimulateFeature.self) && s.state.simulate.snapshot?.key.user == "17")
        Self.keys("u Enter", into: &s)
        #expect(s.state.simulate.pickedUser == nil && s.state.simulate.snapshot?.key.user == "2")
        Self.keys("u \"nobody\" Enter", into: &s)
        #expect(s.state.simulate.failure?.contains("no training history") == true)
    }

    @Test func autoplayStepsOnTheLoopClockOnlyWhileOn() {
        let clock = Mutex(0.0)
        var s = Self.session(now: { clock.withLock { $0 } })
        Self.keys("7", into: &s)
        #expect(s.pollBackground() == false)
        #expect(s.state.simulate.snapshot?.turns.count == 0)
        Self.keys("a", into: &s)  // turns autoplay on and steps at once
        #expect(s.state.simulate.autoplay && s.state.simulate.snapshot?.turns.count == 1)
        #expect(s.pollBackground() == true)  // the first tick is due at once
        #expect(s.state.simulate.snapshot?.turns.count == 2)
        clock.withLock { $0 = 0.3 }
        _ = s.pollBackground()
        #expect(s.state.simulate.snapshot?.turns.count == 2)
        clock.withLock { $0 = 0.6 }
        _ = s.pollBackground()
        #expect(s.state.simulate.snapshot?.turns.count == 3)
        Self.keys("a", into: &s)
        clock.withLock { $0 = 5 }
        #expect(s.pollBackground() == false)
        #expect(s.state.simulate.snapshot?.turns.count == 3)
    }

    @Test func autoplayStopsWhenTheSessionEnds() {
        var s = Self.session()
        Self.keys("7 a", into: &s)
        for _ in 0..<40 where s.state.simulate.autoplay { s.dispatch(.tick) }
        #expect(!s.state.simulate.autoplay)
        #expect(s.state.simulate.snapshot?.finished == true)
        let turns = s.state.simulate.snapshot?.turns.count
        Self.keys("n", into: &s)
        #expect(s.state.simulate.snapshot?.turns.count == turns)
        #expect(s.state.message?.contains("r restarts") == true)
    }

    @Test func populationMatchesTheLibrarysRunOnTheSameUsersAndSeeds() throws {
        var s = Self.session()
        Self.keys("7 P", into: &s)
        guard case .finished(let result)? = s.state.simulate.population else {
            Issue.record("no population result: \(String(describing: s.state.simulate.population))")
            return
        }
        let configurations = SimulationDriver.configurations(agent: true)
        #expect(result.lines.count == configurations.count)
        #expect(result.baseline.retention.count == 20 && result.baseline.retention[0] == 1)
        let inputs = try Self.source.simulationInputs()
        let model = try Self.source.models.trained(.pop)
        let sample = PopulationRun.sample(inputs.profiles, count: SimulateState.populationUsers, seed: 1)
        // The learning policies start from the prior the workbench fits once for the request.
        let request = SimulationRequest(model: .pop, users: SimulateState.populationUsers, turns: 20, seed: 1, agent: true,
                                        split: Self.source.models.splitName, policy: .feedback)
        let prior = try Self.source.models.beliefPrior(request)
        #expect(prior.shared != nil)
        for (run, line) in zip(configurations, result.lines) {
            #expect(line.policy == run.policy && line.listens == run.listens)
            guard run.policy == .static || run.policy == .feedback else { continue }
            var agent = AgentRecommender(model: model, catalog: inputs.catalog, listens: run.listens, policy: run.policy)
            if run.policy.learns { agent.prior = prior }
            let config = SimulationConfig(turns: 20, seed: 1, agent: run.listens, policy: run.policy)
            let played = PopulationRun(profiles: sample, agent: agent, config: config, threads: 1)
            #expect(played.summary.retention == line.retention)
            #expect(played.summary.meanSessionLength == line.meanSessionLength)
        }
        #expect(Set(result.lines.map(\.retention)).count > 1)
    }

    @Test func stalePopulationProgressAndSessionsAreIgnored() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        state.models.kinds = [.pop]
        state.selection.modelA = .pop
        state.stack = [.simulate]
        state.selection.user = "7"
        let other = SimulationKey(user: "8", model: .pop, agent: true)
        let snapshot = SimulationSnapshot(key: other, traits: "", historyCount: 0, futureCount: 0, turns: [],
                                          mindset: MindsetView(interests: [], satiation: [], fatigue: 0, patience: 1, startPatience: 1, poorTurns: 0),
                                          finished: false, waiting: nil)
        _ = Explorer.update(&state, .simulationShown(.open, snapshot))
        #expect(state.simulate.snapshot == nil)
        let key = PopulationKey(model: .pop, users: 5, turns: 3, seed: 1)
        _ = Explorer.update(&state, .populationProgress(key, done: 1, total: 10))
        #expect(state.simulate.population == nil)
        _ = Explorer.update(&state, .tick)
        #expect(state.simulate.snapshot == nil)
    }

    @Test func typedStepsQueueBehindWorkInFlightButAutoplayWaits() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        state.models.kinds = [.pop]
        state.selection.modelA = .pop
        state.models.status[.pop] = .ready(ModelInfo(model: .pop, origin: .stored, fitSeconds: 0))
        state.stack = [.simulate]
        state.selection.user = "7"
        let key = SimulationKey(user: "7", model: .pop, agent: true)
        state.simulate.snapshot = SimulationSnapshot(
            key: key, traits: "", historyCount: 1, futureCount: 1, turns: [],
            mindset: MindsetView(interests: [], satiation: [], fatigue: 0, patience: 1, startPatience: 1, poorTurns: 0),
            finished: false, waiting: nil)
        state.simulate.inFlight = 1
        #expect(Explorer.perform(.simStep, &state) == [.simulate(.step, key)])
        #expect(state.simulate.inFlight == 2)
        state.simulate.autoplay = true
        #expect(Explorer.update(&state, .tick).isEmpty)
        _ = Explorer.update(&state, .simulationShown(.step, state.simulate.snapshot!))
        _ = Explorer.update(&state, .simulationShown(.step, state.simulate.snapshot!))
        #expect(state.simulate.inFlight == 0)
        #expect(Explorer.update(&state, .tick) == [.simulate(.step, key)])
    }

    @Test func hostileTitlesAndCategoriesNeverReachTheCanvasRaw() throws {
        let evil = "\u{1B}[2J\u{1B}]52;c;cHduZWQ=\u{07}\u{202E}"
        let base = InMemoryDataSource.demo(users: 40, items: 60)
        let items = base.allItems.map {
            InMemoryDataSource.Item(id: $0.id, title: "Evil \($0.id) \(evil)", year: $0.year,
                                    categories: $0.categories.map { $0 + evil })
        }
        let hostile = InMemoryDataSource(name: "hostile", items: items, interactions: base.allInteractions)
        let source = InMemoryRecommendationSource(data: hostile, models: [.pop], clock: .fixed(0))
        let screens = play(try Key.parseScript("7 n i \"less drama\" Enter n n P"), width: 120, height: 40,
                           dataSource: hostile, recommendations: source)
        #expect(screens.last!.contains("Evil"))
        for screen in screens {
            #expect(!screen.unicodeScalars.contains (where: isUnsafeOnScreen), "\(screen)")
        }
        var s = ExplorerSession(dataSource: hostile, recommendations: source, width: 120, height: 40, mode: .inline)
        Self.keys("7 n n", into: &s)
        let turns = try #require(s.state.simulate.snapshot?.turns)
        let texts = turns.flatMap { t in t.slate.flatMap { [$0.title, $0.topics] } + [t.trace] + [t.said, t.cause].compactMap { $0 } }
        #expect(!texts.isEmpty)
        #expect(texts.allSatisfy { !$0.unicodeScalars.contains (where: isUnsafeOnScreen) })
    }

    @Test func withoutASourceSimulatesNothing() {
        let screens = play(try! Key.parseScript("7 n P"), dataSource: Self.demo)
        #expect(screens.last!.contains("No models"))
    }
}
