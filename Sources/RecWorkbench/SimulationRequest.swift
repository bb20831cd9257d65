import RecCatalog
import RecCore
import RecModels
import RecSim

/// Everything that determines a population run on a catalog; stored with the run so it can be replayed.
public struct SimulationRequest: Sendable, Equatable {
    public var model: ModelKind
    /// Model parameters as given (the stored model must resolve to the same).
    public var modelParams: [String: String] = [:]
    public var users: Int
    public var turns: Int
    public var seed: UInt64
    public var agent: Bool
    public var slateSize = 10
    public var holdTurns = 3
    public var topics = SimulationTopics.categories
    public var split = "loo"
    /// The simulated user's knobs.
    public var user = UserModel()
    /// How the agent picks slates and learns from reactions.
    public var policy = AgentPolicy.static
    /// Whether every turn measures the agent's regret against an oracle (slower; the transcript is the same).
    public var measuresRegret = false

    public init(model: ModelKind, modelParams: [String: String] = [:], users: Int, turns: Int, seed: UInt64, agent: Bool,
                slateSize: Int = 10, holdTurns: Int = 3, topics: SimulationTopics = .categories, split: String = "loo",
                user: UserModel = UserModel(), policy: AgentPolicy = .static, measuresRegret: Bool = false) {
        self.user = user
        self.policy = policy
        self.measuresRegret = measuresRegret
        self.model = model
        self.modelParams = modelParams
        self.users = users
        self.turns = turns
        self.seed = seed
        self.agent = agent
        self.slateSize = slateSize
        self.holdTurns = holdTurns
        self.topics = topics
        self.split = split
    }

    public var config: SimulationConfig {
        SimulationConfig(turns: turns, seed: seed, agent: agent, slateSize: slateSize, holdTurns: holdTurns, user: user,
                         policy: policy, measuresRegret: measuresRegret)
    }

    /// The form stored in `sim_runs.params` (model parameters as `model.NAME`).
    public var stored: [String: String] {
        var out = ["model": model.rawValue, "users": String(users), "turns": String(turns), "seed": String(seed),
                   "agent": agent ? "on" : "off", "slate": String(slateSize), "hold": String(holdTurns),
                   "topics": topics.rawValue, "split": split, "policy": policy.rawValue]
        if measuresRegret { out["regret"] = "on" }
        for (k, v) in modelParams { out["model.\(k)"] = v }
        for (k, v) in user.changedKnobs { out["knob.\(k)"] = v }
        return out
    }

    /// Reads the stored form back; the error names the missing or bad key.
    public init(stored p: [String: String], run: Int64) throws {
        func need(_ key: String) throws -> String {
            guard let v = p[key] else { throw WorkbenchError("sim run \(run) has no '\(key)' in its params; it cannot be replayed") }
            return v
        }
        func int(_ key: String) throws -> Int {
            guard let v = Int(try need(key)) else { throw WorkbenchError("sim run \(run): '\(key)' is not an integer") }
            return v
        }
        model = try ModelKind(named: try need("model"))
        users = try int("users")
        turns = try int("turns")
        guard let s = UInt64(try need("seed")) else { throw WorkbenchError("sim run \(run): 'seed' is not an unsigned integer") }
        seed = s
        agent = try need("agent") == "on"
        slateSize = try int("slate")
        holdTurns = try int("hold")
        guard let t = SimulationTopics(rawValue: try need("topics")) else { throw WorkbenchError("sim run \(run): unknown topics '\(p["topics"] ?? "")'") }
        topics = t
        split = try need("split")
        // Runs stored before policies existed ran today's `static` agent.
        do { policy = try AgentPolicy(named: p["policy"] ?? "static") } catch { throw WorkbenchError("sim run \(run): \(error)") }
        measuresRegret = p["regret"] == "on"
        for (k, v) in p where k.hasPrefix("model.") { modelParams[String(k.dropFirst(6))] = v }
        for (k, v) in p.sorted(by: { $0.key < $1.key }) where k.hasPrefix("knob.") {
            do { try user.set(String(k.dropFirst(5)), v) } catch { throw WorkbenchError("sim run \(run): \(error)") }
        }
    }
}

/// A finished run with what it was made from.
public struct SimulationOutcome: Sendable {
    public let request: SimulationRequest
    public let run: PopulationRun
    public let inputs: SimulationInputs
    /// Seconds spent simulating (not loading or training).
    public let seconds: Double
    public var transcript: [TranscriptRow] { run.transcript(catalog: inputs.catalog) }
}

extension ModelWorkbench {
    /// The model of `request`, from the store or trained now on its split.
    public func simulationModel(_ request: SimulationRequest, progress: TrainingProgress? = nil) throws -> any TrainedModel {
        try model(request.model, params: request.modelParams, split: request.split, progress: progress).model
    }

