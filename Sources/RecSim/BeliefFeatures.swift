import RecCore
import RecModels

/// The feature space of the agent's belief, shared by every session of one agent.
///
/// An item's features are φ(i) = [b̃ᵢ, eᵢ, 1, xᵢ, tᵢ]: the base model's log-rank score scaled to [0, 1]
/// (per user); the exposure of its topics in the agent's own slates (`TopicExposure`: recent and lasting
/// shown, clicked, lasting squared; earlier items of the slate being built included); a bias; its item
/// vector xᵢ (the model's item factors when it has them, else the catalog's taste vectors; unit length); and
/// its topics tᵢ (indicators over √|T(i)|, unit length). The last three are fixed per item and stored here as
/// one row per item; the first ones are filled in per session and position. The exposures let the belief
/// learn how a user tires of what the agent keeps showing.
public struct BeliefFeatures: Sendable {
    /// `itemCount` rows of [1, xᵢ, tᵢ].
    public let items: DenseMatrix
    /// Width of the item vectors xᵢ.
    public let vectorWidth: Int
    /// Where the item vectors came from: `"als item factors"`, `"catalog taste vectors"`.
    public let vectorSource: String
    /// Each topic's mean row of `items` (over its items), for reading the belief per topic.
    public let topicMeans: DenseMatrix
    /// Prior mean and variance of each of the `dimension` coefficients.
    public let priorMean: [Float]
    public let priorVariance: [Float]
    /// Response noise variance σ² (a click is 1, a skip 0: at most ¼ for a Bernoulli response).
    public let noise: Float = 0.25
    /// The prior's standard deviations.
    public let prior: BeliefPrior

    /// Coefficients: base slope, the exposures, then the columns of `items`.
    public var dimension: Int { Self.perTurn + items.cols }
    /// Features filled in per session and position (the base score and the exposures).
    static let perTurn = 1 + TopicExposure.count
    /// The column of xᵢ's first value within `items`.
    static let vectorColumn = 1

    /// The prior click response of the best-ranked item: the base slope's prior mean.
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
    init(catalog: SimulationCatalog, vectorWidth: Int, source: String, prior: BeliefPrior, fill: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let topics = catalog.topicNames.count
        var m = DenseMatrix(rows: catalog.itemCount, cols: 1 + vectorWidth + topics)
        for i in 0..<catalog.itemCount {
            let row = m.mutableRow(i)
            row[0] = 1
            let x = row + Self.vectorColumn
            fill(i, x)
            let norm = Kernels.norm(UnsafePointer(x), count: vectorWidth)
            if norm > 0 { Kernels.scale(x, by: 1 / norm, count: vectorWidth) }
            let own = catalog.itemTopics[i]
            for t in own { row[1 + vectorWidth + Int(t)] = 1 / Float(own.count).squareRoot() }
        }
        var means = DenseMatrix(rows: topics, cols: m.cols)
        for t in 0..<topics {
            let members = catalog.topicItems[t]
            guard !members.isEmpty else { continue }
            let out = means.mutableRow(t)
            for i in members { Kernels.axpy(1 / Float(members.count), m.row(Int(i)), out, count: m.stride) }
        }
        items = m
        self.vectorWidth = vectorWidth
        vectorSource = source
        topicMeans = means
        // Prior: the base ranking, scaled, predicts the response; the rest starts at zero with variances
        // that let each part move a prediction by about 0.1-0.2 (responses are 0 or 1).
        let k = Self.perTurn
        var mean = [Float](repeating: 0, count: k + m.cols), variance = mean
        func square(_ x: Float) -> Float { x * x }
        mean[0] = Self.baseSlope
        variance[0] = square(prior.baseSlope)
        for j in 1..<k { variance[j] = square(prior.exposure) }
        variance[k] = square(prior.bias)
        for j in 0..<vectorWidth { variance[k + 1 + j] = square(prior.vector) }
        for j in 0..<topics { variance[k + 1 + vectorWidth + j] = square(prior.topic) }
        self.prior = prior
        priorMean = mean
        priorVariance = variance
    }

    /// The cosine of two items' vectors (they are unit length).
    public func vectorSimilarity(_ a: Int32, _ b: Int32) -> Float {
        withExtendedLifetime(items) {
            Kernels.dot(items.row(Int(a)) + Self.vectorColumn, items.row(Int(b)) + Self.vectorColumn, count: vectorWidth)
        }
    }

    /// φ(i) for an item with scaled base score `base` and exposure features `exposure`, into `out`
    /// (`dimension` floats).
    func fill(_ out: UnsafeMutablePointer<Float>, item: Int32, base: Float, exposure: [Float]) {
        out[0] = base
        for j in 0..<TopicExposure.count { out[1 + j] = exposure[j] }
        withExtendedLifetime(items) { (out + Self.perTurn).update(from: items.row(Int(item)), count: items.cols) }
    }
}


/// The prior standard deviation of each part of the belief's coefficients, and how widely a Thompson draw
/// strays from the mean: each part can move a predicted response (0 or 1) by about 0.1-0.2 before evidence.
public struct BeliefPrior: Sendable, Equatable {
    /// Of the base model's slope (prior mean `BeliefFeatures.baseSlope`).
    public var baseSlope: Float = 0.1
    /// Of each exposure coefficient (prior mean 0).
    public var exposure: Float = 0.2
    /// Of the bias.
    public var bias: Float = 0.2
    /// Of each item-vector coefficient.
    public var vector: Float = 0.15
    /// Of each topic coefficient.
    public var topic: Float = 0.15
    /// A Thompson draw is μ + scale·(a draw from N(0, A⁻¹)); 1 is the posterior itself.
    public var explorationScale: Float = 1

    public init() {}
}
