import RecModels
import RecWorkbench
import TUIKit

/// Something that happened: a key, or the result of background work.
public enum Action: Hashable, Sendable {
    case key(Key)
    /// Sent once when the explorer starts.
    case started
    case summaryLoaded(CatalogSummary)
    case usersLoaded(Page<UserRow>, UserSort)
    case sessionsLoaded(user: String, [SessionRow])
    case sessionItemsLoaded(session: String, [SessionItemRow])
    case itemsLoaded(Page<ItemRow>, ItemSort)
    case itemDetailLoaded(item: String, ItemDetail?)
    case userOpened(id: String, UserRow?)
    case searchResults(query: String, [SearchHit])
    case failed(String)
    /// A model of the Compare/Metrics panes reports training progress.
    case modelProgress(model: ModelKind, String)
    case modelPrepared(ModelInfo)
    case modelFailed(model: ModelKind, String)
    /// A queued preparation was dropped because neither list nor the Metrics pane wants the model any more.
    case modelSkipped(ModelKind)
    case recommended(CompareSide, CompareRequest, Recommendations)
    case profileLoaded(UserHistory)
    case metricsComputed(ModelMetrics)
    case similarLoaded(SimilarRequest, [RecommendedItem])
    case similarFailed(SimilarRequest, String)
    /// The stored semantic-ID spaces and the code tree of one of them.
    case codeTreeLoaded(CodeTreeLoad)
    /// Pane 7: the autoplay clock (posted by the loop every `SimulateState.autoplayInterval` while autoplay is on).
    case tick
    case simulationShown(SimulationOp, SimulationSnapshot)
    case simulationFailed(SimulationOp, SimulationKey, String)
    case populationProgress(PopulationKey, done: Int, total: Int)
    case populationFinished(PopulationResult)
    case populationFailed(String)
    /// The data source dropped its caches (`Effect.reload`); everything shown is loaded again.
    case reloaded
}

/// Slow work `update` asks for; `EffectRunner` does it off the UI thread and answers with an `Action`.
public enum Effect: Hashable, Sendable {
    case loadSummary
    case loadUsers(PageRequest<UserSort>)
    case loadSessions(user: String)
    case loadSessionItems(session: String)
    case loadItems(PageRequest<ItemSort>)
    case loadItemDetail(item: String)
    case openUser(id: String)
    case search(query: String)
    /// Loads (stored) or trains `model` on the split; slow.
    case prepareModel(ModelKind)
    case recommend(CompareSide, CompareRequest)
    case loadProfile(user: String)
    /// Recall/NDCG/MRR of a prepared model on the split's test part; slow.
    case computeMetrics(model: ModelKind, k: Int)
    /// Items like an item by a prepared model.
    case loadSimilar(SimilarRequest)
    /// The stored spaces and the code tree of `space` (nil: the default space); reads every item.
    case loadCodeTree(space: String?)
    /// Builds and stores a built-in space's semantic IDs, then loads its tree; seconds on a large catalog.
    case buildSemanticIDs(space: String)
    /// Opens, steps, restarts or instructs pane 7's simulated session.
    case simulate(SimulationOp, SimulationKey)
    /// Runs a population with the agent and with the baseline; slow.
    case runPopulation(PopulationKey)
    /// Drops the data source's caches, so what other processes wrote since shows.
    case reload

    /// Which background queue runs the effect: training and evaluation may take seconds or minutes, so
    /// each has its own, and page loads, recommendations and metrics never wait behind training.
    public var lane: EffectLane {
        switch self {
        case .prepareModel, .simulate(.open, _), .buildSemanticIDs: .training
        case .computeMetrics, .runPopulation: .evaluation
        default: .interactive
        }
    }
}

/// The background queues effects run on.
public enum EffectLane: Hashable, Sendable {
    case interactive, training, evaluation
}

/// Runs effects against a data source; every call is synchronous and meant for a background queue.
public struct EffectRunner: Sendable {
    public static let sessionLimit = 500
    public static let sessionItemLimit = 500
    public static let detailUserLimit = 50
    public static let searchLimit = 50

    public let dataSource: any ExplorerDataSource
    public let recommendations: (any RecommendationSource)?
    /// Pane 7's simulated session and the simulator's inputs.
    public let simulator: SimulationDriver

    public init(dataSource: any ExplorerDataSource, recommendations: (any RecommendationSource)? = nil) {
        self.dataSource = dataSource
        self.recommendations = recommendations
        simulator = SimulationDriver(source: recommendations as? any SimulationSource)
    }

