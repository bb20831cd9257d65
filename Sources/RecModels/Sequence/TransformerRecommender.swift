import RecCore

/// What sets SASRec and BERT4Rec apart: their kind, their parameters, and how they train.
public protocol TransformerVariant: Sendable {
    associatedtype Configuration: ModelConfiguration & Equatable
    static var kind: ModelKind { get }
    static func network(_ configuration: Configuration) -> TransformerHyperparameters
    /// The share of positions replaced by `[mask]` (bidirectional, masked-item training); nil for causal
    /// next-item training.
    static func maskProbability(_ configuration: Configuration) -> Float?
}

/// A trained SASRec or BERT4Rec: the network, each user's window of recent training items, and popularity
/// for users without history (`SequenceRecommenderCore`). Training stops early on the split's valid rows, or,
/// without a split, on each user's last item held out for the purpose (`SequenceInputs.holdingOutLast`).
public struct TransformerRecommender<Variant: TransformerVariant>: AttentionExplaining {
    public typealias Configuration = Variant.Configuration

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let core: SequenceRecommenderCore
    /// The epoch whose weights were kept (early stopping) and its validation NDCG@10 (0 and nil once loaded).
    public let bestEpoch: Int
    public let validationNDCG: Double?

    init(train: InteractionMatrix, configuration c: Configuration, context: TrainingContext, progress: TrainingProgress?) {
        let histories = SequenceInputs.histories(train: train, context: context)
        var trainedOn = histories, validation = SequenceInputs.validation(context, users: train.userCount)
        if !validation.contains(where: { $0 >= 0 }) { (trainedOn, validation) = SequenceInputs.holdingOutLast(histories) }
        let hyper = Variant.network(c), mask = Variant.maskProbability(c)
        let objective = ItemSequenceObjective(hyper: hyper, maskProbability: mask, histories: trainedOn, validation: validation,
                                              items: train.itemCount)
        let trainer = SequenceTrainer(kind: Variant.kind, hyper: hyper, shape: hyper.shape(items: train.itemCount, masked: mask != nil),
                                      causal: mask == nil, objective: objective)
        let fitted = trainer.train(progress: progress)
        userCount = train.userCount
        itemCount = train.itemCount
        params = c.params
        bestEpoch = fitted.epoch
        validationNDCG = fitted.ndcg
        core = SequenceRecommenderCore(network: fitted.network, recent: RecentItems(histories, keep: fitted.network.shape.maxLen),
                                       ranking: _PopularityRanking(train: train))
    }

    public init(artifact: ModelArtifact) throws {
        var p = ModelParameters(artifact.params, model: Variant.kind.rawValue)
        let c = try Configuration(&p)
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        core = try SequenceRecommenderCore(artifact: artifact, hyper: Variant.network(c), masked: Variant.maskProbability(c) != nil)
        bestEpoch = 0
        validationNDCG = nil
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] { core.recommend(user: user, k: k, exclude: exclude) }
    public func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        core.recommend(users: users, k: k, exclude: exclude)
    }
    public func scores(user: Int, items: [Int32]) -> [Float] { core.scores(user: user, items: items) }
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { core.similarItems(to: item, k: k) }
    public func attention(user: Int) -> AttentionTrace? { core.attention(user: user) }
    public func itemSimilarity(_ a: Int, _ b: Int) -> Float { core.itemSimilarity(a, b) }
    public func artifact() -> ModelArtifact {
        ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: core.artifactArrays())
    }
}

extension TransformerRecommender: RegisteredModel {
    public static var kind: ModelKind { Variant.kind }
    public static var needs: TrainingNeeds { [.sequences, .validation] }

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> Self {
        Self(train: matrix, configuration: configuration, context: context, progress: progress)
    }
}

/// Reading a model's inputs out of a training context.
enum SequenceInputs {
    /// Each user's training items in time order: the context's sequences, or (without them) the matrix rows
    /// in index order.
    static func histories(train: InteractionMatrix, context: TrainingContext) -> [[Int32]] {
        (0..<train.userCount).map { u in
            if let s = context.sequences, u < s.userCount { return Array(s.items[s.start[u]..<s.start[u + 1]]) }
            return Array(train.items(ofUser: u))
        }
    }

    /// Without a split's valid rows (training on every interaction), early stopping still needs something to
    /// stop on: each user with three or more items lends their last one as a validation item, trained on
    /// without it; the model then serves from the whole history.
    static func holdingOutLast(_ histories: [[Int32]]) -> (histories: [[Int32]], validation: [Int32]) {
        var kept = histories, validation = [Int32](repeating: -1, count: histories.count)
        for (u, h) in histories.enumerated() where h.count >= 3 {
            validation[u] = h[h.count - 1]
            kept[u].removeLast()
        }
        return (kept, validation)
    }

    /// Each user's first validation item, −1 for none.
    static func validation(_ context: TrainingContext, users: Int) -> [Int32] {
        guard let v = context.validation else { return [Int32](repeating: -1, count: users) }
        return (0..<users).map { u in u < v.userCount ? v.items(ofUser: u).first ?? -1 : -1 }
    }
}
