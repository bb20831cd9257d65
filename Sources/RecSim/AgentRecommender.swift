import RecCore
import RecModels

/// One change the agent makes to the base ranking, kept for `turnsLeft` more slates.
public struct AgentAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Items of the topic are ranked below every other item.
        case exclude(topic: Int32)
        /// Add `weight` (negative: down-weight) to items of the topic.
        case shift(topic: Int32, weight: Float)
        /// Add `weight` × (model similarity rank share) to the model's nearest items to `item`.
        case similarTo(item: Int32, weight: Float)
        /// Add `weight` × (2·newness − 1).
        case recency(weight: Float)
        /// Subtract `weight` × popularity percentile.
        case popularityPenalty(weight: Float)
        /// Maximal marginal relevance over topics: subtract `weight` × the largest topic overlap with items
        /// already in the slate (Carbonell & Goldstein 1998).
        case diversity(weight: Float)
    }
    public var kind: Kind
    public var turnsLeft: Int
    /// The intent it serves, in words.
    public let reason: String
}

/// What the agent remembers about one session: base scores, what it has shown, its active actions, and
/// the trace of the latest turn. It never holds the user's hidden state.
public struct AgentMemory: Sendable {
    /// The model's ranking of the unseen items as log-rank scores, −ln((rank + 1)/(n + 1)); seen items −10⁶.
    public let base: [Float]
    /// Items in the user's history or already shown; never shown again.
    public var shown: [Bool]
    public var actions: [AgentAction] = []
    /// The instructions read since the last slate, with what was made of them.
    var heard: [String] = []
    /// One line: what the agent changed this turn and why.
    public internal(set) var trace = ""
    public internal(set) var turn = 0
    /// Model neighbours of items named in "more like" instructions.
    var neighbours: [Int32: [Int32]] = [:]
    /// Items of each topic in recent slates, halved every turn: what the agent itself has been showing.
    public internal(set) var recentTopics: [Float] = []
    /// ln(unseen items + 1): the largest base score, which scales base scores to [0, 1] for the belief.
    public internal(set) var baseScale: Float = 1
    /// The belief about the user, for a policy that learns (nil for `static`).
    public internal(set) var belief: AgentBelief?
    /// Thompson draws (one per turn), seeded per session.
    var rng = SeededGenerator(seed: 0)
    /// What a learning policy has shown and seen clicked of each topic.
    public internal(set) var exposure = TopicExposure(topics: 0, slateSize: 1)
    /// The latest slate and each position's exposure features when it was picked: what its feedback is
    /// read against.
    var lastSlate: [Int32] = []
    var slateExposure: [[Float]] = []
}

/// Wraps a trained model: ranks by it, and when `listens` is on, turns instructions into actions kept for
/// `holdTurns` slates. With `listens` off it is the baseline that ignores instructions.
public struct AgentRecommender: Sendable {
    public let model: any TrainedModel
    public let catalog: SimulationCatalog
    public let parser: InstructionParser
    public var listens: Bool
    public var slateSize = 10
    public var holdTurns = 3
    /// How slates are chosen and what is learnt from reactions; a learning policy builds its features once.
    public var policy: AgentPolicy {
        didSet { if policy.learns && features == nil { features = BeliefFeatures(model: model, catalog: catalog, prior: prior) } }
    }
    /// The belief's prior (`calibrated(on:config:)` fits its shared part on logged sessions).
    public var prior = BeliefPrior() {
        didSet { if policy.learns || features != nil { features = BeliefFeatures(model: model, catalog: catalog, prior: prior) } }
    }
    /// The belief's feature space (nil until a learning policy needs it).
    public private(set) var features: BeliefFeatures?

    public init(model: any TrainedModel, catalog: SimulationCatalog, listens: Bool, slateSize: Int = 10, holdTurns: Int = 3,
                policy: AgentPolicy = .static) {
        precondition(model.itemCount == catalog.itemCount, "the model knows \(model.itemCount) items, the catalog \(catalog.itemCount)")
        self.model = model
        self.catalog = catalog
        parser = InstructionParser(catalog: catalog)
        self.listens = listens
        self.slateSize = slateSize
        self.holdTurns = holdTurns
        self.policy = policy
        if policy.learns { features = BeliefFeatures(model: model, catalog: catalog, prior: prior) }
    }

