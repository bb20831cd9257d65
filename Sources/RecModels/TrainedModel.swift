import RecCore

/// The models RecModels trains, by the name the command line uses.
public enum ModelKind: String, Sendable, CaseIterable, Codable {
    case pop, itemknn, als, bpr, ease, sid, rank

    /// Trains this kind of model on a user × item matrix with parameters as the command line spells them.
    ///
    /// Unknown parameter names and unparsable values are errors that list what the model accepts.
    /// `recent` is, for `pop` with `window_days`, the interactions inside the window (the caller knows
    /// the timestamps; matrices do not). `context` carries what `sid` and `rank` read beyond the matrix
    /// (time-ordered sequences, valid rows, categories); the other models ignore it.
    public func train(_ matrix: InteractionMatrix, params: [String: String] = [:], recent: InteractionMatrix? = nil,
                      context: TrainingContext = .none, progress: TrainingProgress? = nil) throws -> any TrainedModel {
        let recent = recent ?? context.recent
        var p = ModelParameters(params, model: rawValue)
        let model: any TrainedModel
        switch self {
        case .pop:
            let config = try Popularity.Configuration(&p)
            try p.finish()
            if config.windowDays > 0 && recent == nil {
                throw ModelError.badParameter(model: "pop", name: "window_days", value: _param(config.windowDays),
                                              expected: "the interactions inside the window as well (pass `recent`)")
            }
            model = Popularity(train: matrix, counting: config.windowDays > 0 ? recent : nil, configuration: config)
        case .itemknn:
            let config = try ItemKNN.Configuration(&p)
            try p.finish()
            model = ItemKNN(train: matrix, configuration: config)
        case .als:
            let config = try ALS.Configuration(&p)
            try p.finish()
            model = try ALS(train: matrix, configuration: config, progress: progress)
        case .bpr:
            let config = try BPR.Configuration(&p)
            try p.finish()
            model = BPR(train: matrix, configuration: config, progress: progress)
        case .ease:
            let config = try EASE.Configuration(&p)
            try p.finish()
            model = try EASE(train: matrix, configuration: config)
        case .sid:
            let config = try SemanticIDRetriever.Configuration(&p)
            try p.finish()
            model = try SemanticIDRetriever(train: matrix, sequences: context.sequences, stored: context.semanticIDs,
                                            configuration: config, progress: progress)
        case .rank:
            let config = try GenerateRank.Configuration(&p)
            try p.finish()
            model = try GenerateRank(train: matrix, context: context, configuration: config, progress: progress)
        }
        return model
    }

    /// The full parameters a model trained with `params` would store (defaults filled in), without training.
    /// Two requests with equal resolved parameters train equal models.
    public func resolvedParams(_ params: [String: String]) throws -> [String: String] {
        var p = ModelParameters(params, model: rawValue)
        let resolved: [String: String]
        switch self {
        case .pop: resolved = try Popularity.Configuration(&p).params
        case .itemknn: resolved = try ItemKNN.Configuration(&p).params
        case .als: resolved = try ALS.Configuration(&p).params
        case .bpr: resolved = try BPR.Configuration(&p).params
        case .ease: resolved = try EASE.Configuration(&p).params
        case .sid: resolved = try SemanticIDRetriever.Configuration(&p).params
        case .rank: resolved = try GenerateRank.Configuration(&p).params
        }
        try p.finish()
        return resolved
    }

    /// The catalog spaces whose stored semantic IDs a model trained with `params` reads (`sid` and `rank`
    /// with `space=NAME` / `sid.space=NAME`); empty for the others.
    public func semanticIDSpaces(_ params: [String: String]) throws -> [String] {
        var p = ModelParameters(params, model: rawValue)
        switch self {
        case .sid: return try SemanticIDRetriever.Configuration(&p).space.map { [$0] } ?? []
        case .rank: return try GenerateRank.Configuration(&p).sid.space.map { [$0] } ?? []
        default: return []
        }
    }

    /// Rebuilds a stored model of this kind.
    public func load(_ artifact: ModelArtifact) throws -> any TrainedModel {
        guard artifact.kind == self else {
            throw ModelError.corruptArtifact("artifact is a \(artifact.kind.rawValue) model, expected \(rawValue)")
        }
        switch self {
        case .pop: return try Popularity(artifact: artifact)
        case .itemknn: return try ItemKNN(artifact: artifact)
        case .als: return try ALS(artifact: artifact)
        case .bpr: return try BPR(artifact: artifact)
        case .ease: return try EASE(artifact: artifact)
        case .sid: return try SemanticIDRetriever(artifact: artifact)
        case .rank: return try GenerateRank(artifact: artifact)
        }
    }

    /// Parses a model name as the command line spells it; the error lists the known names.
    public init(named name: String) throws {
        guard let kind = ModelKind(rawValue: name.lowercased()) else {
            throw ModelError.unknownModel(name)
        }
        self = kind
    }
}

/// A trained, immutable model: ranks, scores candidates, finds similar items, and stores itself.
///
/// A user index at or past `userCount`, or a user with no training history, gets the model's
/// non-personal answer (training popularity), never a crash. `k` larger than the item count returns
/// every eligible item. Results are deterministic: ties break by lower item index.
public protocol TrainedModel: Recommender {
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

/// Why a model could not be trained, loaded or configured; the message says what to change.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unknownModel(String)
    case unknownParameter(model: String, name: String, known: [String])
    case badParameter(model: String, name: String, value: String, expected: String)
    case infeasible(String)
    case corruptArtifact(String)

    public var description: String {
        switch self {
        case .unknownModel(let name):
            return "unknown model '\(name)' (expected one of: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")))"
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
}

/// Receives training progress; called on the training thread after each epoch.
public typealias TrainingProgress = @Sendable (TrainingEvent) -> Void
