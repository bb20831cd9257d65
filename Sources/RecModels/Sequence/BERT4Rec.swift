import RecCore

/// BERT4Rec (Sun et al., CIKM 2019): a bidirectional transformer over each user's recent items, trained to
/// recover items replaced by `[mask]` (each position with probability `mask_prob`), served by appending
/// `[mask]` after the user's last item and scoring every item against its hidden state.
public struct BERT4Rec: AttentionExplaining {
    public struct Configuration: ModelConfiguration, Equatable {
        public var network = TransformerHyperparameters()
        public var maskProbability: Float = 0.2
        public init() {}
        public init(_ p: inout ModelParameters) throws {
            network = try TransformerHyperparameters(&p)
            maskProbability = try p.float("mask_prob", default: maskProbability)
            guard maskProbability > 0 && maskProbability <= 1 else {
                throw ModelError.badParameter(model: p.model, name: "mask_prob", value: _param(maskProbability),
                                              expected: "a probability in (0, 1]")
            }
        }
        public var params: [String: String] { network.params.merging(["mask_prob": _param(maskProbability)]) { a, _ in a } }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let core: SequenceRecommenderCore
    public let bestEpoch: Int
    public let validationNDCG: Double?

    init(train: InteractionMatrix, configuration c: Configuration, context: TrainingContext, progress: TrainingProgress?) {
        let histories = SequenceInputs.histories(train: train, context: context)
        let trainer = SequenceTrainer(kind: .bert4rec, hyper: c.network, maskProbability: c.maskProbability, histories: histories,
                                      validation: SequenceInputs.validation(context, users: train.userCount), items: train.itemCount)
        let fitted = trainer.train(progress: progress)
        userCount = train.userCount
        itemCount = train.itemCount
        params = c.params
        bestEpoch = fitted.epoch
        validationNDCG = fitted.ndcg
        core = SequenceRecommenderCore(network: fitted.network, histories: histories, ranking: _PopularityRanking(train: train))
    }

    public init(artifact: ModelArtifact) throws {
        var p = ModelParameters(artifact.params, model: Self.kind.rawValue)
        let c = try Configuration(&p)
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        core = try SequenceRecommenderCore(artifact: artifact, hyper: c.network, masked: true)
        bestEpoch = 0
        validationNDCG = nil
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] { core.recommend(user: user, k: k, exclude: exclude) }
    public func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        core.recommend(users: users, k: k, exclude: exclude)
    }
    public func scores(user: Int, items: [Int32]) -> [Float] { core.scores(user: user, items: items) }
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { core.similarItems(to: item, k: k) }
    /// The last block's attention from the appended `[mask]` over the user's recent items.
    public func attention(user: Int) -> AttentionTrace? { core.attention(user: user) }
    public func itemSimilarity(_ a: Int, _ b: Int) -> Float { core.itemSimilarity(a, b) }
    public func artifact() -> ModelArtifact {
        ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: core.artifactArrays())
    }
}

extension BERT4Rec: RegisteredModel {
    public static let kind = ModelKind.bert4rec
    public static var needs: TrainingNeeds { [.sequences, .validation] }

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> BERT4Rec {
        BERT4Rec(train: matrix, configuration: configuration, context: context, progress: progress)
    }
}
