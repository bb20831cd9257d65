/// How a simulated user reacted to one slate position.
public enum Reaction: String, Sendable, Equatable, CaseIterable {
    /// The user's attention did not reach it.
    case unseen
    case skip
    case click
    /// Clicked and liked.
    case like

    public var isClick: Bool { self == .click || self == .like }
    /// One letter per reaction, for compact transcripts: `.`, `s`, `c`, `L`.
    public var letter: Character {
        switch self {
        case .unseen: "."
        case .skip: "s"
        case .click: "c"
        case .like: "L"
        }
    }
}

/// Why a simulated user ended the session.
public enum LeaveReason: Sendable, Equatable {
    /// Patience ran out after a run of slates without a click.
    case boredom(poorTurns: Int)
    /// Patience ran out while one topic was over-served.
    case satiated(topic: Int32)
    /// Patience ran out mostly through accumulated fatigue.
    case fatigue

    public var kind: String {
        switch self {
        case .boredom: "boredom"
        case .satiated: "satiated"
        case .fatigue: "fatigue"
        }
    }

    public func label(_ catalog: SimulationCatalog) -> String {
        switch self {
        case .boredom(let n): "bored after \(n) slates without a click"
        case .satiated(let t): "satiated with \(catalog.topicNames[Int(t)])"
        case .fatigue: "tired"
        }
    }
}

/// The user's mindset: evolving interests, satiation per topic, fatigue and patience.
///
/// Hidden from the recommender: the agent sees only slates, reactions and instructions.
public struct UserState: Sendable, Equatable {
    /// Interest per topic, largest about 1; drifts toward clicked topics.
    public var interests: [Float]
    /// Unit-length taste vector; drifts toward clicked items.
    public var interestVector: [Float]
    /// Recent exposure per topic; raised by views and clicks, decays every turn.
    public var satiation: [Float]
    /// Grows every turn; lowers attention and drains patience.
    public var fatigue: Float = 0
    /// The session budget: good turns refill it, poor turns drain it; at 0 the user leaves.
    public var patience: Float
    /// Turns reviewed so far.
    public var turn = 0
    /// Consecutive turns without a click.
    public var poorTurns = 0
    /// The turn of the latest instruction (0: none yet).
    public var lastInstructionTurn = 0
    public var left: LeaveReason?

    public init(interests: [Float], interestVector: [Float], patience: Float) {
        self.interests = interests
        self.interestVector = interestVector
        satiation = [Float](repeating: 0, count: interests.count)
        self.patience = patience
    }

    /// The most satiated topic and its satiation (ties by topic index).
    public var mostSatiated: (topic: Int32, satiation: Float) {
        var best = 0
        for t in satiation.indices where satiation[t] > satiation[best] { best = t }
        return (Int32(best), satiation.isEmpty ? 0 : satiation[best])
    }
}

/// The knobs of the simulated user; the defaults are what `recscope simulate` runs.
///
/// Utility of item i for a user with interests w, taste vector v, satiation s and traits (c, n):
/// U(i) = α·max_{t∈T(i)} wₜ + β·cos(v, eᵢ) + φ·[i ∈ future] + π·(c − ½)·popᵢ + ν·n·newᵢ − σ·max(0, max_{t∈T(i)} sₜ − tolerance).
/// Position p (0-based) is examined with probability γᵖ·(1 − fatigue) (`ClickModel.position`), or top-down
/// until the user stops (`ClickModel.cascade`); an examined item is clicked with probability
/// 1/(1 + exp(−(U − b)/τ)) and liked when also U ≥ b + likeMargin.
public struct UserModel: Sendable, Equatable {
    public var interestWeight: Float = 1.2
    public var tasteWeight: Float = 2.5
    public var futureWeight: Float = 1.5
    public var popularityWeight: Float = 1.0
    public var noveltyWeight: Float = 0.6
    public var satiationWeight: Float = 2.0
    /// Satiation a topic can take before it costs utility.
    public var satiationTolerance: Float = 1.0
    public var clickBias: Float = 2.4
    public var temperature: Float = 0.5
    public var likeMargin: Float = 0.5
    public var positionDecay: Float = 0.88
    /// Satiation added to each topic of an examined item, and of a clicked one.
    public var satiationPerView: Float = 0.1
    public var satiationPerClick: Float = 0.2
    /// Satiation kept from one turn to the next.
    public var satiationRetention: Float = 0.75
    public var fatiguePerTurn: Float = 0.005
    /// Patience lost every turn, and regained per click (up to `refillCap` clicks).
    public var patienceDrain: Float = 0.35
    public var patienceRefill: Float = 0.15
    public var refillCap = 3
    /// Patience never exceeds this multiple of the starting patience.
    public var patienceCap: Float = 1.0
    /// How far interests and the taste vector move toward a clicked item.
    public var drift: Float = 0.05
    /// Disengagement: patience below this share of the starting patience, or this many poor turns.
    public var speakUpPatience: Float = 0.8
    public var speakUpPoorTurns = 1
    /// Turns between two instructions.
    public var instructionCooldown = 2
    /// Satiation of one topic at which the user complains about it.
    public var satiationComplaint: Float = 1.3
    /// How the user's attention moves down a slate.
    public var clickModel = ClickModel.position
    /// Cascade only: the probability of stopping after a click.
    public var cascadeStop: Float = 0.5

