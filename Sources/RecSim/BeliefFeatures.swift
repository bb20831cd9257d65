import RecCore
import RecModels

/// The feature space of the agent's belief, shared by every session of one agent.
///
/// An item shown at slot p of turn t has features φ = [b̃ᵢ, eᵢ, aₚ, t/10, 1, popᵢ, newᵢ, xᵢ, tᵢ]: the base
/// model's log-rank score scaled to [0, 1] (per user); the exposure of its topics in the agent's own slates
/// (`TopicExposure`, earlier items of the slate being built included); the slot's assumed attention
/// 1/log₂(p + 2) and the turn (so that neither is mistaken for tiring); a bias; the item's popularity and
/// newness percentiles; its item vector xᵢ (the model's item factors when it has them, else the catalog's
/// taste vectors; unit length, centred, unit length again); and its topics tᵢ (indicators over √|T(i)|, unit length).
///
/// The first `sharedCount` coefficients (up to newness) describe users in general: their prior mean is
/// fitted on logged sessions (`BeliefPrior.fitted`), or is the base ranking alone. The item-vector and
/// topic coefficients describe one user: prior mean 0, learnt within the session.
public struct BeliefFeatures: Sendable {
    /// `itemCount` rows of [1, popᵢ, newᵢ, xᵢ, tᵢ].
    public let items: DenseMatrix
    /// Width of the item vectors xᵢ.
    public let vectorWidth: Int
    /// Where the item vectors came from: `"als item factors"`, `"catalog taste vectors"`.
    public let vectorSource: String
    /// Each topic's mean row of `items` (over its items), for reading the belief per topic.
    public let topicMeans: DenseMatrix
    /// The distinct topic sets of the items (in order of first appearance) and each item's set: items with
    /// the same topics share their exposure features.
    let topicSets: (members: [[Int32]], ofItem: [Int32])
    /// Prior mean and variance of each of the `dimension` coefficients.
    public let priorMean: [Float]
    public let priorVariance: [Float]
    /// Response noise variance σ² (a click is 1, a skip 0: at most ¼ for a Bernoulli response).
    public let noise: Float = 0.25
    /// The prior's standard deviations and, when fitted, the shared coefficients' means.
    public let prior: BeliefPrior

    /// Coefficients: base slope, the exposures, slot and turn, then the columns of `items`.
    public var dimension: Int { Self.perTurn + items.cols }
    /// Features filled in per session, slot and turn (base score, exposures, slot attention, turn).
    static let perTurn = 1 + TopicExposure.count + 2
    /// Index of the slot-attention and turn features.
    static let slotIndex = 1 + TopicExposure.count
    static let turnIndex = slotIndex + 1
    /// Columns of `items` before xᵢ: bias, popularity, newness.
    static let vectorColumn = 3
    /// Coefficients shared by users in general (the rest are one user's).
    public static let sharedCount = perTurn + vectorColumn

    /// The base slope's prior mean when no fitted prior is given: the predicted response to the
    /// best-ranked item.
    public static let baseSlope: Float = 0.6

    /// Features over `model`'s item factors when it is an `ItemFactorModel`, else over `catalog`'s vectors.
    public init(model: any TrainedModel, catalog: SimulationCatalog, prior: BeliefPrior = BeliefPrior()) {
        if let factored = model as? any ItemFactorModel, factored.itemFactors.rows == catalog.itemCount {
            let f = factored.itemFactors
            self.init(catalog: catalog, vectorWidth: f.cols, source: "\(model.name) item factors", prior: prior) { i, out in
                out.update(from: f.row(i), count: f.cols)
            }
        } else {
            self.init(catalog: catalog, vectorWidth: catalog.dimension, source: "catalog taste vectors", prior: prior) { i, out in
                for j in 0..<catalog.dimension { out[j] = catalog.embeddings[i * catalog.dimension + j] }
            }
        }
    }