    /// The belief prior a learning policy starts from in `request`'s runs: its shared coefficients fitted on
    /// logged sessions of other simulated users (`AgentRecommender.calibrated`), the same for every policy
    /// that reads sessions alike (`AgentRecommender.priorReading`) with the request's seed, knobs, model and split.
    public static func beliefPrior(_ request: SimulationRequest, inputs: SimulationInputs, model: any TrainedModel,
                                   threads: Int = 0) -> BeliefPrior {
        let agent = AgentRecommender(model: model, catalog: inputs.catalog, listens: false, slateSize: request.slateSize,
                                     holdTurns: request.holdTurns, policy: AgentRecommender.priorReading(request.policy))
        return agent.calibrated(on: inputs.profiles, config: request.config, threads: threads).prior
    }

    /// Runs `request` (reusing `inputs`, `model` and a learning policy's `prior` when given) on `threads`
    /// threads; with `usersPerReport` n > 0, `played` hears how many simulated users are done after every n
    /// (the outcome does not change). A learning policy without a given prior fits one first (`beliefPrior`),
    /// inside the timed part.
    public func simulate(_ request: SimulationRequest, inputs givenInputs: SimulationInputs? = nil, model givenModel: (any TrainedModel)? = nil,
                         prior givenPrior: BeliefPrior? = nil, threads: Int = 0, progress: TrainingProgress? = nil,
                         usersPerReport: Int = 0, played: (Int) -> Void = { _ in }) throws -> SimulationOutcome {
        guard request.users >= 1, request.turns >= 1, request.slateSize >= 1, request.holdTurns >= 1 else {
            throw WorkbenchError("a simulation needs at least 1 user, 1 turn, a slate of 1 and actions held 1 turn")
        }
        let inputs = try givenInputs ?? SimulationInputs(bench: self, split: request.split, topics: request.topics)
        let model = try givenModel ?? simulationModel(request, progress: progress)
        let population = PopulationRun.sample(inputs.profiles, count: request.users, seed: request.seed)
        var agent = AgentRecommender(model: model, catalog: inputs.catalog, listens: request.agent, policy: request.policy)
        let stopwatch = Stopwatch()
        if request.policy.learns {
            agent.prior = givenPrior ?? Self.beliefPrior(request, inputs: inputs, model: model, threads: threads)
        }
        let run = PopulationRun(profiles: population, agent: agent, config: request.config, threads: threads,
                                progressEvery: usersPerReport, progress: played)
        return SimulationOutcome(request: request, run: run, inputs: inputs, seconds: stopwatch.elapsed)
    }

    /// Stores a run and its transcript in one transaction; returns the run id.
    public func save(_ outcome: SimulationOutcome, summary: String?) throws -> Int64 {
        let r = outcome.request
        let rows = outcome.transcript.map {
            StoredSimTurn(user: $0.user, turn: $0.turn, slate: $0.slate, reactions: $0.reactions, instruction: $0.instruction,
                          trace: $0.trace, state: $0.state)
        }
        return try catalog.saveSimRun(model: r.model.rawValue, agent: r.agent, users: r.users, turns: r.turns, seed: r.seed,
                                      params: r.stored, summary: summary, transcript: rows)
    }

    /// The stored run `id` as JSONL lines, one per turn.
    public func exportSimRun(_ id: Int64) throws -> [String] {
        guard try catalog.loadSimRun(id: id) != nil else { throw WorkbenchError("\(store.name) has no simulation run \(id) (list them: recscope simulate --list)") }
        return try catalog.simTurns(run: id).map {
            TranscriptRow(user: $0.user, turn: $0.turn, slate: $0.slate, reactions: $0.reactions, instruction: $0.instruction,
                          trace: $0.trace ?? "", state: $0.state ?? "null").jsonLine(run: id)
        }
    }

    /// Re-runs stored run `id` from its params and compares the transcript line by line.
    /// Returns the number of lines and the first differing line (1-based), nil when identical.
    public func replaySimRun(_ id: Int64, threads: Int = 0) throws -> (lines: Int, firstDifference: Int?, expected: String?, found: String?) {
        guard let stored = try catalog.loadSimRun(id: id) else { throw WorkbenchError("\(store.name) has no simulation run \(id) (list them: recscope simulate --list)") }
        let request = try SimulationRequest(stored: stored.params, run: id)
        let outcome = try simulate(request, threads: threads)
        let old = try exportSimRun(id)
        let new = outcome.transcript.map { $0.jsonLine(run: id) }
        for n in 0..<max(old.count, new.count) where n >= old.count || n >= new.count || old[n] != new[n] {
            return (max(old.count, new.count), n + 1, n < old.count ? old[n] : nil, n < new.count ? new[n] : nil)
        }
        return (old.count, nil, nil, nil)
    }
}