    public init() {}

    /// Starting patience of a user with `traits`: 0.7 + 0.8·activity.
    public func initialPatience(_ traits: Traits) -> Float { 0.7 + 0.8 * traits.activity }
}

extension UserModel {
    /// The knobs by name, as `recscope simulate --knob NAME=VALUE` spells them.
    nonisolated(unsafe) static let floatKnobs: [(String, WritableKeyPath<UserModel, Float>)] = [
        ("interest", \.interestWeight), ("taste", \.tasteWeight), ("future", \.futureWeight),
        ("popularity", \.popularityWeight), ("novelty", \.noveltyWeight), ("satiation", \.satiationWeight), ("satiation_tolerance", \.satiationTolerance),
        ("click_bias", \.clickBias), ("temperature", \.temperature), ("like_margin", \.likeMargin),
        ("position_decay", \.positionDecay), ("satiation_per_view", \.satiationPerView),
        ("satiation_per_click", \.satiationPerClick), ("satiation_retention", \.satiationRetention),
        ("fatigue_per_turn", \.fatiguePerTurn), ("drain", \.patienceDrain), ("refill", \.patienceRefill),
        ("patience_cap", \.patienceCap), ("drift", \.drift), ("speak_up_patience", \.speakUpPatience),
        ("satiation_complaint", \.satiationComplaint), ("cascade_stop", \.cascadeStop),
    ]
    nonisolated(unsafe) static let intKnobs: [(String, WritableKeyPath<UserModel, Int>)] = [
        ("refill_cap", \.refillCap), ("speak_up_poor_turns", \.speakUpPoorTurns), ("cooldown", \.instructionCooldown),
    ]

    /// Every knob name.
    public static var knobNames: [String] { (floatKnobs.map(\.0) + intKnobs.map(\.0) + ["click_model"]).sorted() }

    /// Sets knob `name` from text; the error lists the knobs or says what value was expected.
    public mutating func set(_ name: String, _ value: String) throws {
        if name == "click_model" {
            guard let m = ClickModel(rawValue: value) else {
                throw UserModelError("knob click_model=\(value): expected one of \(ClickModel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            clickModel = m
        } else if let (_, path) = Self.floatKnobs.first(where: { $0.0 == name }) {
            guard let v = Float(value), v.isFinite else { throw UserModelError("knob \(name)=\(value): expected a number") }
            self[keyPath: path] = v
        } else if let (_, path) = Self.intKnobs.first(where: { $0.0 == name }) {
            guard let v = Int(value), v >= 0 else { throw UserModelError("knob \(name)=\(value): expected a whole number ≥ 0") }
            self[keyPath: path] = v
        } else {
            throw UserModelError("unknown knob '\(name)' (expected one of: \(Self.knobNames.joined(separator: ", ")))")
        }
    }

    /// The knobs that differ from the defaults, as text (what a stored run records).
    public var changedKnobs: [String: String] {
        let d = UserModel()
        var out: [String: String] = [:]
        for (name, path) in Self.floatKnobs where self[keyPath: path] != d[keyPath: path] { out[name] = "\(self[keyPath: path])" }
        for (name, path) in Self.intKnobs where self[keyPath: path] != d[keyPath: path] { out[name] = "\(self[keyPath: path])" }
        if clickModel != d.clickModel { out["click_model"] = clickModel.rawValue }
        return out
    }
}

/// A knob that does not exist or a value that does not parse.
public struct UserModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// How a simulated user's attention moves down a slate; the agent is never told which one is active.
public enum ClickModel: String, Sendable, Equatable, CaseIterable {
    /// Position-based: position p is examined with probability γᵖ·(1 − fatigue), whatever happened above it.
    case position
    /// Cascade: examine top-down, stop after a click with probability `cascadeStop`, and go on to the next
    /// item with probability γ (the page's patience); nothing below the stop is examined.
    case cascade
}