    /// Performs `effect` and returns the action that reports its result (or its failure); `progress`
    /// receives the actions reporting progress on the way (from the thread running the effect).
    public func perform(_ effect: Effect, progress: @escaping @Sendable (Action) -> Void = { _ in }) -> Action {
        do {
            switch effect {
            case .prepareModel(let model):
                do {
                    return .modelPrepared(try source().prepare(model: model) { progress(.modelProgress(model: model, $0)) })
                } catch {
                    return .modelFailed(model: model, "\(error)")
                }
            case .recommend(let side, let request):
                return .recommended(side, request, try source().recommend(
                    user: request.user, model: request.model, k: request.k, excludeSeen: request.excludeSeen))
            case .loadSimilar(let request):
                do {
                    return .similarLoaded(request, try source().similarItems(item: request.item, model: request.model, k: request.k))
                } catch {
                    return .similarFailed(request, "\(error)")
                }
            case .loadProfile(let user):
                return .profileLoaded(try source().history(user: user, recent: CompareState.historyCount))
            case .computeMetrics(let model, let k):
                return .metricsComputed(try source().metrics(model: model, k: k))
            case .loadCodeTree(let space):
                return .codeTreeLoaded(loadCodeTree(space: space))
            case .buildSemanticIDs(let space):
                do { try dataSource.buildSemanticIDs(space: space) } catch {
                    return .codeTreeLoaded(CodeTreeLoad(spaces: (try? dataSource.semanticIDSpaces()) ?? [], space: nil, tree: nil,
                                                        failure: "building semantic IDs of '\(space)' failed: \(error)"))
                }
                return .codeTreeLoaded(loadCodeTree(space: space))
            case .simulate(let op, let key):
                do { return .simulationShown(op, try simulator.perform(op, key: key)) } catch {
                    return .simulationFailed(op, key, "\(error)")
                }
            case .runPopulation(let key):
                do {
                    return .populationFinished(try simulator.population(key) { progress(.populationProgress(key, done: $0, total: $1)) })
                } catch {
                    return .populationFailed("\(error)")
                }
            case .reload:
                dataSource.refresh()
                return .reloaded
            case .loadSummary:
                return .summaryLoaded(try dataSource.summary())
            case .loadUsers(let request):
                return .usersLoaded(try dataSource.users(request), request.sort)
            case .loadSessions(let user):
                return .sessionsLoaded(user: user, try dataSource.sessions(ofUser: user, limit: Self.sessionLimit))
            case .loadSessionItems(let session):
                return .sessionItemsLoaded(
                    session: session, try dataSource.sessionItems(session: session, limit: Self.sessionItemLimit))
            case .loadItems(let request):
                return .itemsLoaded(try dataSource.items(request), request.sort)
            case .loadItemDetail(let item):
                return .itemDetailLoaded(item: item, try dataSource.itemDetail(id: item, userLimit: Self.detailUserLimit))
            case .openUser(let id):
                return .userOpened(id: id, try dataSource.user(id: id))
            case .search(let query):
                return .searchResults(query: query, try dataSource.search(query, limit: Self.searchLimit))
            }
        } catch {
            return .failed("\(effect.summary) failed: \(error)")
        }
    }

    /// The spaces and the tree of `space` (or of the default space), with a failure as text.
    func loadCodeTree(space: String?) -> CodeTreeLoad {
        var spaces: [String] = []
        do {
            spaces = try dataSource.semanticIDSpaces()
            guard let chosen = space.flatMap({ spaces.contains($0) ? $0 : nil }) ?? defaultSpace(spaces) else {
                return CodeTreeLoad(spaces: spaces, space: nil, tree: nil)
            }
            return CodeTreeLoad(spaces: spaces, space: chosen, tree: try dataSource.codeTree(space: chosen))
        } catch {
            return CodeTreeLoad(spaces: spaces, space: space, tree: nil, failure: "loading the code tree failed: \(error)")
        }
    }

    func source() throws -> any RecommendationSource {
        guard let recommendations else {
            throw RecommendationError("this explorer has no models (open a catalog: recscope tui --catalog FILE)")
        }
        return recommendations
    }
}

extension Effect {
    var summary: String {
        switch self {
        case .reload: "reloading the catalog"
        case .loadSummary: "loading the catalog summary"
        case .loadUsers: "loading users"
        case .loadSessions(let u): "loading the sessions of user \(u)"
        case .loadSessionItems(let s): "loading session \(s)"
        case .loadItems: "loading items"
        case .loadItemDetail(let i): "loading item \(i)"
        case .openUser(let u): "looking up user \(u)"
        case .search(let q): "searching for \(q)"
        case .prepareModel(let m): "preparing model \(m.rawValue)"
        case .recommend(let side, let r): "recommending with \(r.model.rawValue) (\(side.rawValue)) for user \(r.user)"
        case .loadProfile(let u): "loading the history of user \(u)"
        case .computeMetrics(let m, _): "evaluating \(m.rawValue)"
        case .loadSimilar(let r): "finding items like \(r.item) by \(r.model.rawValue)"
        case .loadCodeTree(let space): "loading the code tree of \(space ?? "the default space")"
        case .buildSemanticIDs(let space): "building the semantic IDs of \(space)"
        case .simulate(_, let k): "simulating user \(k.user) with \(k.model.rawValue)"
        case .runPopulation(let k): "simulating \(k.users) users with \(k.model.rawValue)"
        }
    }
}
