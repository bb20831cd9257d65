import RecCore

/// A trained, immutable model: ranks, scores candidates, finds similar items, and stores itself.
///
/// A user index at or past `userCount`, or a user with no training history, gets the model's
/// non-personal answer (training popularity), never a crash. `k` larger than the item count returns
/// every eligible item. Results are deterministic: ties break by lower item index.
public protocol TrainedModel: ItemExplaining {
    var kind: ModelKind { get }
    /// The parameters it was trained with, as `ModelArtifact.params`.
    var params: [String: String] { get }
    /// Scores of `items` for `user`, in the order given (unknown users: popularity counts).
    func scores(user: Int, items: [Int32]) -> [Float]
    /// The `k` items most like `item` by this model's own similarity, never `item` itself.
    func similarItems(to item: Int, k: Int) -> [ScoredItem]
    /// Everything needed to rebuild this model exactly (`ModelKind.load`).
    func artifact() -> ModelArtifact
}

extension TrainedModel {
    public var name: String { kind.rawValue }
}

/// A model that scores through item factors (one row per item), which other code may use as item vectors:
/// the simulator's learning agent models a user's responses over them.
public protocol ItemFactorModel: TrainedModel {
    /// `itemCount` rows, one factor vector per item.
    var itemFactors: DenseMatrix { get }
}

extension ALS: ItemFactorModel {}
extension BPR: ItemFactorModel {}
extension SemanticIDRetriever: ItemFactorModel {}

/// Why a model could not be trained, loaded or configured; the message says what to change.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unknownModel(String)
    /// An imported run (`ext:NAME`) asked to be trained: it is stored by `import-run`, or it is not in the catalog.
    case notTrainable(String)
    case unknownParameter(model: String, name: String, known: [String])
    case badParameter(model: String, name: String, value: String, expected: String)
    case infeasible(String)
    case corruptArtifact(String)

    public var description: String {
        switch self {
        case .unknownModel(let name):
            return "unknown model '\(name)' (expected one of: \(ModelKind.namesWithRuns))"
        case .notTrainable(let name):
            return "\(name) is an imported run, which is stored, never trained; when the catalog holds no run by that "
                + "name, import it with recscope import-run --name \(name.dropFirst(ModelKind.externalPrefix.count)) FILE"
        case let .unknownParameter(model, name, known):
            return "\(model) has no parameter '\(name)' (expected one of: \(known.joined(separator: ", "))); "
                + "to set a parameter for one model only, write MODEL.NAME=VALUE, e.g. als.factors=32"
        case let .badParameter(model, name, value, expected):
            return "\(model) parameter \(name)=\(value): expected \(expected)"
        case .infeasible(let message):
            return message
        case .corruptArtifact(let message):
            return "stored model is damaged: \(message); retrain it with recscope train"
        }
    }
}

/// One report of training progress: the epoch just finished, its loss (when computed) and the time so far.
public struct TrainingEvent: Sendable {
    public let model: ModelKind
    public let epoch: Int
    public let epochs: Int
    public let loss: Double?
    public let seconds: Double
    /// The validation rows' NDCG@10 after this epoch, for models that stop early on it.
    public var validation: Double? = nil
    /// This epoch's pass over the training data alone (no validation), when the model times it.
    public var epochSeconds: Double? = nil
    /// True on the last event of a run (the last epoch, or the one early stopping ends on).
    public var isLast = false

    /// Whether no further event follows.
    public var finishes: Bool { isLast || epoch >= epochs }
}

/// Receives training progress; called on the training thread after each epoch.
public typealias TrainingProgress = @Sendable (TrainingEvent) -> Void
