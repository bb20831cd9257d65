import RecCore

/// The models RecModels knows, by the name the command line uses: the model registry.
///
/// Adding a model touches this file (a case and its `registration`) and the model's own file (its type,
/// adopting `RegisteredModel`). Training, parameters, semantic-ID spaces, loading, what a model needs and
/// the help texts are all looked up through `registration`, never switched on elsewhere.
///
/// `external(NAME)`, spelled `ext:NAME`, is a run another tool made (RecBole, Elliot, LensKit), imported with
/// `recscope import-run`: its stored ranked lists serve as a model (`ExternalRun`). It is never trained, so
/// `allCases` (the models `train` makes) does not list it; a catalog lists its runs.
public enum ModelKind: Sendable, Hashable {
    case pop, itemknn, als, bpr, ease, sid, rank, sasrec, bert4rec, sidgen
    /// An imported run, `ext:NAME`.
    case external(String)

    /// The registry: each kind's model type and a one-line description for help texts.
    var registration: (model: any RegisteredModel.Type, summary: String) {
        switch self {
        case .pop: (Popularity.self, "the most popular items, optionally counted over a recent window")
        case .itemknn: (ItemKNN.self, "item neighbours by shrunk cosine similarity (Sarwar et al. 2001)")
        case .als: (ALS.self, "implicit matrix factorisation by ALS (Hu, Koren & Volinsky 2008)")
        case .bpr: (BPR.self, "matrix factorisation by pairwise ranking (Rendle et al. 2009)")
        case .ease: (EASE.self, "closed-form item-item linear autoencoder (Steck 2019)")
        case .sid: (SemanticIDRetriever.self, "semantic IDs: RQ-KMeans codes of ALS factors, beam search")
        case .rank: (GenerateRank.self, "generate → rank: ALS, ItemKNN and sid candidates, learned ranker")
        case .sasrec: (SASRec.self, "causal self-attention over recent items (Kang & McAuley 2018)")
        case .bert4rec: (BERT4Rec.self, "bidirectional masked-item transformer (Sun et al. 2019)")
        case .sidgen: (SemanticIDGenerator.self, "a transformer writes the next item's semantic ID, beam-decoded")
        case .external: (ExternalRun.self, "a run from another tool, imported with import-run: its lists")
        }
    }

    /// The prefix of an imported run's name: `ext:NAME`.
    public static let externalPrefix = "ext:"

    /// Whether `recscope train` makes this model; imported runs are stored by `import-run` instead.
    public var isTrainable: Bool {
        if case .external = self { false } else { true }
    }

    /// One line (under 70 characters) saying what the model is, for help texts.
    public var summary: String { registration.summary }

    /// What the model reads beyond the training matrix, so a caller builds only that part of its context.
    public var needs: TrainingNeeds { registration.model.needs }

    /// Whether the model can show its attention over a user's recent items (`AttentionExplaining`).
    public var explainsAttention: Bool { registration.model is any AttentionExplaining.Type }

    /// Every trainable model name, comma-separated in registry order (`pop, itemknn, als, …`), for help texts.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// `names` and the imported runs' form, for the help of commands that also read runs.
    public static var namesWithRuns: String { names + " or ext:NAME (a run stored by import-run)" }

    /// Trains this kind of model on a user × item matrix with parameters as the command line spells them.
    ///
    /// Unknown parameter names and unparsable values are errors that list what the model accepts.
    /// `recent` is, for `pop` with `window_days`, the interactions inside the window (the caller knows
    /// the timestamps; matrices do not). `context` carries what `sid` and `rank` read beyond the matrix
    /// (time-ordered sequences, valid rows, categories); the other models ignore it.
    public func train(_ matrix: InteractionMatrix, params: [String: String] = [:], recent: InteractionMatrix? = nil,
                      context: TrainingContext = .none, progress: TrainingProgress? = nil) throws -> any TrainedModel {
        guard isTrainable else { throw ModelError.notTrainable(rawValue) }
        var context = context
        context.recent = recent ?? context.recent
        return try registration.model._train(matrix, params: params, as: self, context: context, progress: progress)
    }

    /// The full parameters a model trained with `params` would store (defaults filled in), without training.
    /// Two requests with equal resolved parameters train equal models.
    public func resolvedParams(_ params: [String: String]) throws -> [String: String] {
        try registration.model._resolvedParams(params, as: self)
    }

    /// The catalog spaces whose stored semantic IDs a model trained with `params` reads (`sid` and `rank`
    /// with `space=NAME` / `sid.space=NAME`); empty for the others.
    public func semanticIDSpaces(_ params: [String: String]) throws -> [String] {
        try registration.model._semanticIDSpaces(params, as: self)
    }

    /// Rebuilds a stored model of this kind.
    public func load(_ artifact: ModelArtifact) throws -> any TrainedModel {
        guard artifact.kind == self else {
            throw ModelError.corruptArtifact("artifact is a \(artifact.kind.rawValue) model, expected \(rawValue)")
        }
        return try registration.model.init(artifact: artifact)
    }

    /// Parses a model name as the command line spells it; the error lists the known names.
    /// Built-in names are case-insensitive; an imported run's NAME keeps its case (`ext:RecBole-BPR`).
    public init(named name: String) throws {
        let lowered = name.lowercased()
        let spelled = lowered.hasPrefix(Self.externalPrefix) ? Self.externalPrefix + name.dropFirst(Self.externalPrefix.count) : lowered
        guard let kind = ModelKind(rawValue: spelled) else {
            throw ModelError.unknownModel(name)
        }
        self = kind
    }

