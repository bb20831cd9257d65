import Foundation
import RecCore
import RecModels
import RecSim
import RecWorkbench
import Synchronization

/// Holds pane 7's simulated session and the simulator's inputs between effects; every call is
/// synchronous and meant for a background queue. The session is keyed: an operation on another key
/// starts that key's session from turn 0.
public final class SimulationDriver: Sendable {
    /// How many simulated users a population run plays between two progress reports.
    static let populationChunk = 25

    private struct Held: Sendable {
        var session: (key: SimulationKey, session: SimulationSession)? = nil
        /// The typed instruction the session holds for its next slate (`SimulationSession` keeps it private).
        var waiting: String? = nil
    }

    private let source: (any SimulationSource)?
    private let held = Mutex(Held())

    public init(source: (any SimulationSource)?) {
        self.source = source
    }

    private func simulator() throws -> any SimulationSource {
        guard let source else {
            throw RecommendationError("this explorer has no models to simulate with (open a catalog: recscope tui --catalog FILE)")
        }
        return source
    }

    /// Applies `op` to the session of `key` and returns what the pane shows.
    public func perform(_ op: SimulationOp, key: SimulationKey) throws -> SimulationSnapshot {
        let source = try simulator()
        let inputs = try source.simulationInputs()
        var model = try source.models.trained(key.model)
        var profile: RecSim.UserProfile?
        if key.user.hasPrefix("@") {
            // A saved what-if user: one user more for the model, with the persona's items as history and no future.
            let name = String(key.user.dropFirst())
            guard let (persona, items) = try source.models.persona(name) else {
                throw RecommendationError("no persona named \(TerminalText.sanitize(name)) (save one in the What-if pane with s)")
            }
            let bench = try source.models.data().bench
            let indices = items.compactMap { bench.items.lookup($0.id) }
            let read = persona.recent > 0 ? Array(indices.suffix(persona.recent)) : indices
            let personaModel = WhatIfUserModel(base: model, history: read)
            model = personaModel
            profile = indices.isEmpty ? nil : RecSim.UserProfile(user: Int32(personaModel.whatIfUser), name: key.user, history: indices, future: [])
        } else {
            profile = try source.models.data().bench.users.lookup(key.user).flatMap(inputs.profile(ofUser:))
        }
        return try held.withLock { h in
            if h.session?.key != key || op == .restart {
                // A learning policy starts from the prior fitted for the base model (the population's coefficients
                // hold for a what-if user too; its taste is learnt in the session).
                let prior = key.policy.learns ? try source.models.beliefPrior(Self.request(key, split: source.models.splitName)) : nil
                h.session = (key, try Self.session(key, profile: profile, inputs: inputs, model: model, prior: prior))
                h.waiting = nil
            }
            var session = h.session!.session
            switch op {
            case .open, .restart: break
            case .step:
                if session.step() != nil { h.waiting = nil }
            case .inject(let text):
                session.inject(text)
                h.waiting = text
            }
            h.session = (key, session)
            return Self.snapshot(session, key: key, catalog: inputs.catalog, waiting: h.waiting)
        }
    }

    /// The configurations of a population run: `static` without instructions, then every policy with
    /// instructions when `agent` is on (without when off), the baseline not twice.
    public static func configurations(agent: Bool) -> [(policy: AgentPolicy, listens: Bool)] {
        [(.static, false)] + AgentPolicy.allCases.filter { agent || $0 != .static }.map { ($0, agent) }
    }

    /// Runs `key.users` simulated users in every configuration on the same users and seeds, reporting
    /// (sessions done, sessions in all) after every chunk: `recscope simulate --model M --users N --turns T
    /// --seed S --policy P --agent on|off`, run by the same workbench code.
    public func population(_ key: PopulationKey, progress: (Int, Int) -> Void) throws -> PopulationResult {
        let models = try simulator().models
        let stopwatch = Stopwatch()
        var lines: [PopulationLine] = []
        let runs = Self.configurations(agent: key.agent)
        for (pass, run) in runs.enumerated() {
            let request = SimulationRequest(model: key.model, users: key.users, turns: key.turns, seed: key.seed, agent: run.listens,
                                            split: models.splitName, policy: run.policy)
            let outcome = try models.simulate(request, usersPerReport: Self.populationChunk) {
                progress(pass * key.users + $0, runs.count * key.users)
            }
            lines.append(PopulationLine(outcome.run.summary, policy: run.policy, listens: run.listens))
        }
        return PopulationResult(key: key, lines: lines, seconds: stopwatch.elapsed)
    }