    /// Features whose item vectors `fill(i, row)` writes (`vectorWidth` floats; normalised here).
    init(catalog: SimulationCatalog, vectorWidth: Int, source: String, prior: BeliefPrior,
         fill: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let topics = catalog.topicNames.count
        let v0 = Self.vectorColumn
        var m = DenseMatrix(rows: catalog.itemCount, cols: v0 + vectorWidth + topics)
        var centre = [Float](repeating: 0, count: vectorWidth)
        for i in 0..<catalog.itemCount {
            let row = m.mutableRow(i)
            row[0] = 1
            row[1] = catalog.popularity[i]
            row[2] = catalog.newness[i]
            let x = row + v0
            fill(i, x)
            let norm = Kernels.norm(UnsafePointer(x), count: vectorWidth)
            if norm > 0 { Kernels.scale(x, by: 1 / norm, count: vectorWidth) }
            centre.withUnsafeMutableBufferPointer { Kernels.axpy(1 / Float(catalog.itemCount), UnsafePointer(x), $0.baseAddress!, count: vectorWidth) }
            let own = catalog.itemTopics[i]
            for t in own { row[v0 + vectorWidth + Int(t)] = 1 / Float(own.count).squareRoot() }
        }
        // Centred, then unit length again: the direction every item shares is the bias's business, and left
        // in, it makes any two items look alike (a click on one would raise them all).
        for i in 0..<catalog.itemCount {
            let x = m.mutableRow(i) + v0
            centre.withUnsafeBufferPointer { Kernels.axpy(-1, $0.baseAddress!, x, count: vectorWidth) }
            let norm = Kernels.norm(UnsafePointer(x), count: vectorWidth)
            if norm > 0 { Kernels.scale(x, by: 1 / norm, count: vectorWidth) }
        }
        var means = DenseMatrix(rows: topics, cols: m.cols)
        for t in 0..<topics {
            let members = catalog.topicItems[t]
            guard !members.isEmpty else { continue }
            let out = means.mutableRow(t)
            for i in members { Kernels.axpy(1 / Float(members.count), m.row(Int(i)), out, count: m.stride) }
        }
        items = m
        var setIndex: [[Int32]: Int32] = [:], members: [[Int32]] = []
        let ofItem = catalog.itemTopics.map { topics -> Int32 in
            if let s = setIndex[topics] { return s }
            setIndex[topics] = Int32(members.count)
            members.append(topics)
            return Int32(members.count - 1)
        }
        topicSets = (members, ofItem)
        self.vectorWidth = vectorWidth
        vectorSource = source
        topicMeans = means
        let k = Self.perTurn
        var mean = [Float](repeating: 0, count: k + m.cols), variance = mean
        func square(_ x: Float) -> Float { x * x }
        if let shared = prior.shared, shared.count == Self.sharedCount {
            for j in 0..<Self.sharedCount { mean[j] = shared[j] }
        } else {
            mean[0] = Self.baseSlope
        }
        variance[0] = square(prior.baseSlope)
        for j in 1...TopicExposure.count { variance[j] = square(prior.exposure) }
        variance[Self.slotIndex] = square(prior.context)
        variance[Self.turnIndex] = square(prior.context)
        variance[k] = square(prior.bias)
        variance[k + 1] = square(prior.itemTrait)
        variance[k + 2] = square(prior.itemTrait)
        for j in 0..<vectorWidth { variance[k + v0 + j] = square(prior.vector) }
        for j in 0..<topics { variance[k + v0 + vectorWidth + j] = square(prior.topic) }
        self.prior = prior
        priorMean = mean
        priorVariance = variance
    }

    /// The prior mean's base slope: scores in response units times baseScale / this are base log-rank units.
    public var meanSlope: Float { max(priorMean[0], 0.05) }

    /// The cosine of two items' vectors (they are unit length).
    public func vectorSimilarity(_ a: Int32, _ b: Int32) -> Float {
        withExtendedLifetime(items) {
            Kernels.dot(items.row(Int(a)) + Self.vectorColumn, items.row(Int(b)) + Self.vectorColumn, count: vectorWidth)
        }
    }

    /// φ for an item with scaled base score `base` and exposure features `exposure`, shown at 0-based slot
    /// `slot` of turn `turn`, into `out` (`dimension` floats).
    func fill(_ out: UnsafeMutablePointer<Float>, item: Int32, base: Float, exposure: [Float], slot: Int, turn: Int) {
        Self.fillShared(out, base: base, exposure: exposure, slot: slot, turn: turn)
        withExtendedLifetime(items) { (out + Self.perTurn).update(from: items.row(Int(item)), count: items.cols) }
    }

    /// The per-turn part of φ (the first `perTurn` values).
    static func fillShared(_ out: UnsafeMutablePointer<Float>, base: Float, exposure: [Float], slot: Int, turn: Int) {
        out[0] = base
        for j in 0..<TopicExposure.count { out[1 + j] = exposure[j] }
        out[Self.slotIndex] = TopicExposure.positionAttention(slot)
        out[Self.turnIndex] = Float(turn) / 10
    }
}

/// The prior standard deviation of each part of the belief's coefficients, how widely a Thompson draw
/// strays from the mean, and, once fitted on logged sessions, the mean of the coefficients users share.
public struct BeliefPrior: Sendable, Equatable {
    /// Of the base model's slope.
    public var baseSlope: Float = 0.1
    /// Of each exposure coefficient.
    public var exposure: Float = 0.3
    /// Of the slot-attention and turn coefficients.
    public var context: Float = 0.05
    /// Of the bias.
    public var bias: Float = 0.1
    /// Of the popularity and newness coefficients (a user's conformity and appetite for new items).
    public var itemTrait: Float = 0.15
    /// Of each item-vector coefficient.
    public var vector: Float = 0.2
    /// Of each topic coefficient (small: the item vectors carry most of a user's taste, and topic
    /// coefficients that move fast chase the topics just clicked, which tire the user soonest).
    public var topic: Float = 0.05
    /// A Thompson draw is μ + scale·(a draw from N(0, A⁻¹)); 1 is the posterior itself. A quarter: a
    /// session is some 10-30 slates, too short to pay for exploring at the posterior's full width
    /// (scaled Thompson sampling, Chapelle & Li 2011).
    public var explorationScale: Float = 0.25
    /// The prior mean of the first `BeliefFeatures.sharedCount` coefficients, fitted on logged sessions
    /// (nil: the base ranking alone, every other coefficient 0).
    public var shared: [Float]?

    public init() {}
}
