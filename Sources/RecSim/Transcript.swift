import RecCore

/// One turn as stored in `sim_turns` and exported as JSONL: each field is JSON text made the same way on
/// every machine (fixed key order, numbers with fixed decimals), so equal runs give equal bytes.
public struct TranscriptRow: Sendable, Equatable {
    /// The simulated user's index in the run.
    public let user: Int
    public let turn: Int
    /// JSON array of external item ids.
    public let slate: String
    /// One letter per position: `.` unseen, `s` skip, `c` click, `L` like.
    public let reactions: String
    /// JSON object `{"intent", "target", "text", "cause"}` of what the user said, or nil.
    public let instruction: String?
    public let trace: String
    /// JSON object: persona, satisfaction, patience, fatigue, top satiation and interests, typed text, leave reason.
    public let state: String

    public init(user: Int, turn: Int, slate: String, reactions: String, instruction: String?, trace: String, state: String) {
        self.user = user
        self.turn = turn
        self.slate = slate
        self.reactions = reactions
        self.instruction = instruction
        self.trace = trace
        self.state = state
    }

    /// The JSONL line of this turn in run `run`.
    public func jsonLine(run: Int64) -> String {
        "{\"run\":\(run),\"user\":\(user),\"turn\":\(turn),\"slate\":\(slate),\"reactions\":\(_jsonString(reactions)),"
            + "\"instruction\":\(instruction ?? "null"),\"trace\":\(_jsonString(trace)),\"state\":\(state)}"
    }
}

extension TurnRecord {
    /// This turn as a transcript row of simulated user `user` with persona `persona`.
    public func transcriptRow(user: Int, persona: String, catalog: SimulationCatalog) -> TranscriptRow {
        let slateText = "[" + slate.map { _jsonString(catalog.itemID($0)) }.joined(separator: ",") + "]"
        var said: String?
        if let i = instruction {
            let target: String
            switch i.intent {
            case .avoid(let t), .more(let t), .differentButRelated(let t): target = _jsonString(catalog.topicNames[Int(t)])
            case .moreLike(let item): target = _jsonString(catalog.itemID(item))
            case .newer, .lessPopular, .moreVariety: target = "null"
            }
            said = "{\"intent\":\(_jsonString(i.intent.kind)),\"target\":\(target),\"text\":\(_jsonString(i.text)),\"cause\":\(_jsonString(i.cause))}"
        }
        func top(_ values: [Float]) -> String {
            let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(3)
            return "{" + order.map { "\(_jsonString(catalog.topicNames[$0])):\(_fixed(values[$0], 3))" }.joined(separator: ",") + "}"
        }
        var s = "{\"persona\":\(_jsonString(persona)),\"satisfaction\":\(_fixed(satisfaction, 1)),"
        s += "\"patience\":\(_fixed(state.patience, 4)),\"fatigue\":\(_fixed(state.fatigue, 4)),"
        s += "\"satiation\":\(top(state.satiation)),\"interests\":\(top(state.interests)),"
        s += "\"typed\":\(typed.map(_jsonString) ?? "null"),"
        s += "\"left\":\(left.map { _jsonString($0.label(catalog)) } ?? "null")}"
        return TranscriptRow(user: user, turn: turn, slate: slateText, reactions: String(reactions.map(\.letter)),
                             instruction: said, trace: trace, state: s)
    }
}

extension PopulationRun {
    /// Every turn of every simulated user, users in order, turns in order.
    public func transcript(catalog: SimulationCatalog) -> [TranscriptRow] {
        var rows: [TranscriptRow] = []
        for (k, records) in sessions.enumerated() {
            for r in records { rows.append(r.transcriptRow(user: k, persona: personas[k].name, catalog: catalog)) }
        }
        return rows
    }
}

/// `text` as a JSON string literal (see `JSONEscaping.quote`).
func _jsonString(_ text: String) -> String { JSONEscaping.quote(text) }
