import RecCore

/// What a learning agent has shown of each topic, and what of it was clicked, decayed turn by turn: the
/// agent's own record (never the user's satiation), from which its belief learns how users tire.
///
/// Per topic and per memory length (each turn keeps `decays[m]` of the last), two counts: attention on the
/// topic's items, each shown item counting the position-based attention 1/log₂(p + 2) of its slot (the
/// DCG discount: the agent assumes nothing about the user's real attention), and clicks. An item's
/// exposure features are, per memory, the largest attention and the largest clicks over its topics in
/// slates' worth, and the square of their sum, so the belief can learn that tiring grows faster than the
/// exposure (a user tolerates some repetition, then not at all). Which of them matter, and how much, is
/// fitted on logged sessions (`BeliefPrior.fitted`) and then per user.
public struct TopicExposure: Sendable, Equatable {
    /// `topics × memories` attention counts and click counts, topic-major.
    public private(set) var attention: [Float]
    public private(set) var clicks: [Float]
    let topics: Int
    /// Attention of a whole slate (Σ 1/log₂(p + 2)) and its size: the units of the features.
    let slateAttention: Float
    let slateSize: Int

    /// What each memory keeps of a turn: short, medium, long.
    public static let decays: [Float] = [0.5, 0.75, 0.9]
    static let memories = decays.count
    /// Features per item: per memory, attention, clicks and (attention + clicks)².
    public static let count = 3 * memories

    /// The attention the agent assumes for slate position `p` (0-based): 1/log₂(p + 2).
    public static func positionAttention(_ p: Int) -> Float { 0.693_147_2 / _log(Float(p + 2)) }

    public init(topics: Int, slateSize: Int) {
        self.topics = topics
        attention = [Float](repeating: 0, count: topics * Self.memories)
        clicks = attention
        self.slateSize = max(slateSize, 1)
        slateAttention = (0..<max(slateSize, 1)).reduce(0) { $0 + Self.positionAttention($1) }
    }

    /// The features of an item with topics `topics`, counting `extra[t]` more attention on topic t (the
    /// items already picked for the slate being built, at their positions), into `out` (`count` floats).
    func features(_ topics: [Int32], extra: [Float]? = nil, into out: UnsafeMutablePointer<Float>) {
        let m = Self.memories
        let a = 1 / slateAttention, c = 1 / Float(slateSize)
        for k in 0..<m {
            var most: Float = 0, clicked: Float = 0
            for t in topics {
                most = max(most, attention[Int(t) * m + k] + (extra?[Int(t)] ?? 0))
                clicked = max(clicked, clicks[Int(t) * m + k])
            }
            let sum = most * a + clicked * c
            out[3 * k] = most * a
            out[3 * k + 1] = clicked * c
            out[3 * k + 2] = sum * sum
        }
    }

    /// The features of an item with topics `topics`, as an array.
    func features(_ topics: [Int32], extra: [Float]? = nil) -> [Float] {
        var out = [Float](repeating: 0, count: Self.count)
        out.withUnsafeMutableBufferPointer { features(topics, extra: extra, into: $0.baseAddress!) }
        return out
    }

    /// The features of topic `t` itself.
    func features(topic t: Int) -> [Float] {
        features([Int32(t)])
    }

    /// A new turn's slate was shown: the memories decay, then count its items at their positions.
    mutating func show(_ slate: [Int32], catalog: SimulationCatalog) {
        let m = Self.memories
        for t in 0..<topics {
            for k in 0..<m {
                attention[t * m + k] *= Self.decays[k]
                clicks[t * m + k] *= Self.decays[k]
            }
        }
        for (p, i) in slate.enumerated() {
            let w = Self.positionAttention(p)
            for t in catalog.itemTopics[Int(i)] {
                for k in 0..<m { attention[Int(t) * m + k] += w }
            }
        }
    }

    /// The user clicked `item`.
    mutating func click(_ item: Int32, catalog: SimulationCatalog) {
        let m = Self.memories
        for t in catalog.itemTopics[Int(item)] {
            for k in 0..<m { clicks[Int(t) * m + k] += 1 }
        }
    }
}
