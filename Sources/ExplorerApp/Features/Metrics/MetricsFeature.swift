import RecModels
import RecWorkbench
import TUIKit

/// The Metrics pane's part of the state: every model's metrics once the pane has been shown.
public struct MetricsState: FeatureState {
    /// The cutoff of the Metrics pane.
    public static let k = 10

    /// Whether the pane has been shown (then every model is prepared and evaluated, also in the background).
    public var wanted = false
    public var byModel: [ModelKind: ModelMetrics] = [:]
    /// Models whose metrics are being computed.
    public var pending: Set<ModelKind> = []

    public init() {}
}

extension AppState {
    public var metrics: MetricsState {
        get { panes[MetricsState.self] }
        _modify { yield &panes[MetricsState.self] }
    }
}

extension View {
    /// Metrics: Recall, NDCG and MRR of every model on the split's test part (the root).
    public static let metrics = View(feature: "metrics", context: "metrics")
}

/// Metrics: Recall, NDCG and MRR@10 of every model, a bar chart per metric, and the per-user NDCG
/// difference of the selection's models A − B.
public enum MetricsFeature: Feature {
    public static let title = "Metrics"
    public static let summary = "Recall, NDCG and MRR@10 of every model"
    public static let root = View.metrics

    public static func register(_ c: inout Commands) {
        c.hint("metrics", .keys([.show(CompareFeature.self)], "compare"), .keys([.show(BrowseFeature.self)], "browse"),
               .keys([.help], "help"), .keys([.close], "quit"))
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? { nil }

    /// Once shown, every model is wanted: prepared while the pane is shown, evaluated as soon as it is ready.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard !state.models.isEmpty else { return [] }
        var effects: [Effect] = []
        if visible {
            state.metrics.wanted = true
            state.models.alsoWanted = Set(state.models.kinds)
            for kind in state.models.kinds { effects += Models.prepare(kind, &state) }
        }
        guard state.metrics.wanted else { return effects }
        for kind in state.models.kinds where state.models.isReady(kind) && state.metrics.byModel[kind] == nil
            && !state.metrics.pending.contains(kind) {
            state.metrics.pending.insert(kind)
            effects.append(Effect(ComputeMetrics(model: kind, k: MetricsState.k)))
        }
        return effects
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        MetricsPane(state: state).render(in: area, on: &canvas)
    }
}

/// Recall, NDCG and MRR of a prepared model on the split's test part; slow.
struct ComputeMetrics: FeatureWork {
    let model: ModelKind
    let k: Int
    var summary: String { "evaluating \(model.rawValue)" }
    var lane: EffectLane { .evaluation }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(MetricsComputed(metrics: try sources.models().metrics(model: model, k: k)))
    }
}

struct MetricsComputed: FeatureMessage {
    let metrics: ModelMetrics

    func apply(to state: inout AppState) -> [Effect] {
        state.metrics.byModel[metrics.model] = metrics
        state.metrics.pending.remove(metrics.model)
        return []
    }
}
