import RecWorkbench
import RecModels
import RecSim

/// The one simulated session pane 7 steps: whose persona, which base model, whether the agent listens,
/// and its policy.
///
/// The simulated user is number `Int(user index)` of a run with `seed`, so the same key always replays
/// the same transcript.
public struct SimulationKey: Hashable, Sendable {
    public var user: String
    public var model: ModelKind
    public var agent: Bool
    public var seed: UInt64
    public var turns: Int
    public var policy: AgentPolicy

    public init(user: String, model: ModelKind, agent: Bool, seed: UInt64 = 1, turns: Int = 20, policy: AgentPolicy = .static) {
        self.user = user
        self.model = model
        self.agent = agent
        self.seed = seed
        self.turns = turns
        self.policy = policy
    }
}

/// What the pane asks of the stepped session.
public enum SimulationOp: Hashable, Sendable {
    /// Show turn 0 (a new session, or the current one as it is).
    case open
    case step
    case restart
    /// A person's instruction, read by the agent before the next slate.
    case inject(String)
}

/// One slate position as shown: the item, its topics and the user's reaction. Text is sanitized.
public struct SlateEntry: Hashable, Sendable {
    public var id: String
    public var title: String
    public var topics: String
    public var reaction: Reaction
}

/// One played turn as shown; every text is sanitized for the terminal.
public struct TurnView: Hashable, Sendable {
    public var turn: Int
    public var slate: [SlateEntry]
    public var clicks: Int
    public var likes: Int
    public var satisfaction: Float
    /// The simulated user's instruction after this slate, and what in its state caused it.
    public var said: String?
    public var cause: String?
    /// A person's instruction the agent read before this slate.
    public var typed: String?
    public var trace: String
    /// Why the user left after this turn.
    public var left: String?
    public var patience: Float
}

/// A labelled value in [0, 1] (or a little over) for the mindset bars.
public struct MindsetBar: Hashable, Sendable {
    public var label: String
    public var value: Float
}

/// The user's mindset after the latest turn.
public struct MindsetView: Hashable, Sendable {
    /// The strongest interests, strongest first.
    public var interests: [MindsetBar]
    /// The most satiated topics, most first (only those above 0).
    public var satiation: [MindsetBar]
    public var fatigue: Float
    public var patience: Float
    public var startPatience: Float
    public var poorTurns: Int
}

/// One topic as the agent believes it: the predicted response to a typical item and how sure it is.
public struct BeliefBar: Hashable, Sendable {
    public var label: String
    /// Posterior mean response (0: no click, 1: a click).
    public var value: Float
    /// Posterior standard deviation.
    public var deviation: Float
    /// 1 − posterior / prior deviation.
    public var certainty: Float
}

/// What a learning agent believes about the user after the latest turn (`AgentRecommender.topicBeliefs`).
public struct BeliefView: Hashable, Sendable {
    /// The topics it thinks the user wants most, most first.
    public var topics: [BeliefBar]
    /// Responses it has learnt from, and the clicks among them.
    public var responses: Int
    public var clicks: Int
    /// What its item vectors are (`als item factors`, `catalog taste vectors`).
    public var vectors: String
}

/// Everything pane 7 shows about the stepped session, made off the UI thread.
public struct SimulationSnapshot: Hashable, Sendable {
    public var key: SimulationKey
    /// Activity, conformity and novelty appetite, as text.
    public var traits: String
    public var historyCount: Int
    public var futureCount: Int
    public var turns: [TurnView]
    public var mindset: MindsetView
    /// The agent's belief (nil for `static`, which learns nothing).
    public var belief: BeliefView? = nil
    public var finished: Bool
    /// A typed instruction waiting for the next slate.
    public var waiting: String?
}

/// A population run: `users` simulated users for `turns` turns, `static` without instructions (the
/// baseline) and every policy with instructions when `agent` is on (without when off).
public struct PopulationKey: Hashable, Sendable {
    public var model: ModelKind
    public var users: Int
    public var turns: Int
    public var seed: UInt64
    public var agent: Bool = true
}

/// One configuration's measures in a population run.
public struct PopulationLine: Hashable, Sendable {
    public var policy: AgentPolicy = .static
    /// Whether the agent listened to instructions.
    public var listens: Bool = false
    public var retention: [Double]
    public var meanSessionLength: Double
    public var ctr: Double
    public var instructionShare: Double
    public var recoveryRate: Double

    init(_ s: SimulationSummary, policy: AgentPolicy, listens: Bool) {
        self.policy = policy
        self.listens = listens
        retention = s.retention
        meanSessionLength = s.meanSessionLength
        ctr = s.ctr
        instructionShare = s.instructionShare
        recoveryRate = s.recoveryRate
    }
}

/// A finished population run of every configuration on the same users and seeds.
public struct PopulationResult: Hashable, Sendable {
    public var key: PopulationKey
    /// The baseline (`static` without instructions) first, then one line per policy.
    public var lines: [PopulationLine]
    public var seconds: Double

    public var baseline: PopulationLine { lines[0] }
}

/// Where the population run stands.
public enum PopulationStatus: Hashable, Sendable {
    case running(key: PopulationKey, done: Int, total: Int)
    case finished(PopulationResult)
    case failed(String)
}

/// The Simulate pane's part of the state.
public struct SimulateState: FeatureState {
    /// Simulated users in a population run (`P`).
    public static let populationUsers = 200
    /// Seconds between two autoplay steps.
    public static let autoplayInterval = 0.6

    public var agent = true
    public var policy = AgentPolicy.static
    public var seed: UInt64 = 1
    public var turns = 20
    /// The persona picked with `u` or `:simulate ID` (nil: follow the Browse selection).
    public var pickedUser: String? = nil
    /// The session shown, once it came.
    public var snapshot: SimulationSnapshot? = nil
    /// The session being opened and not answered yet.
    public var pending: SimulationKey? = nil
    /// Steps, restarts and instructions sent and not answered yet (they run in order on one queue).
    public var inFlight = 0
    /// Why the session of `failedKey` could not start (no history, model failed).
    public var failure: String? = nil
    public var failedKey: SimulationKey? = nil
    public var autoplay = false
    public var population: PopulationStatus? = nil

    public init() {}

    public var isPopulationRunning: Bool {
        if case .running? = population { true } else { false }
    }
}

extension AppState {
    public var simulate: SimulateState {
        get { panes[SimulateState.self] }
        _modify { yield &panes[SimulateState.self] }
    }
}

extension View {
    /// Simulate: one simulated user stepped turn by turn against the agent (the root).
    public static let simulate = View(feature: "simulate", context: "simulate")
}
