import RecCore

/// What a learning agent has shown of each topic, and what of it was clicked, decayed turn by turn: the
/// agent's own record (never the user's satiation), from which its belief learns how the user tires.
///
/// Per topic: items shown with a short memory (halved every turn) and a long one (× 0.85), and clicks with
/// the long memory. An item's exposure features are the largest of each over its topics, in slates' worth
/// of items, with the long shown exposure also squared, so the belief can learn that tiring grows faster
/// than the exposure (a user tolerates some repetition, then not at all).
public struct TopicExposure: Sendable, Equatable {
    public private(set) var recent: [Float]
    public private(set) var lasting: [Float]
    public private(set) var clicked: [Float]
    /// Items per slate: exposures are counted in slates' worth.
    let slateSize: Int

    /// What each memory keeps of a turn.
    public static let recentDecay: Float = 0.5
    public static let lastingDecay: Float = 0.85
    /// Features per item: recent, lasting, clicked, lasting².
    public static let count = 4

    public init(topics: Int, slateSize: Int) {
        recent = [Float](repeating: 0, count: topics)
        lasting = recent
        clicked = recent
        self.slateSize = max(slateSize, 1)
    }

    /// The features of an item with topics `topics`, counting `extra[t]` more items of topic t (the items
    /// already picked for the slate being built), into `out` (`count` floats).
    func features(_ topics: [Int32], extra: [Float]? = nil, into out: UnsafeMutablePointer<Float>) {
        var r: Float = 0, l: Float = 0, c: Float = 0
        for t in topics {
            let more = extra?[Int(t)] ?? 0
            r = max(r, recent[Int(t)] + more)
            l = max(l, lasting[Int(t)] + more)
            c = max(c, clicked[Int(t)])
        }
        let scale = 1 / Float(slateSize)
        out[0] = r * scale
        out[1] = l * scale
        out[2] = c * scale
        out[3] = l * scale * l * scale
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

    /// A new turn's slate was shown: the memories decay, then count its items.
    mutating func show(_ slate: [Int32], catalog: SimulationCatalog) {
        for t in recent.indices {
            recent[t] *= Self.recentDecay
            lasting[t] *= Self.lastingDecay
            clicked[t] *= Self.lastingDecay
        }
        for i in slate {
            for t in catalog.itemTopics[Int(i)] {
                recent[Int(t)] += 1
                lasting[Int(t)] += 1
            }
        }
    }

    /// The user clicked `item`.
    mutating func click(_ item: Int32, catalog: SimulationCatalog) {
        for t in catalog.itemTopics[Int(item)] { clicked[Int(t)] += 1 }
    }
}
