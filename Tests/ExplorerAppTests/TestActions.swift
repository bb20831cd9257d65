import RecModels
import RecWorkbench
@testable import ExplorerApp

/// The effects and answers the tests name, spelled as the panes' own work and messages.
extension Effect {
    static func loadUsers(_ request: PageRequest<UserSort>) -> Effect { Effect(UsersList.Load(request: request)) }
    static func loadItems(_ request: PageRequest<ItemSort>) -> Effect { Effect(LoadItems(request: request)) }
    static let loadSummary = Effect(LoadSummary())
    static func search(query: String) -> Effect { Effect(Search(query: query)) }
    static func loadItemDetail(item: String) -> Effect { Effect(LoadItemDetail(item: item)) }
    static func loadSessions(user: String) -> Effect { Effect(LoadSessions(user: user)) }
    static func prepareModel(_ kind: ModelKind) -> Effect { Effect(Models.Prepare(model: kind)) }
    static func loadSimilar(_ request: SimilarRequest) -> Effect { Effect(LoadSimilar(request: request)) }
    static func loadCodeTree(space: String?) -> Effect { Effect(LoadCodeTree(space: space)) }
    static func recommend(_ side: CompareSide, _ request: CompareRequest) -> Effect { Effect(Recommend(side: side, request: request)) }
    static func computeMetrics(model: ModelKind, k: Int) -> Effect { Effect(ComputeMetrics(model: model, k: k)) }
    static func simulate(_ op: SimulationOp, _ key: SimulationKey) -> Effect { Effect(Simulate(op: op, key: key)) }
    static func buildSemanticIDs(space: String) -> Effect { Effect(BuildSemanticIDs(space: space)) }
    static func loadHistory(user: String) -> Effect { Effect(LoadHistory(user: user)) }
}

extension Action {
    static func usersLoaded(_ page: Page<UserRow>, _ sort: UserSort) -> Action { .message(UsersList.Loaded(page: page, sort: sort)) }
    static func sessionsLoaded(user: String, _ rows: [SessionRow]) -> Action { .message(SessionsLoaded(user: user, rows: rows)) }
    static func searchResults(query: String, _ hits: [SearchHit]) -> Action { .message(SearchResults(query: query, hits: hits)) }
    static func modelPrepared(_ info: ModelInfo) -> Action { .message(Models.Prepared(info: info)) }
    static func modelFailed(model: ModelKind, _ message: String) -> Action { .message(Models.Failed(model: model, message: message)) }
    static func modelSkipped(_ kind: ModelKind) -> Action { .message(Models.Skipped(model: kind)) }
    static func recommended(_ side: CompareSide, _ request: CompareRequest, _ list: Recommendations) -> Action {
        .message(Recommended(side: side, request: request, list: list))
    }
    static func similarLoaded(_ request: SimilarRequest, _ items: [RecommendedItem]) -> Action {
        .message(SimilarLoaded(request: request, items: items, failure: nil))
    }
    static func metricsComputed(_ metrics: ModelMetrics) -> Action { .message(MetricsComputed(metrics: metrics)) }
    static func codeTreeLoaded(_ load: CodeTreeLoad) -> Action { .message(CodeTreeLoaded(load: load)) }
}

extension AppState {
    /// Body rows a page key moves in the view on top.
    var visibleRows: Int { Explorer.feature(of: top)?.pageRows(top, self) ?? 1 }
}

extension Action {
    static func modelProgress(model: ModelKind, _ line: String) -> Action { .message(Models.Progress(model: model, line: line)) }
}

extension Action {
    static func simulationShown(_ op: SimulationOp, _ snapshot: SimulationSnapshot) -> Action {
        .message(SimulationShown(op: op, snapshot: snapshot))
    }
    static func populationProgress(_ key: PopulationKey, done: Int, total: Int) -> Action {
        .message(PopulationProgress(key: key, done: done, total: total))
    }
}
