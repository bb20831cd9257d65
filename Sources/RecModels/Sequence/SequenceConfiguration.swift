import RecCore

/// The hyperparameters SASRec and BERT4Rec share, as `--param` spells them.
///
/// Defaults were chosen on MovieLens-100k's leave-one-out validation rows (`bench/sequence_models.py
/// --tune`), never on its test rows. SASRec's valid NDCG@10 at these defaults: 0.1054 (24 epochs to the best);
/// dropout 0.1/0.3/0.5 gave 0.1019/0.1032/0.1044, lr 0.002 0.1031, one layer 0.1049, three 0.1085 (54
/// epochs), max_len 20/100/200 0.1051/0.1155/0.1128 (100 costs 2.3× the time: kept at the 50).
/// BERT4Rec's best was mask_prob 0.4 (0.1225; 0.1/0.2/0.5/0.6 gave 0.0997/0.1082/0.1205/0.1080).
public struct TransformerHyperparameters: Sendable, Equatable {
    public var dim = 64
    public var layers = 2
    public var heads = 2
    /// Width of the feed-forward layer; 0 means 4 × dim.
    public var ffn = 0
    public var maxLen = 50
    public var dropout: Float = 0.2
    public var learningRate: Float = 0.001
    public var weightDecay: Float = 0
    /// The most epochs; training stops earlier when validation NDCG@10 has not improved for `patience`.
    public var epochs = 200
    public var batch = 128
    public var patience = 10
    /// Early stopping waits at least this many epochs (a model that first learns each position's marginal,
    /// as `sidgen` does for about 15 epochs on MovieLens-100k, would otherwise stop on that plateau); the
    /// epochs before it are not validated, and the best epoch is chosen from it on.
    public var minEpochs = 0
    /// 0: full softmax over every item; n > 0: a sampled softmax over the batch's targets and n uniform items.
    public var negatives = 0
    public var seed: UInt64 = 42
    /// Training threads (0: one per processor); the model is the same for any count.
    public var threads = 0

    public init() {}

    /// Reads the parameters `p` sets; the others keep the values of `defaults`.
    public init(_ p: inout ModelParameters, defaults: TransformerHyperparameters = TransformerHyperparameters()) throws {
        self = defaults
        dim = try p.int("dim", default: dim, range: 1...4096)
        heads = try p.int("heads", default: heads, range: 1...64)
        layers = try p.int("layers", default: layers, range: 0...32)
        ffn = try p.int("ffn", default: ffn, range: 0...65_536)
        maxLen = try p.int("max_len", default: maxLen, range: 2...4096)
        dropout = try p.float("dropout", default: dropout)
        learningRate = try p.float("lr", default: learningRate)
        weightDecay = try p.float("weight_decay", default: weightDecay)
        epochs = try p.int("epochs", default: epochs, range: 0...100_000)
        batch = try p.int("batch", default: batch, range: 1...1_000_000)
        patience = try p.int("patience", default: patience, range: 1...100_000)
        minEpochs = try p.int("min_epochs", default: minEpochs, range: 0...100_000)
        negatives = try p.int("negatives", default: negatives, range: 0...10_000_000)
        seed = try p.seed()
        threads = try p.int("threads", default: threads, range: 0...1024)
        guard dim % heads == 0 else {
            throw ModelError.badParameter(model: p.model, name: "heads", value: String(heads),
                                          expected: "a divisor of dim=\(dim) (each head reads dim/heads values)")
        }
        guard dropout < 1 else {
            throw ModelError.badParameter(model: p.model, name: "dropout", value: _param(dropout), expected: "a probability below 1")
        }
    }

    /// The stored form (`threads` changes nothing and is left out, so a stored model matches any thread count;
    /// `min_epochs` appears when set, so models stored before it existed still match).
    public var params: [String: String] {
        (minEpochs > 0 ? ["min_epochs": String(minEpochs)] : [:]).merging(["dim": String(dim), "heads": String(heads), "layers": String(layers), "ffn": String(ffnWidth),
         "max_len": String(maxLen), "dropout": _param(dropout), "lr": _param(learningRate),
         "weight_decay": _param(weightDecay), "epochs": String(epochs), "batch": String(batch),
         "patience": String(patience), "negatives": String(negatives), "seed": String(seed)]) { a, _ in a }
    }

    public var ffnWidth: Int { ffn == 0 ? 4 * dim : ffn }

    func shape(items: Int, masked: Bool) -> TransformerShape {
        TransformerShape(items: items, tokens: masked ? items + 1 : items, dim: dim, heads: heads, layers: layers,
                         ffn: ffnWidth, maxLen: maxLen)
    }
}