    /// Why `name` cannot name an imported run (`ext:NAME`), or nil: 1 to 64 ASCII letters, digits, `_` and `-`,
    /// so it stays one word in TREC files and tables, and `--param ext:NAME.k=v` splits at the one dot.
    public static func problem(withRunName name: String) -> String? {
        guard !name.isEmpty, name.count <= 64 else { return "a run name needs 1 to 64 characters, found \(name.count)" }
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) else {
            return "run name '\(name)' may hold only ASCII letters, digits, '_' and '-'"
        }
        return nil
    }
}

extension ModelKind: RawRepresentable {
    /// The name as the command line spells it: `als`, `ext:NAME`.
    public var rawValue: String {
        switch self {
        case .pop: "pop"
        case .itemknn: "itemknn"
        case .als: "als"
        case .bpr: "bpr"
        case .ease: "ease"
        case .sid: "sid"
        case .rank: "rank"
        case .sasrec: "sasrec"
        case .bert4rec: "bert4rec"
        case .sidgen: "sidgen"
        case .external(let name): Self.externalPrefix + name
        }
    }

    /// The kind spelled exactly `rawValue` (built-in names in lower case); nil for an unknown or malformed name.
    public init?(rawValue: String) {
        if rawValue.hasPrefix(Self.externalPrefix) {
            let name = String(rawValue.dropFirst(Self.externalPrefix.count))
            guard Self.problem(withRunName: name) == nil else { return nil }
            self = .external(name)
            return
        }
        guard let kind = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = kind
    }
}

extension ModelKind: CaseIterable {
    /// The trainable models, in registry order (imported runs live in a catalog, not here).
    public static let allCases: [ModelKind] = [.pop, .itemknn, .als, .bpr, .ease, .sid, .rank, .sasrec, .bert4rec, .sidgen]
}

extension ModelKind: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let kind = ModelKind(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown model '\(text)'"))
        }
        self = kind
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a model reads beyond the binary training matrix (each part of a `TrainingContext`).
public struct TrainingNeeds: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Each user's training interactions in time order (`TrainingContext.sequences`).
    public static let sequences = TrainingNeeds(rawValue: 1 << 0)
    /// A split's valid rows, to fit a second stage on (`TrainingContext.validation`).
    public static let validation = TrainingNeeds(rawValue: 1 << 1)
    /// Each item's categories (`TrainingContext.itemCategories`).
    public static let itemCategories = TrainingNeeds(rawValue: 1 << 2)
    /// Stored semantic IDs, when its parameters name a space (`TrainingContext.semanticIDs`, `semanticIDSpaces`).
    public static let semanticIDs = TrainingNeeds(rawValue: 1 << 3)
    /// The interactions inside a recent window, when its parameters ask for one (`TrainingContext.recent`).
    public static let recentWindow = TrainingNeeds(rawValue: 1 << 4)
}

/// A model configuration read from command-line parameters, with defaults for the rest.
public protocol ModelConfiguration: Sendable {
    /// Reads the parameters it knows from `parameters` (the caller's `finish()` refuses the others).
    init(_ parameters: inout ModelParameters) throws
    /// The parameters that shape the model, as stored (defaults filled in).
    var params: [String: String] { get }
}

/// A model type the registry can train, configure and load: what `ModelKind.registration` lists.
public protocol RegisteredModel: TrainedModel {
    associatedtype Configuration: ModelConfiguration
    /// The kind this type implements.
    static var kind: ModelKind { get }
    /// What it reads beyond the training matrix (default: nothing).
    static var needs: TrainingNeeds { get }
    /// Trains on a user × item matrix; `context` holds what `needs` lists (parts may be missing).
    static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                      progress: TrainingProgress?) throws -> Self
    /// The catalog spaces whose stored semantic IDs a model of this configuration reads (default: none).
    static func semanticIDSpaces(_ configuration: Configuration) -> [String]
    /// Rebuilds a stored model.
    init(artifact: ModelArtifact) throws
}

extension RegisteredModel {
    public var kind: ModelKind { Self.kind }
    public static var needs: TrainingNeeds { [] }
    public static func semanticIDSpaces(_ configuration: Configuration) -> [String] { [] }

    static func _train(_ matrix: InteractionMatrix, params: [String: String], as kind: ModelKind, context: TrainingContext,
                       progress: TrainingProgress?) throws -> any TrainedModel {
        var p = ModelParameters(params, model: kind.rawValue)
        let configuration = try Configuration(&p)
        try p.finish()
        return try train(matrix, configuration: configuration, context: context, progress: progress)
    }

    static func _resolvedParams(_ params: [String: String], as kind: ModelKind) throws -> [String: String] {
        var p = ModelParameters(params, model: kind.rawValue)
        let resolved = try Configuration(&p).params
        try p.finish()
        return resolved
    }

    /// Only models that read semantic IDs parse `params` here, so the others never fail on them.
    static func _semanticIDSpaces(_ params: [String: String], as kind: ModelKind) throws -> [String] {
        guard needs.contains(.semanticIDs) else { return [] }
        var p = ModelParameters(params, model: kind.rawValue)
        return semanticIDSpaces(try Configuration(&p))
    }
}