    /// A fresh memory for catalog user `user`, whose history the model was trained on; `seed` seeds the
    /// Thompson draws of `ts` and `cascade`.
    public func start(user: Int32, history: [Int32], seed: UInt64 = 0) -> AgentMemory {
        let all = (0..<Int32(catalog.itemCount)).map { $0 }
        let raw = model.scores(user: Int(user), items: all)
        var shown = [Bool](repeating: false, count: catalog.itemCount)
        for i in history { shown[Int(i)] = true }
        // Log-rank scores: −ln((rank + 1) / (n + 1)) over the unseen items, best rank 0 (ties by index).
        // Models' raw scales differ (ItemKNN's sparse sums against ALS dot products); ranks do not, so the
        // same action weights mean the same for every model.
        let unseen = all.filter { !shown[Int($0)] }
        let order = unseen.sorted { raw[Int($0)] > raw[Int($1)] || (raw[Int($0)] == raw[Int($1)] && $0 < $1) }
        var z = [Float](repeating: -1e6, count: catalog.itemCount)
        let n = Float(order.count + 1)
        for (rank, i) in order.enumerated() where raw[Int(i)].isFinite { z[Int(i)] = -_log(Float(rank + 1) / n) }
        var memory = AgentMemory(base: z, shown: shown)
        memory.recentTopics = [Float](repeating: 0, count: catalog.topicNames.count)
        memory.baseScale = max(_log(n), 1e-6)
        if policy.learns, let features {
            memory.belief = AgentBelief(features: features)
            memory.rng = SeededGenerator(seed: seed)
            memory.exposure = TopicExposure(topics: catalog.topicNames.count, slateSize: slateSize)
        }
        return memory
    }

    /// Reads an instruction (the simulated user's or a person's); returns the intents understood.
    @discardableResult
    public func listen(_ text: String, memory: inout AgentMemory) -> [Intent] {
        let quoted = "\"\(TerminalText.sanitize(text))\""
        guard listens else {
            memory.heard.append("ignored \(quoted) (baseline)")
            return []
        }
        let intents = parser.parse(text)
        if intents.isEmpty {
            memory.heard.append("did not understand \(quoted)")
            return []
        }
        var done: [String] = []
        for intent in intents { done.append(apply(intent, memory: &memory)) }
        memory.heard.append("heard \(quoted) → " + done.joined(separator: "; "))
        return intents
    }

    /// Turns one intent into actions, replacing actions it contradicts; returns what it did, in words.
    func apply(_ intent: Intent, memory: inout AgentMemory) -> String {
        let reason = intent.label(catalog)
        func keep(_ kind: AgentAction.Kind) {
            memory.actions.removeAll { Self.sameTarget($0.kind, kind) }
            memory.actions.append(AgentAction(kind: kind, turnsLeft: holdTurns, reason: reason))
        }
        let name = { (t: Int32) in catalog.topicNames[Int(t)] }
        switch intent {
        case .avoid(let t):
            keep(.shift(topic: t, weight: -3.0))
            keep(.diversity(weight: 0.5))
            return "down-weight \(name(t)) −3.0, MMR diversity 0.5"
        case .more(let t):
            keep(.shift(topic: t, weight: 1.5))
            return "boost \(name(t)) +1.5"
        case .differentButRelated(let t):
            keep(.shift(topic: t, weight: -2.0))
            // Of the topics that share most items with t, the two it has shown least lately.
            let recent = memory.recentTopics
            let related = catalog.relatedTopics[Int(t)].stableSorted { recent[Int($0)] < recent[Int($1)] }.prefix(2)
            for r in related { keep(.shift(topic: r, weight: 0.6)) }
            keep(.diversity(weight: 0.5))
            return "down-weight \(name(t)) −2.0, boost related \(related.map(name).joined(separator: ", ")) +0.6, MMR diversity 0.5"
        case .moreLike(let i):
            if memory.neighbours[i] == nil { memory.neighbours[i] = model.similarItems(to: Int(i), k: 50).map(\.item) }
            keep(.similarTo(item: i, weight: 1.5))
            return "boost the model's 50 nearest to \(catalog.titles[Int(i)]) up to +1.5"
        case .newer:
            keep(.recency(weight: 0.8))
            return "recency boost 0.8"
        case .lessPopular:
            keep(.popularityPenalty(weight: 1.2))
            return "popularity penalty 1.2"
        case .moreVariety:
            keep(.diversity(weight: 1.0))
            return "MMR diversity 1.0 over topics"
        }
    }

    /// Whether two actions act on the same thing (a newer one replaces an older one).
    static func sameTarget(_ a: AgentAction.Kind, _ b: AgentAction.Kind) -> Bool {
        switch (a, b) {
        case let (.exclude(x), .exclude(y)), let (.exclude(x), .shift(y, _)), let (.shift(x, _), .exclude(y)),
             let (.shift(x, _), .shift(y, _)):
            return x == y
        case let (.similarTo(x, _), .similarTo(y, _)): return x == y
        case (.recency, .recency), (.popularityPenalty, .popularityPenalty), (.diversity, .diversity): return true
        default: return false
        }
    }
}
