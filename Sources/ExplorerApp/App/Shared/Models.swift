import RecModels
import RecWorkbench

/// Where a model stands.
public enum ModelStatus: Hashable, Sendable {
    /// Being loaded or trained; the text is the latest progress line.
    case preparing(String)
    case ready(ModelInfo)
    case failed(String)
}

/// The models the panes ask for: which there are, and where each stands. Compare's two models are always
/// wanted; a pane may want more (Metrics wants every model once shown).
public struct ModelsState: Hashable, Sendable {
    /// The models `a`/`b` cycle through (empty: no recommendation source).
    public var kinds: [ModelKind] = []
    public var splitName = "loo"
    public var status: [ModelKind: ModelStatus] = [:]
    /// Models wanted besides the selection's two.
    public var alsoWanted: Set<ModelKind> = []

    public init() {}

    public var isEmpty: Bool { kinds.isEmpty }

    public func isReady(_ kind: ModelKind) -> Bool {
        if case .ready? = status[kind] { true } else { false }
    }
}

/// Preparing models for any pane: one request per model, queued in order, skipped when nobody wants it
/// by the time its turn comes.
public enum Models {
    /// The models worth preparing now.
    public static func wanted(_ state: AppState) -> Set<ModelKind> {
        state.models.alsoWanted.union([state.selection.modelA, state.selection.modelB])
    }

    /// Starts preparing `kind` unless it is ready, failed, or on its way.
    public static func prepare(_ kind: ModelKind, _ state: inout AppState) -> [Effect] {
        guard state.models.status[kind] == nil else { return [] }
        let ahead = state.models.kinds.filter {
            if case .preparing? = state.models.status[$0] { true } else { false }
        }
        state.models.status[kind] = .preparing(ahead.isEmpty ? "preparing \(kind.rawValue)…"
                                               : "queued behind \(ahead.map(\.rawValue).joined(separator: ", "))…")
        return [Effect(Prepare(model: kind))]
    }

    /// The next model in the cycle after `kind`.
    public static func next(after kind: ModelKind, _ state: AppState) -> ModelKind {
        let kinds = state.models.kinds
        return kinds[((kinds.firstIndex(of: kind) ?? -1) + 1) % kinds.count]
    }

    /// Loads (stored) or trains `model` on the split; slow.
    struct Prepare: FeatureWork {
        let model: ModelKind
        var summary: String { "preparing model \(model.rawValue)" }
        var lane: EffectLane { .training }

        func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
            guard sources.wanted.contains(model) else { return .message(Skipped(model: model)) }
            do {
                let model = self.model
                return .message(Prepared(info: try sources.models().prepare(model: model) {
                    progress(.message(Progress(model: model, line: $0)))
                }))
            } catch {
                return .message(Failed(model: model, message: "\(error)"))
            }
        }
    }

    struct Progress: FeatureMessage {
        let model: ModelKind
        let line: String
        func apply(to state: inout AppState) -> [Effect] {
            if case .preparing? = state.models.status[model] { state.models.status[model] = .preparing(line) }
            return []
        }
    }

    struct Prepared: FeatureMessage {
        let info: ModelInfo
        func apply(to state: inout AppState) -> [Effect] {
            state.models.status[info.model] = .ready(info)
            return []
        }
    }

    struct Failed: FeatureMessage {
        let model: ModelKind
        let message: String
        func apply(to state: inout AppState) -> [Effect] {
            state.models.status[model] = .failed(message)
            state.message = "Model \(model.rawValue) failed: \(message)"
            return []
        }
    }

    /// A queued preparation dropped because no pane wants the model any more.
    struct Skipped: FeatureMessage {
        let model: ModelKind
        func apply(to state: inout AppState) -> [Effect] {
            state.models.status[model] = nil
            return []
        }
    }
}
