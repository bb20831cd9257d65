import RecCore

/// Per-user dispositions, each in [0, 1], drawn from the user's history and the seed.
public struct Traits: Sendable, Equatable, Codable {
    /// How much patience the user brings: more active users stay longer.
    public var activity: Float
    /// Liking for what is popular (Abdollahpouri's popularity conformity).
    public var conformity: Float
    /// Appetite for new releases.
    public var noveltyAppetite: Float

    public init(activity: Float, conformity: Float, noveltyAppetite: Float) {
        self.activity = activity
        self.conformity = conformity
        self.noveltyAppetite = noveltyAppetite
    }
}

/// A simulated user built from a real catalog user: topic interests and a taste vector from the
/// training history, the held-out future as ground truth of taste, and seeded traits.
public struct Persona: Sendable, Equatable {
    /// The catalog user's dense index and external id.
    public let user: Int32
    public let name: String
    /// Training history, in time order.
    public let history: [Int32]
    /// Held-out future items, ascending.
    public let future: [Int32]
    /// Interest per topic: share of the history in that topic, smoothed, scaled so the largest is 1.
    public let interests: [Float]
    /// Unit-length mean of the history's taste vectors.
    public let interestVector: [Float]
    public let traits: Traits

    public init(user: Int32, name: String, history: [Int32], future: [Int32], interests: [Float],
                interestVector: [Float], traits: Traits) {
        self.user = user
        self.name = name
        self.history = history
        self.future = future.sorted()
        self.interests = interests
        self.interestVector = interestVector
        self.traits = traits
    }

    /// Builds the persona of catalog user `user` from its history and future.
    ///
    /// Traits: activity = 0.3 + 0.4·(history length percentile proxy) + 0.3·U; conformity = 0.6·(mean
    /// popularity percentile of the history) + 0.4·U; novelty appetite = 0.5·(mean newness) + 0.5·U,
    /// with U uniform draws from `seed`.
    public init(user: Int32, name: String, history: [Int32], future: [Int32], catalog: SimulationCatalog, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var counts = [Float](repeating: 0.05, count: catalog.topicNames.count)
        var vector = [Float](repeating: 0, count: catalog.dimension)
        var popularity: Float = 0, newness: Float = 0
        for item in history {
            for t in catalog.itemTopics[Int(item)] { counts[Int(t)] += 1 }
            let base = Int(item) * catalog.dimension
            for j in 0..<catalog.dimension { vector[j] += catalog.embeddings[base + j] }
            popularity += catalog.popularity[Int(item)]
            newness += catalog.newness[Int(item)]
        }
        let top = counts.max() ?? 1
        let n = Float(max(history.count, 1))
        let lengthScore = min(1, Float(history.count) / 200)
        let traits = Traits(
            activity: min(1, 0.3 + 0.4 * lengthScore + 0.3 * rng.nextUnitFloat()),
            conformity: min(1, 0.6 * popularity / n + 0.4 * rng.nextUnitFloat()),
            noveltyAppetite: min(1, 0.5 * newness / n + 0.5 * rng.nextUnitFloat()))
        self.init(user: user, name: name, history: history, future: future, interests: counts.map { $0 / top },
                  interestVector: _unit(vector), traits: traits)
    }

    /// The topics the user likes most, best first (ties by topic index).
    public func favouriteTopics(_ k: Int) -> [Int32] {
        interests.indices.sorted { interests[$0] > interests[$1] || (interests[$0] == interests[$1] && $0 < $1) }
            .prefix(k).map(Int32.init)
    }
}

/// `v` scaled to unit length (zero stays zero).
func _unit(_ v: [Float]) -> [Float] {
    var norm: Float = 0
    for x in v { norm += x * x }
    guard norm > 0 else { return v }
    let scale = 1 / norm.squareRoot()
    return v.map { $0 * scale }
}
