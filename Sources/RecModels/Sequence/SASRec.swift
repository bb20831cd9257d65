import RecCore

/// SASRec (Kang & McAuley, ICDM 2018): a causal self-attention transformer over each user's recent items,
/// trained to predict every next item with a full softmax over all items (or a sampled one), served by
/// scoring every item against the hidden state after the user's last item.
public typealias SASRec = TransformerRecommender<NextItemTraining>

/// SASRec's variant: causal attention, every position's next item as its target.
public enum NextItemTraining: TransformerVariant {
    public struct Configuration: ModelConfiguration, Equatable {
        public var network = TransformerHyperparameters()
        public init() {}
        public init(_ p: inout ModelParameters) throws { network = try TransformerHyperparameters(&p) }
        public var params: [String: String] { network.params }
    }

    public static let kind = ModelKind.sasrec
    public static func network(_ c: Configuration) -> TransformerHyperparameters { c.network }
    public static func maskProbability(_ c: Configuration) -> Float? { nil }
}
