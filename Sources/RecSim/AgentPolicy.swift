import RecCore

/// How the agent chooses slates, and what it learns from the user's reactions within a session.
///
/// Every policy can also listen to instructions (`AgentRecommender.listens`); instruction actions add to
/// whatever the policy scores.
public enum AgentPolicy: String, Sendable, CaseIterable, Equatable {
    /// The base model's ranking plus instruction actions: learns nothing from reactions.
    case `static`
    /// A Bayesian linear model of the user's response (`AgentBelief`), updated in closed form after every
    /// slate from clicks and skips; slates greedy on the posterior mean.
    case feedback
    /// The same posterior; each slate from one seeded Thompson draw, diversified so ten items are not ten
    /// samples of one idea.
    case ts
    /// A cascading bandit (CascadeLinTS, Zong et al. 2016): Thompson slates as `ts`, but an item below the
    /// last click that was not clicked counts as unexamined, not as a skip (Kveton et al. 2015).
    case cascade

    /// Whether the policy keeps a belief and updates it from reactions.
    public var learns: Bool { self != .static }
    /// Whether each slate comes from a Thompson draw (and is diversified over item vectors).
    public var samples: Bool { self == .ts || self == .cascade }

    /// The policy in a few words, for help texts and the pane.
    public var summary: String {
        switch self {
        case .static: "the base model's ranking; learns nothing from reactions"
        case .feedback: "Bayesian linear model of responses, greedy on the posterior mean"
        case .ts: "the same posterior, Thompson-sampled diverse slates"
        case .cascade: "cascading bandit: no skips counted below the last click"
        }
    }

    /// Every policy name, comma-separated.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The policy called `name`; the error lists the policies.
    public init(named name: String) throws {
        guard let p = AgentPolicy(rawValue: name.lowercased()) else {
            throw UserModelError("unknown policy '\(name)' (expected one of: \(Self.names))")
        }
        self = p
    }

    /// The weight each slate position's response gets in the belief update, given which positions were clicked.
    ///
    /// `feedback` and `ts` read every non-clicked item as a skip (weight 1). `cascade` assumes a user who
    /// scans top-down and stops: positions after the last click were probably not examined (weight 0); a
    /// slate without a click was examined to its end.
    public func examinationWeights(clicked: [Bool]) -> [Float] {
        switch self {
        case .static: return [Float](repeating: 0, count: clicked.count)
        case .feedback, .ts: return [Float](repeating: 1, count: clicked.count)
        case .cascade:
            guard let last = clicked.lastIndex(of: true) else { return [Float](repeating: 1, count: clicked.count) }
            return clicked.indices.map { $0 <= last ? 1 : 0 }
        }
    }
}

/// What the agent sees of one turn: the slate and, per position, whether the item was clicked and liked.
///
/// Whether a non-clicked item was examined belongs to the user's attention, which the agent never reads:
/// a skip and an item the user never reached look the same (as in a platform's logs).
public struct SlateFeedback: Sendable, Equatable {
    public let slate: [Int32]
    public let clicked: [Bool]
    public let liked: [Bool]

    public init(slate: [Int32], clicked: [Bool], liked: [Bool]) {
        precondition(slate.count == clicked.count && slate.count == liked.count, "one response per slate position")
        self.slate = slate
        self.clicked = clicked
        self.liked = liked
    }

    /// The observable part of a user's reactions: clicks and likes, not examination.
    public init(slate: [Int32], reactions: [Reaction]) {
        self.init(slate: slate, clicked: reactions.map(\.isClick), liked: reactions.map { $0 == .like })
    }

    /// The response at `position`: 1 for a click, 1.5 for a like (a turn's satisfaction counts likes
    /// half again), 0 otherwise.
    public func response(at position: Int) -> Float {
        liked[position] ? 1.5 : clicked[position] ? 1 : 0
    }
}
