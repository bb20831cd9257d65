import GRDB
import Testing
@testable import RecCatalog

@Suite struct SimRunStoreTests {
    let turns = [
        StoredSimTurn(user: 0, turn: 1, slate: "[\"10\",\"11\"]", reactions: "cs", instruction: nil, trace: "turn 1: top 2 of als, no actions",
                      state: "{\"patience\":1.0}"),
        StoredSimTurn(user: 0, turn: 2, slate: "[\"12\",\"13\"]", reactions: "s.", instruction: "{\"intent\":\"newer\"}",
                      trace: "turn 2: top 2 of als, no actions", state: "{\"patience\":0.6}"),
        StoredSimTurn(user: 1, turn: 1, slate: "[\"10\",\"14\"]", reactions: "Ls", instruction: nil, trace: nil, state: nil),
    ]

    @Test func aRunAndItsTurnsRoundTrip() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        let id = try catalog.saveSimRun(model: "als", agent: true, users: 2, turns: 2, seed: UInt64.max - 1,
                                        params: ["model": "als", "knob.drain": "0.3"], summary: "{\"ctr\":0.5}", transcript: turns)
        let run = try #require(try catalog.loadSimRun(id: id))
        #expect(run.model == "als" && run.agent && run.users == 2 && run.turns == 2)
        #expect(run.seed == UInt64.max - 1)
        #expect(run.params == ["model": "als", "knob.drain": "0.3"])
        #expect(run.summary == "{\"ctr\":0.5}")
        #expect(try catalog.simTurns(run: id) == turns)
        #expect(try catalog.listSimRuns().map(\.id) == [id])
        #expect(try catalog.loadSimRun(id: id + 1) == nil)
    }

    @Test func aFailingTranscriptLeavesNoRunBehind() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        let repeated = turns + [turns[0]]  // (run, user, turn) must be unique
        #expect(throws: (any Error).self) {
            try catalog.saveSimRun(model: "als", agent: false, users: 2, turns: 2, seed: 1, params: [:], summary: nil, transcript: repeated)
        }
        #expect(try catalog.listSimRuns().isEmpty)
        let rows = try catalog.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sim_turns") }
        #expect(rows == 0)
    }
}
