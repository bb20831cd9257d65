import Foundation
import GRDB

/// A stored simulation run: its configuration (enough to replay it) and its summary, as JSON text.
public struct StoredSimRun: Sendable, Equatable {
    public let id: Int64
    public let model: String
    public let agent: Bool
    public let users: Int
    public let turns: Int
    public let seed: UInt64
    /// Every parameter needed to replay the run (strings, as the command line spells them).
    public let params: [String: String]
    public let summary: String?
    public let createdAt: String
}

/// One row of `sim_turns`, columns as JSON text.
public struct StoredSimTurn: Sendable, Equatable {
    public let user: Int
    public let turn: Int
    public let slate: String
    public let reactions: String
    public let instruction: String?
    public let trace: String?
    public let state: String?

    public init(user: Int, turn: Int, slate: String, reactions: String, instruction: String?, trace: String?, state: String?) {
        self.user = user
        self.turn = turn
        self.slate = slate
        self.reactions = reactions
        self.instruction = instruction
        self.trace = trace
        self.state = state
    }
}

extension Catalog {
    /// Saves a run and all its turns in one transaction (all or nothing); returns the run's id.
    public func saveSimRun(model: String, agent: Bool, users: Int, turns: Int, seed: UInt64,
                           params: [String: String], summary: String?, transcript: [StoredSimTurn]) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO sim_runs(model, agent, users, turns, seed, params, summary, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                """, arguments: [model, agent ? 1 : 0, users, turns, Int64(bitPattern: seed), try _jsonObject(params), summary])
            let run = db.lastInsertedRowID
            let insert = try SQLiteStatement(db, """
                INSERT INTO sim_turns(run, user, turn, slate, reactions, instruction, agent_trace, state) VALUES (?,?,?,?,?,?,?,?)
                """)
            for t in transcript {
                insert.bind(1, run)
                insert.bind(2, Int64(t.user))
                insert.bind(3, Int64(t.turn))
                insert.bind(4, t.slate)
                insert.bind(5, t.reactions)
                insert.bind(6, t.instruction)
                insert.bind(7, t.trace)
                insert.bind(8, t.state)
                try insert.step()
            }
            return run
        }
    }

    /// The run `id`, or nil when there is none.
    public func loadSimRun(id: Int64) throws -> StoredSimRun? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_runs WHERE id = ?", arguments: [id]) else { return nil }
            return try Self.simRun(row)
        }
    }

    /// Every stored run, newest first.
    public func listSimRuns() throws -> [StoredSimRun] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sim_runs ORDER BY id DESC").map(Self.simRun)
        }
    }

    /// The turns of run `id`, by user then turn.
    public func simTurns(run id: Int64) throws -> [StoredSimTurn] {
        try pool.read { db in
            var out: [StoredSimTurn] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT user, turn, slate, reactions, instruction, agent_trace, state FROM sim_turns WHERE run = ? ORDER BY user, turn
                """, arguments: [id])
            while let row = try rows.next() {
                out.append(StoredSimTurn(user: row[0], turn: row[1], slate: row[2], reactions: row[3], instruction: row[4],
                                         trace: row[5], state: row[6]))
            }
            return out
        }
    }

    static func simRun(_ row: Row) throws -> StoredSimRun {
        let id: Int64 = row["id"]
        let seed: Int64 = row["seed"]
        return StoredSimRun(id: id, model: row["model"], agent: (row["agent"] as Int64) != 0, users: row["users"],
                            turns: row["turns"], seed: UInt64(bitPattern: seed),
                            params: try _parseJSONObject(row["params"], what: "sim_runs.params of run \(id)"),
                            summary: row["summary"], createdAt: row["created_at"])
    }
}
