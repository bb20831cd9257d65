import RecCore

/// BERT4Rec (Sun et al., CIKM 2019): a bidirectional transformer over each user's recent items, trained to
/// recover items replaced by `[mask]` (each position with probability `mask_prob`), served by appending
/// `[mask]` after the user's last item and scoring every item against its hidden state.
public typealias BERT4Rec = TransformerRecommender<MaskedItemTraining>

/// BERT4Rec's variant: bidirectional attention, the masked positions as targets.
public enum MaskedItemTraining: TransformerVariant {
    public struct Configuration: ModelConfiguration, Equatable {
        public var network = TransformerHyperparameters()
        public var maskProbability: Float = 0.4
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

    public static let kind = ModelKind.bert4rec
    public static func network(_ c: Configuration) -> TransformerHyperparameters { c.network }
    public static func maskProbability(_ c: Configuration) -> Float? { c.maskProbability }
}
