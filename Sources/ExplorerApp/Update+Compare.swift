import RecModels
import RecWorkbench
import TUIKit

extension Explorer {
    /// The user the Compare pane shows: the Browse selection (or a user opened with `:user ID`).
    static func compareUser(_ state: AppState) -> String? { state.browsedUser }

    /// The request `side` should show now, or nil when there is no user or no model source.
    static func compareRequest(_ side: CompareSide, _ state: AppState) -> CompareRequest? {
        let c = state.compare
        guard let user = compareUser(state), !c.modelNames.isEmpty else { return nil }
        return CompareRequest(user: user, model: c.model(side), k: c.k, excludeSeen: c.excludeSeen)
    }

    /// Asks for what the Compare or Metrics pane lacks: models to prepare, lists, the user's profile, metrics.
    static func refreshRecommendations(_ state: inout AppState) -> [Effect] {
        guard !state.compare.modelNames.isEmpty else { return [] }
        var effects: [Effect] = []
        switch state.tab {
        case .compare:
            if let user = compareUser(state), state.compare.profile?.user != user {
                effects.append(.loadProfile(user: user))
            }
            for side in CompareSide.allCases {
                let model = state.compare.model(side)
                effects += prepare(model, &state)
                guard case .ready? = state.compare.status[model], let request = compareRequest(side, state),
                      state.compare.lists[side]?.request != request, state.compare.pending[side] != request else { continue }
                state.compare.pending[side] = request
                effects.append(.recommend(side, request))
            }
        case .metrics:
            state.compare.metricsWanted = true
            for model in state.compare.modelNames {
                effects += prepare(model, &state)
                if case .ready? = state.compare.status[model], state.compare.metrics[model] == nil {
                    effects += metricsEffect(model, &state)
                }
            }
        default: break
        }
        return effects
    }

    /// When an item detail is open, asks for the items like it by model A (preparing A first if needed).
    static func refreshSimilar(_ state: inout AppState) -> [Effect] {
        guard case .itemDetail(let item) = state.top, !state.compare.modelNames.isEmpty else { return [] }
        let request = SimilarRequest(item: item, model: state.compare.modelA, k: SimilarItems.count)
        if state.similar?.request != request { state.similar = SimilarItems(request: request) }
        guard state.similar?.sent == false, state.similar?.failure == nil else { return [] }
        let effects = prepare(request.model, &state)
        switch state.compare.status[request.model] {
        case .ready?:
            state.similar?.sent = true
            return effects + [.loadSimilar(request)]
        case .failed(let message)?:
            state.similar?.failure = message
            return effects
        default:
            return effects
        }
    }

    /// The models worth preparing now: the two compared ones, and every model once Metrics asked.
    public static func wantedModels(_ state: AppState) -> Set<ModelKind> {
        state.compare.metricsWanted ? Set(state.compare.modelNames) : [state.compare.modelA, state.compare.modelB]
    }

    /// Starts preparing `model` unless it is ready, failed, or on its way.
    static func prepare(_ model: ModelKind, _ state: inout AppState) -> [Effect] {
        guard state.compare.status[model] == nil else { return [] }
        let ahead = state.compare.modelNames.filter {
            if case .preparing? = state.compare.status[$0] { true } else { false }
        }
        state.compare.status[model] = .preparing(ahead.isEmpty ? "preparing \(model.rawValue)…"
                                                 : "queued behind \(ahead.map(\.rawValue).joined(separator: ", "))…")
        return [.prepareModel(model)]
    }

    static func metricsEffect(_ model: ModelKind, _ state: inout AppState) -> [Effect] {
        guard state.compare.metricsWanted, state.compare.metrics[model] == nil,
              !state.compare.metricsPending.contains(model) else { return [] }
        state.compare.metricsPending.insert(model)
        return [.computeMetrics(model: model, k: CompareState.metricsK)]
    }

    /// Applies the results of recommendation effects.
    static func updateCompare(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .modelProgress(let model, let line):
            if case .preparing? = state.compare.status[model] { state.compare.status[model] = .preparing(line) }
            return []
        case .modelPrepared(let info):
            state.compare.status[info.model] = .ready(info)
            var effects = refreshRecommendations(&state) + refreshSimilar(&state)
            if state.tab != .metrics { effects += metricsEffect(info.model, &state) }
            return effects
        case .modelFailed(let model, let message):
            state.compare.status[model] = .failed(message)
            if state.similar?.request.model == model, state.similar?.items == nil { state.similar?.failure = message }
            state.message = "Model \(model.rawValue) failed: \(message)"
            return []
        case .modelSkipped(let model):
            state.compare.status[model] = nil
            return refreshRecommendations(&state)
        case .recommended(let side, let request, let list):
            if state.compare.pending[side] == request { state.compare.pending[side] = nil }
            guard request == compareRequest(side, state) else { return [] }
            state.compare.lists[side] = CompareResult(request: request, recommendations: list)
            return []
        case .profileLoaded(let profile):
            guard profile.user == compareUser(state) else { return [] }
            state.compare.profile = profile
            return []
        case .metricsComputed(let metrics):
            state.compare.metrics[metrics.model] = metrics
            state.compare.metricsPending.remove(metrics.model)
            return []
        default:
            return []
        }
    }

    /// Runs the Compare pane's own commands: model cycling, K, and seen items.
    static func performCompare(_ command: AppCommand, _ state: inout AppState) -> [Effect] {
        let names = state.compare.modelNames
        guard !names.isEmpty else {
            state.message = "No models here: open a catalog (recscope tui --catalog FILE)."
            return []
        }
        func next(after model: ModelKind) -> ModelKind {
            names[((names.firstIndex(of: model) ?? -1) + 1) % names.count]
        }
        switch command {
        case .cycleModelA: state.compare.modelA = next(after: state.compare.modelA)
        case .cycleModelB: state.compare.modelB = next(after: state.compare.modelB)
        case .moreItems, .fewerItems:
            let k = state.compare.k + (command == .moreItems ? 1 : -1)
            guard CompareState.kRange.contains(k) else {
                state.message = "K stays within \(CompareState.kRange.lowerBound)…\(CompareState.kRange.upperBound)."
                return []
            }
            state.compare.k = k
        case .toggleSeen:
            state.compare.excludeSeen.toggle()
            state.message = state.compare.excludeSeen ? "Seen items left out" : "Seen items included"
        default: return []
        }
        return refreshRecommendations(&state)
    }

    /// Moves the users list of the Compare pane; the compared user follows the selection.
    static func moveCompareUser(by delta: Int, _ state: inout AppState) -> [Effect] {
        state.users.selected = clamp(state.users.selected.addingReportingOverflow(delta).partialValue, count: state.users.count)
        var effects = ensureUsersLoaded(&state)
        if let row = state.users.selectedRow, row.id != state.browsedUser {
            effects += browse(user: row.id, row: row, &state)
        }
        return effects + refreshRecommendations(&state)
    }
}
