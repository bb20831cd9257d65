import RecCore

/// A catalog user as the simulator receives it: training history (time order) and held-out future.
public struct UserProfile: Sendable, Equatable {
    public let user: Int32
    public let name: String
    public let history: [Int32]
    public let future: [Int32]

    public init(user: Int32, name: String, history: [Int32], future: [Int32]) {
        self.user = user
        self.name = name
        self.history = history
        self.future = future
    }
}

/// Many simulated users run in parallel against one agent configuration.
public struct PopulationRun: Sendable {
    public let config: SimulationConfig
    /// The profile behind each simulated user (a catalog user may appear more than once).
    public let profiles: [UserProfile]
    public let personas: [Persona]
    /// Each simulated user's turns, in order.
    public let sessions: [[TurnRecord]]
    public let summary: SimulationSummary

    /// `count` simulated users drawn from `profiles`: a seeded permutation, repeated when `count` exceeds
    /// the profiles (each repeat draws its own traits and choices).
    public static func sample(_ profiles: [UserProfile], count: Int, seed: UInt64) -> [UserProfile] {
        guard !profiles.isEmpty else { return [] }
        var rng = SeededGenerator(seed: seed ^ 0x5EED_0F05_E7A1_0001)
        var order = Array(profiles.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextIndex(below: i + 1)) }
        return (0..<count).map { profiles[order[$0 % order.count]] }
    }

    /// The persona and session of simulated user `index`, ready to step (the TUI pane starts here).
    public static func session(_ profile: UserProfile, index: Int, agent: AgentRecommender,
                               config: SimulationConfig) -> SimulationSession {
        let seeds = config.seeds(forUser: index)
        let persona = Persona(user: profile.user, name: profile.name, history: profile.history, future: profile.future,
                              catalog: agent.catalog, seed: seeds.persona)
        return SimulationSession(persona: persona, agent: agent, config: config, choiceSeed: seeds.choices)
    }

    /// Runs every profile for `config.turns` turns on `threads` threads (0: one per processor).
    ///
    /// The result is the same for any thread count: user k's seeds depend only on the run seed and k.
    /// `agent` follows `config.agent`, `slateSize` and `holdTurns`. With `progressEvery` n > 0, users run in
    /// chunks of n and `progress` hears how many are done after each chunk (the result does not change).
    public init(profiles: [UserProfile], agent base: AgentRecommender, config: SimulationConfig, threads: Int = 0,
                progressEvery: Int = 0, progress: (Int) -> Void = { _ in }) {
        var agent = base
        agent.listens = config.agent
        agent.slateSize = config.slateSize
        agent.holdTurns = config.holdTurns
        agent.policy = config.policy
        let chunk = progressEvery > 0 ? progressEvery : max(1, profiles.count)
        var played: [SimulationSession] = []
        played.reserveCapacity(profiles.count)
        var start = 0
        while start < profiles.count {
            let end = min(profiles.count, start + chunk)
            played += Parallel.map(count: end - start, threads: threads) { j -> SimulationSession in
                var s = Self.session(profiles[start + j], index: start + j, agent: agent, config: config)
                s.run()
                return s
            }
            start = end
            progress(start)
        }
        self.config = config
        self.profiles = profiles
        personas = played.map(\.persona)
        sessions = played.map(\.records)
        summary = SimulationSummary(sessions: sessions, turns: config.turns, catalog: agent.catalog)
    }
}
