import RecCore

/// The parameters of a simulation; with the model and catalog, they determine every transcript.
public struct SimulationConfig: Sendable, Equatable {
    public var turns: Int
    public var seed: UInt64
    /// Whether the agent follows instructions (off: the baseline).
    public var agent: Bool
    public var slateSize = 10
    public var holdTurns = 3
    public var user = UserModel()
    /// How the agent picks slates and learns from reactions.
    public var policy = AgentPolicy.static
    /// Whether each turn also measures the policy's regret against an oracle (`TurnRecord.regret`); costs a
    /// pass over the catalog per turn, so only for experiments.
    public var measuresRegret = false

    public init(turns: Int, seed: UInt64, agent: Bool, slateSize: Int = 10, holdTurns: Int = 3, user: UserModel = UserModel(),
                policy: AgentPolicy = .static, measuresRegret: Bool = false) {
        self.turns = turns
        self.seed = seed
        self.agent = agent
        self.slateSize = slateSize
        self.holdTurns = holdTurns
        self.user = user
        self.policy = policy
        self.measuresRegret = measuresRegret
    }

    /// The seeds of simulated user number `index` in a run: one for the persona's traits, one for its choices.
    ///
    /// Derived from the run seed and the index only, so a user's transcript is the same whatever the
    /// population size or thread count.
    public func seeds(forUser index: Int) -> (persona: UInt64, choices: UInt64) {
        var g = SeededGenerator(seed: seed).derived(UInt64(index))
        return (g.next(), g.next())
    }
}

/// One turn of a session: the slate, the user's reactions and state after it, what was said, what the agent did.
public struct TurnRecord: Sendable, Equatable {
    /// 1-based.
    public let turn: Int
    public let slate: [Int32]
    public let reactions: [Reaction]
    public let satisfaction: Float
    /// What the simulated user said after this slate (nil: nothing).
    public let instruction: Instruction?
    /// A person's typed instruction that the agent read before this slate.
    public let typed: String?
    /// The agent's one-line trace for this slate.
    public let trace: String
    /// The user's mindset after the turn.
    public let state: UserState
    public let left: LeaveReason?
    /// Expected clicks of the oracle's slate minus the agent's (`SimulationConfig.measuresRegret`), else nil.
    public var regret: Float? = nil

    public var clicks: Int { reactions.filter(\.isClick).count }
}

/// One simulated user stepped turn by turn against an agent: the unit the TUI pane drives.
///
/// `step()` builds a slate (after the agent reads any pending instruction), lets the user review it, and
/// records the turn. `inject` puts a person's sentence in place of the simulated user's next instruction.
public struct SimulationSession: Sendable {
    public let persona: Persona
    public let agent: AgentRecommender
    public let config: SimulationConfig
    public let choiceSeed: UInt64
    public private(set) var user: SimulatedUser
    public private(set) var memory: AgentMemory
    public private(set) var records: [TurnRecord] = []
    var pending: String?
    var pendingTyped = false

    public init(persona: Persona, agent: AgentRecommender, config: SimulationConfig, choiceSeed: UInt64) {
        self.persona = persona
        self.agent = agent
        self.config = config
        self.choiceSeed = choiceSeed
        user = SimulatedUser(persona: persona, catalog: agent.catalog, model: config.user, seed: choiceSeed)
        memory = agent.start(user: persona.user, history: persona.history, seed: Self.agentSeed(choiceSeed))
    }

    /// The seed of the agent's own draws: a stream of the user's choice seed that the user never reads.
    static func agentSeed(_ choiceSeed: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: choiceSeed).derived(0xA6E7)
        return g.next()
    }

    /// Whether the user left or the turn budget is spent.
    public var isFinished: Bool { user.hasLeft || records.count >= config.turns }

    /// Plays one turn; nil when the session is finished.
    @discardableResult
    public mutating func step() -> TurnRecord? {
        guard !isFinished else { return nil }
        var typed: String?
        if let text = pending {
            agent.listen(text, memory: &memory)
            if pendingTyped { typed = text }
            pending = nil
            pendingTyped = false
        }
        let shownBefore = config.measuresRegret ? memory.shown : []
        let slate = agent.nextSlate(memory: &memory)
        let regret = config.measuresRegret ? user.regret(of: slate, shown: shownBefore) : nil
        let outcome = user.review(slate)
        agent.observe(SlateFeedback(slate: slate, reactions: outcome.reactions), memory: &memory)
        if let said = outcome.instruction { pending = said.text }
        var record = TurnRecord(turn: records.count + 1, slate: slate, reactions: outcome.reactions,
                                satisfaction: outcome.satisfaction, instruction: outcome.instruction, typed: typed,
                                trace: memory.trace, state: user.state, left: outcome.left)
        record.regret = regret
        records.append(record)
        return record
    }

    /// Plays every remaining turn.
    public mutating func run() {
        while step() != nil {}
    }

    /// A person's instruction, read by the agent before the next slate in place of the simulated user's.
    public mutating func inject(_ text: String) {
        pending = text
        pendingTyped = true
    }

    /// Back to turn 0 with the same persona, seeds and agent.
    public mutating func restart() {
        self = SimulationSession(persona: persona, agent: agent, config: config, choiceSeed: choiceSeed)
    }

    /// Turns before leaving (the whole budget if the user stayed).
    public var sessionLength: Int { records.count }
}
