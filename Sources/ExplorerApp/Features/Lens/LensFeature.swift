import RecEval
import RecModels
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let nextFairness: AppCommand = "next-fairness"
    public static let nextSegmentation: AppCommand = "next-segmentation"
    public static let nextLensPart: AppCommand = "next-lens-part"
}

/// The part of the Lens that `j`/`k` and Enter act on.
public enum LensPart: String, Hashable, Sendable, CaseIterable {
    /// The models (the Lorenz curve and hubs follow the selected one; Enter on a segment uses it as model A).
    case models
    /// The selected model's hubs (Enter opens the item).
    case hubs
    /// The segments (Enter drills into their users in Compare).
    case segments
}

/// The Lens pane's part of the state: the snapshot of every model once the pane has been shown.
public struct LensState: FeatureState {
    /// The cutoff of the Lens.
    public static let k = 10

    public var wanted = false
    public var snapshot: LensSnapshot?
    /// The models of the snapshot being computed.
    public var pending: [ModelKind]?
    public var fairness: FrontierFairness = .gini
    public var segmentation: SegmentAxis = .activity
    public var part: LensPart = .models
    public var model = 0
    public var hub = 0
    public var segment = 0

    public init() {}

    /// The selected model's entry of the snapshot.
    public var selectedModel: LensSnapshot.Model? {
        guard let models = snapshot?.models, models.indices.contains(model) else { return nil }
        return models[model]
    }

    /// The segments of the chosen segmentation.
    public var segments: [LensSnapshot.Segment] { snapshot?.segments[segmentation] ?? [] }
}

extension AppState {
    public var lens: LensState {
        get { panes[LensState.self] }
        _modify { yield &panes[LensState.self] }
    }
}

extension View {
    /// Lens: relevance against fairness with the Pareto frontier, exposure, hubs and segments (the root).
    public static let lens = View(feature: "lens", context: "lens")
}

/// Lens: beyond accuracy. Every model's NDCG@10 against an exposure-fairness measure beside the fairness/relevance
/// Pareto frontier (DPFR), the selected model's exposure Lorenz curve, its k-occurrence histogram and hubs, and
/// a segment table; Enter on a hub opens the item, on a segment its users in Compare.
public enum LensFeature: Feature {
    public static let title = "Lens"
    public static let summary = "Fairness and exposure: Pareto frontier, Lorenz curve, hubs, segments"
    public static let root = View.lens

    public static func register(_ c: inout Commands) {
        c.bind("f", to: .nextFairness, help: "Lens: plot against Jain_our, Ent_our or Gini_our", context: "lens")
        c.bind("s", to: .nextSegmentation, help: "Lens: segments by activity, target popularity or regularity", context: "lens")
        c.bind("Tab", "t", to: .nextLensPart, help: "Lens: move between models, hubs and segments", context: "lens")
        c.hint("lens", .keys([.moveDown, .moveUp], "move"), .keys([.nextLensPart], "part"), .keys([.drillDown], "open"),
               .keys([.nextFairness], "fairness"), .keys([.nextSegmentation], "segments"), .keys([.help], "help"))
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        if let delta = Explorer.delta(of: command, in: view, state) {
            move(by: delta, &state)
            return []
        }
        switch command {
        case .nextFairness:
            let all = FrontierFairness.allCases
            state.lens.fairness = all[(all.firstIndex(of: state.lens.fairness)! + 1) % all.count]
        case .nextSegmentation:
            let all = SegmentAxis.allCases
            state.lens.segmentation = all[(all.firstIndex(of: state.lens.segmentation)! + 1) % all.count]
            state.lens.segment = 0
        case .nextLensPart:
            let all = LensPart.allCases
            state.lens.part = all[(all.firstIndex(of: state.lens.part)! + 1) % all.count]
        case .drillDown: return open(&state)
        default: return nil
        }
        return []
    }

    static func move(by delta: Int, _ state: inout AppState) {
        switch state.lens.part {
        case .models:
            state.lens.model = Explorer.moved(state.lens.model, by: delta, count: state.lens.snapshot?.models.count ?? 0)
            state.lens.hub = 0
        case .hubs: state.lens.hub = Explorer.moved(state.lens.hub, by: delta, count: state.lens.selectedModel?.hubs.count ?? 0)
        case .segments: state.lens.segment = Explorer.moved(state.lens.segment, by: delta, count: state.lens.segments.count)
        }
    }

    /// Enter: a hub opens its item; a segment opens Compare on its users with the selected model as A.
    static func open(_ state: inout AppState) -> [Effect] {
        switch state.lens.part {
        case .models:
            state.lens.part = .segments
        case .hubs:
            guard let hubs = state.lens.selectedModel?.hubs, hubs.indices.contains(state.lens.hub) else { return [] }
            state.stack = [.items, .itemDetail(item: hubs[state.lens.hub].id)]
        case .segments:
            let segments = state.lens.segments
            guard segments.indices.contains(state.lens.segment), let model = state.lens.selectedModel?.model else { return [] }
            let segment = segments[state.lens.segment]
            guard let first = segment.users.first else {
                state.message = "Segment \(segment.name) has no users."
                return []
            }
            state.selection.userFilter = UserFilter(label: "\(segment.name) users (\(state.lens.segmentation.rawValue))",
                                                    users: segment.users)
            state.selection.user = first
            state.selection.userRow = nil
            state.selection.modelA = model
            return Explorer.show(CompareFeature.self, &state)
        }
        return []
    }

    /// Once shown, every model is prepared; the snapshot is computed when all are ready (again when more are).
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard !state.models.isEmpty else { return [] }
        var effects: [Effect] = []
        if visible {
            state.lens.wanted = true
            state.models.alsoWanted = state.models.alsoWanted.union(state.models.kinds)
            for kind in state.models.kinds { effects += Models.prepare(kind, &state) }
        }
        guard state.lens.wanted, state.lens.pending == nil else { return effects }
        let ready = state.models.kinds.filter { state.models.isReady($0) }
        let settled = state.models.kinds.allSatisfy { kind in
            if case .failed? = state.models.status[kind] { return true }
            return state.models.isReady(kind)
        }
        guard settled, !ready.isEmpty, state.lens.snapshot?.models.map(\.model) != ready else { return effects }
        state.lens.pending = ready
        return effects + [Effect(ComputeLens(models: ready, k: LensState.k))]
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        LensPane(state: state).render(in: area, on: &canvas)
    }

    public static func position(_ view: View, _ state: AppState) -> String {
        let l = state.lens
        switch l.part {
        case .models: return l.snapshot.map { "model \(l.model + 1)/\($0.models.count)" } ?? ""
        case .hubs: return l.selectedModel.map { "hub \(min(l.hub + 1, $0.hubs.count))/\($0.hubs.count)" } ?? ""
        case .segments: return "segment \(min(l.segment + 1, l.segments.count))/\(l.segments.count)"
        }
    }
}

/// The lens of the prepared models; slow (ranks every test user once per model, then every measure).
struct ComputeLens: FeatureWork {
    let models: [ModelKind]
    let k: Int
    var summary: String { "computing the fairness lens of \(models.map(\.rawValue).joined(separator: ", "))" }
    var lane: EffectLane { .evaluation }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(LensComputed(snapshot: try sources.models().lens(models: models, k: k)))
    }
}

struct LensComputed: FeatureMessage {
    let snapshot: LensSnapshot

    func apply(to state: inout AppState) -> [Effect] {
        state.lens.snapshot = snapshot
        state.lens.pending = nil
        state.lens.model = min(state.lens.model, max(0, snapshot.models.count - 1))
        return []
    }
}
