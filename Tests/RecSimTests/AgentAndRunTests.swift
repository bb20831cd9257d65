import RecCore
import Testing
@testable import RecSim

@Suite struct AgentAndRunTests {
    let catalog = SimFixture.catalog

    func agent(listens: Bool) -> AgentRecommender {
        AgentRecommender(model: SimFixture.model, catalog: catalog, listens: listens)
    }

    func topicShare(_ slate: [Int32], _ topic: Int32) -> Int {
        slate.filter { catalog.itemTopics[Int($0)].contains(topic) }.count
    }

    @Test func theAgentFollowsAnInstructionAndTheBaselineIgnoresIt() {
        let p = SimFixture.profile(0)  // a Drama lover: the model fills slates with Drama
        for listens in [true, false] {
            let a = agent(listens: listens)
            var told = a.start(user: p.user, history: p.history)
            var plain = told
            a.listen("Less Drama, please.", memory: &told)
            let after = a.nextSlate(memory: &told), before = a.nextSlate(memory: &plain)
            if listens {
                #expect(topicShare(after, 0) < topicShare(before, 0))
                #expect(told.trace.contains("heard") && told.trace.contains("Drama"))
            } else {
                #expect(after == before)
                #expect(told.trace.contains("ignored"))
            }
        }
    }

    @Test func slatesNeverRepeatItemsOrShowTheHistory() {
        let p = SimFixture.profile(5)
        let a = agent(listens: true)
        var m = a.start(user: p.user, history: p.history)
        var seen = Set(p.history)
        for _ in 0..<5 {
            let slate = a.nextSlate(memory: &m)
            #expect(slate.count == 10)
            for i in slate { #expect(seen.insert(i).inserted) }
        }
    }

    @Test func actionsExpireAfterTheirHold() {
        let p = SimFixture.profile(0)
        let a = agent(listens: true)
        var m = a.start(user: p.user, history: p.history)
        a.listen("surprise me", memory: &m)
        for _ in 0..<a.holdTurns { _ = a.nextSlate(memory: &m) }
        #expect(m.actions.isEmpty)
        _ = a.nextSlate(memory: &m)
        #expect(m.trace.contains("no actions"))
    }

    @Test func sameSeedSameTranscriptForAnyThreadCountAndDifferentSeedsDiffer() {
        let profiles = PopulationRun.sample(SimFixture.profiles, count: 24, seed: 1)
        let config = SimulationConfig(turns: 12, seed: 7, agent: true)
        let a = PopulationRun(profiles: profiles, agent: agent(listens: true), config: config, threads: 1)
        let b = PopulationRun(profiles: profiles, agent: agent(listens: true), config: config, threads: 3)
        let lines = { (r: PopulationRun) in r.transcript(catalog: catalog).map { $0.jsonLine(run: 1) }.joined(separator: "\n") }
        #expect(lines(a) == lines(b))
        var other = config
        other.seed = 8
        let c = PopulationRun(profiles: profiles, agent: agent(listens: true), config: other, threads: 1)
        #expect(lines(a) != lines(c))
        #expect(a.summary.instructions > 0)
    }

    @Test func aSessionStepsRestartsAndTakesATypedInstruction() throws {
        let config = SimulationConfig(turns: 6, seed: 3, agent: true)
        var s = PopulationRun.session(SimFixture.profile(1), index: 0, agent: agent(listens: true), config: config)
        let stepped = s.step()
        let first = try #require(stepped)
        #expect(first.turn == 1 && first.slate.count == 10 && first.reactions.count == 10)
        s.inject("more sci-fi")
        let steppedAgain = s.step()
        let second = try #require(steppedAgain)
        #expect(second.typed == "more sci-fi")
        #expect(second.trace.contains("heard \"more sci-fi\""))
        #expect(topicShare(second.slate, 2) > topicShare(first.slate, 2))
        s.restart()
        #expect(s.records.isEmpty)
        #expect(s.step() == first)
    }

    @Test func summaryCountsMatchTheSessions() {
        let profiles = PopulationRun.sample(SimFixture.profiles, count: 20, seed: 2)
        let run = PopulationRun(profiles: profiles, agent: agent(listens: false), config: SimulationConfig(turns: 10, seed: 1, agent: false))
        let s = run.summary
        #expect(s.retention.first == 1)
        #expect(s.retention == s.retention.sorted(by: >))
        #expect(s.meanSessionLength == Double(run.sessions.map(\.count).reduce(0, +)) / 20)
        #expect(s.clicks == run.sessions.joined().map(\.clicks).reduce(0, +))
        #expect(s.instructionShare < 0.5)
        #expect(s.coverage > 0 && s.coverage <= 1)
    }
}