    /// The session of `key`'s user: simulated user number (dense user index) of a run with `key.seed`.
    /// A learning policy starts from `prior` (`SplitModels.beliefPrior`, as the population runs do).
    static func session(_ key: SimulationKey, profile: RecSim.UserProfile?, inputs: SimulationInputs,
                        model: any TrainedModel, prior: BeliefPrior?) throws -> SimulationSession {
        guard let profile else {
            throw RecommendationError("user \(TerminalText.sanitize(key.user)) has no training history in the split, so there is no persona to simulate")
        }
        let config = request(key, split: "").config
        var agent = AgentRecommender(model: model, catalog: inputs.catalog, listens: key.agent,
                                     slateSize: config.slateSize, holdTurns: config.holdTurns, policy: key.policy)
        if let prior { agent.prior = prior }
        return PopulationRun.session(profile, index: Int(profile.user), agent: agent, config: config)
    }

    /// The population request `key`'s session belongs to (one user; its config is the session's).
    static func request(_ key: SimulationKey, split: String) -> SimulationRequest {
        SimulationRequest(model: key.model, users: 1, turns: key.turns, seed: key.seed, agent: key.agent, split: split, policy: key.policy)
    }

    /// What the pane shows of `session`, with every text from data sanitized.
    static func snapshot(_ session: SimulationSession, key: SimulationKey, catalog: SimulationCatalog,
                         waiting: String?) -> SimulationSnapshot {
        let clean = TerminalText.sanitize
        let turns = session.records.map { r -> TurnView in
            let slate = zip(r.slate, r.reactions).map { item, reaction in
                SlateEntry(id: clean(catalog.itemID(item)), title: clean(catalog.titles[Int(item)]),
                           topics: clean(catalog.itemTopics[Int(item)].map { catalog.topicNames[Int($0)] }.joined(separator: " ")),
                           reaction: reaction)
            }
            return TurnView(turn: r.turn, slate: slate, clicks: r.clicks, likes: r.reactions.filter { $0 == .like }.count,
                            satisfaction: r.satisfaction, said: r.instruction.map { clean($0.text) },
                            cause: r.instruction.map { clean($0.cause) }, typed: r.typed.map(clean), trace: clean(r.trace),
                            left: r.left.map { clean($0.label(catalog)) }, patience: r.state.patience)
        }
        let state = session.user.state
        func top(_ values: [Float], _ k: Int, positiveOnly: Bool) -> [MindsetBar] {
            values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
                .filter { !positiveOnly || values[$0] > 0.005 }
                .prefix(k).map { MindsetBar(label: clean(catalog.topicNames[$0]), value: values[$0]) }
        }
        let traits = session.persona.traits
        let mindset = MindsetView(
            interests: top(state.interests, 5, positiveOnly: false), satiation: top(state.satiation, 3, positiveOnly: true),
            fatigue: state.fatigue, patience: state.patience,
            startPatience: session.config.user.initialPatience(traits), poorTurns: state.poorTurns)
        let traitText = String(format: "activity %.2f · conformity %.2f · novelty %.2f",
                               traits.activity, traits.conformity, traits.noveltyAppetite)
        return SimulationSnapshot(key: key, traits: traitText, historyCount: session.persona.history.count,
                                  futureCount: session.persona.future.count, turns: turns, mindset: mindset,
                                  belief: belief(session, catalog: catalog), finished: session.isFinished, waiting: waiting.map(clean))
    }

    /// The agent's belief about the user as bars: its six most wanted topics.
    static func belief(_ session: SimulationSession, catalog: SimulationCatalog) -> BeliefView? {
        guard let b = session.memory.belief else { return nil }
        let topics = session.agent.topicBeliefs(session.memory).prefix(6).map {
            BeliefBar(label: TerminalText.sanitize(catalog.topicNames[Int($0.topic)]), value: $0.mean, deviation: $0.deviation,
                      certainty: $0.certainty)
        }
        return BeliefView(topics: topics, responses: Int(b.observations.rounded()), clicks: b.positives,
                          vectors: TerminalText.sanitize(b.features.vectorSource))
    }
}
