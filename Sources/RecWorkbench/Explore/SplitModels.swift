import RecCatalog
import RecCore
import RecEval
import RecModels
import RecSim
import Synchronization

/// The models of one split of a workbench, prepared on demand and kept, asked one user at a time: what
/// the explorer's Compare, Metrics, Items and Simulate panes read. Every call is synchronous and meant for
/// a background queue.
///
/// The workbench is made on first use (reading every interaction of a catalog is slow), its split seen
/// per user once, and each model loaded (stored with the same parameters) or trained and stored once.
/// Only the per-user view is kept: the log's rows are read again when something needs them (training a
/// model, the simulator's taste vectors, the lens's segments), so Compare on 24M interactions holds the
/// histories, not the 670 MB log.
public final class SplitModels: Sendable {
    public let splitName: String
    /// Parameters per kind (none: the defaults, which is what `recscope eval` stores and the explorer loads).
    public let params: [ModelKind: [String: String]]
    public let clock: RetrievalClock

    private let makeBench: @Sendable () throws -> ModelWorkbench
    private let loaded = Mutex<Loaded?>(nil)
    private let models = Mutex<[ModelKind: (model: any TrainedModel, info: ModelInfo)]>([:])
    private let inputs = Mutex<SimulationInputs?>(nil)
    /// Fitted belief priors by the request parts they depend on (`priorKey`).
    private let priors = Mutex<[String: BeliefPrior]>([:])
    /// Each prepared model's test lists for the Lens, by `model@k`.
    let lensLists = Mutex<[String: RankedLists]>([:])
    /// One preparation at a time, so two requests for a model never train it twice.
    private let preparing = Mutex<Void>(())

    public init(split: String = "loo", params: [ModelKind: [String: String]] = [:], clock: RetrievalClock = .continuous,
                bench: @escaping @Sendable () throws -> ModelWorkbench) {
        splitName = split
        self.params = params
        self.clock = clock
        makeBench = bench
    }

    /// The workbench, the split seen per user, and every item's title.
    public struct Loaded: Sendable {
        public let bench: ModelWorkbench
        public let view: SplitView
        /// By dense index; "" for an item without one.
        public let titles: [String]
    }

    /// The workbench (without its rows), its split and the titles, made on first use.
    public func data() throws -> Loaded {
        try loaded.withLock { d in
            if let d { return d }
            let made = try load()
            Heap.releaseFreePages()  // the log's rows, read and dropped in `load`
            d = made
            return made
        }
    }

    private func load() throws -> Loaded {
        let bench = try makeBench()
        return Loaded(bench: bench.withoutRows(), view: try bench.view(splitName), titles: try bench.store.itemListing().titles)
    }

    /// Loads `kind` (stored with the same parameters) or trains it (and stores it), reporting progress lines.
    public func prepare(_ kind: ModelKind, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        try preparing.withLock { _ in
            let d = try data()
            if let prepared = models.withLock({ $0[kind] }) { return prepared.info }
            let split = splitName
            progress("\(d.bench.store is MemoryStore ? "training" : "loading or training") \(kind.rawValue) on \(split)…")
            let given = params[kind] ?? [:]
            let model: any TrainedModel, info: ModelInfo
            if let s = try d.bench.stored(kind, params: given, split: split) {
                (model, info) = (s.model, ModelInfo(model: kind, origin: .stored, fitSeconds: clock.report(s.fitSeconds)))
            } else {
                let t = try rowsBench().train(kind, params: given, split: split,
                                              progress: { progress(StagePresenter.progressLine($0, split: split)) })
                (model, info) = (t.model, ModelInfo(model: kind, origin: .trained, fitSeconds: clock.report(t.fitSeconds)))
            }
            models.withLock { $0[kind] = (model, info) }
            Heap.releaseFreePages()  // a stored artifact's arrays, or a training run's log and buffers
            return info
        }
    }

    /// A workbench with every row of the log, read again from the store (`data()` keeps none).
    func rowsBench() throws -> ModelWorkbench { try makeBench() }

    /// A prepared model; an error when it is not prepared yet.
    public func trained(_ kind: ModelKind) throws -> any TrainedModel {
        guard let model = models.withLock({ $0[kind]?.model }) else {
            throw WorkbenchError("model \(kind.rawValue) is not prepared yet (prepare it first)")
        }
        return model
    }

    /// The top `k` of a prepared model for `user`, without the items the user has before the test rows when
    /// `excludeSeen`, with its stages for `sid` and `rank`.
    public func recommend(user: String, model kind: ModelKind, k: Int, excludeSeen: Bool) throws -> Recommendations {
        let d = try data()
        let u = try d.bench.user(user)
        let model = try trained(kind)
        let k = max(0, k)
        let exclude = excludeSeen ? d.view.seen(u) : .none
        let (list, seconds) = clock.measure { model.recommend(user: u, k: k, exclude: exclude) }
        return Recommendations(items: list.map { item($0, d) }, seconds: seconds,
                               stages: stages(model, user: u, k: k, exclude: exclude, list: list, d))
    }

    /// The data behind `sid`'s, `rank`'s and the transformers' lists; nil for single-stage models.
    func stages(_ model: any TrainedModel, user: Int, k: Int, exclude: ExclusionSet, list: [ScoredItem], _ d: Loaded) -> RecommendationStages? {
        if let transformer = model as? any AttentionExplaining {
            return AttentionStages(transformer, user: user, items: list, itemID: { d.bench.log.itemIDs[Int($0)] },
                                   title: { d.titles[Int($0)] }).map { .attention($0) }
        }
        if let sid = model as? SemanticIDRetriever { return .beam(sid.trace(user: user, k: k, exclude: exclude)) }
        if let generator = model as? SemanticIDGenerator { return generator.decodeTrace(user: user, k: k, exclude: exclude).map { .decode($0) } }
        if let rank = model as? GenerateRank {
            let s = rank.stages(user: user, k: k, exclude: exclude)
            return .generateRank(RankStages(sources: s.sources, merged: s.merged, items: s.items,
                                            seconds: s.seconds.mapValues(clock.report), personalised: s.personalised))
        }
        return nil
    }

    /// A prepared model's top `k` for `user` with why each item is there (`ItemExplaining.explain`, decomposed
    /// over the user's training history).
    public func explain(user: String, model kind: ModelKind, k: Int, excludeSeen: Bool) throws -> ExplainedList {
        let d = try data()
        let u = try d.bench.user(user)
        let model = try trained(kind)
        return ExplainedList(model: model, user: .trained(u, history: d.view.history[u]), userID: user, k: max(0, k),
                             exclude: excludeSeen ? d.view.seen(u) : .none, name: { names($0, d) })
    }

    /// Every prepared model's top `k` for a what-if user known only by `items` (external ids, oldest first),
    /// the last `recent` of them read (0: all), none of them recommended, each list with its retrieval time.
    public func whatIf(items ids: [String], recent: Int, k: Int, models kinds: [ModelKind]) throws -> [ModelKind: Recommendations] {
        let d = try data()
        let items = try ids.map { Int32(try d.bench.item($0)) }
        let read = recent > 0 ? Array(items.suffix(recent)) : items
        let exclude = ExclusionSet(unsorted: items)
        var out: [ModelKind: Recommendations] = [:]
        for kind in kinds {
            let model = try trained(kind)
            let (list, seconds) = clock.measure { model.recommend(history: read, k: max(0, k), exclude: exclude) }
            out[kind] = Recommendations(items: list.map { item($0, d) }, seconds: seconds)
        }
        return out
    }

    /// Why a prepared model lists what it lists for a what-if user (`whatIf`'s list, explained).
    public func explainWhatIf(items ids: [String], recent: Int, k: Int, model kind: ModelKind) throws -> ExplainedList {
        let d = try data()
        let items = try ids.map { Int32(try d.bench.item($0)) }
        let read = recent > 0 ? Array(items.suffix(recent)) : items
        return ExplainedList(model: try trained(kind), user: .whatIf(read), userID: nil, k: max(0, k), exclude: ExclusionSet(unsorted: items),
                             name: { names($0, d) })
    }

    /// A user's training items in the split, oldest first (a what-if user started from a real one).
    public func trainingItems(user: String) throws -> [ItemName] {
        let d = try data()
        return itemNames(d.view.history[try d.bench.user(user)], d)
    }

    /// Ids and titles of items given by index, in order.
    func itemNames(_ items: [Int32], _ d: Loaded) -> [ItemName] {
        items.map { ItemName(id: d.bench.log.itemIDs[Int($0)], title: d.titles[Int($0)]) }
    }

    /// The personas saved in the workbench's store, by name.
    public func personas() throws -> [StoredPersona] { try data().bench.store.listPersonas() }

    /// The persona `name`, its items named (ids the catalog no longer has are left out).
    public func persona(_ name: String) throws -> (persona: StoredPersona, items: [ItemName])? {
        let d = try data()
        guard let p = try d.bench.store.loadPersona(name: name) else { return nil }
        return (p, p.items.compactMap { d.bench.items.lookup($0) }.map { ItemName(id: d.bench.log.itemIDs[Int($0)], title: d.titles[Int($0)]) })
    }

    /// Saves a what-if user as persona `name`.
    public func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws {
        try data().bench.store.savePersona(name: name, items: items, recent: recent, sourceUser: sourceUser)
    }

    /// Ids and titles of `items`.
    func names(_ items: [Int32], _ d: Loaded) -> [Int32: ItemName] {
        Dictionary(uniqueKeysWithValues: items.map { ($0, ItemName(id: d.bench.log.itemIDs[Int($0)], title: d.titles[Int($0)])) })
    }

    /// The `k` items most like `item` by a prepared model's own similarity, never `item` itself.
    public func similarItems(item: String, model kind: ModelKind, k: Int) throws -> [RecommendedItem] {
        let d = try data()
        let i = try d.bench.item(item)
        return try trained(kind).similarItems(to: i, k: max(0, k)).map { self.item($0, d) }
    }

    /// The user's `recent` latest training items and held-out items.
    public func history(user id: String, recent: Int) throws -> UserHistory {
        let d = try data()
        let u = try d.bench.user(id)
        func profile(_ i: Int32, _ role: SplitRole) -> ProfileItem {
            ProfileItem(id: d.bench.log.itemIDs[Int(i)], title: d.titles[Int(i)], role: role)
        }
        return UserHistory(user: id, trainCount: d.view.history[u].count,
                           recent: d.view.history[u].suffix(max(0, recent)).reversed().map { profile($0, .train) },
                           heldOut: d.view.heldOut[u].map { profile($0.item, $0.role) })
    }

    /// Recall, NDCG and MRR at `k` of a prepared model on the split's test part, overall and per user.
    public func metrics(model kind: ModelKind, k: Int) throws -> ModelMetrics {
        let d = try data()
        let model = try trained(kind)
        let popularity = PopularityProfile(counts: d.view.train.itemCounts(), userCount: d.view.userCount)
        let report = Evaluator(cutoffs: [k], metrics: [.recall, .ndcg, .mrr], beyondAccuracy: [])
            .evaluate(model, heldOut: d.view.test, popularity: popularity)
        var values: [String: Double] = [:], perUser: [String: [Double]] = [:]
        for metric in [Metric.recall, .ndcg, .mrr] {
            values[metric.key(at: k)] = report.means[metric.key(at: k)] ?? 0
            perUser[metric.key(at: k)] = report.perUser[metric.key(at: k)] ?? []
        }
        return ModelMetrics(model: kind, values: values, perUser: perUser)
    }

    /// The simulator's inputs over the split: exactly what `recscope simulate` runs on.
    public func simulationInputs() throws -> SimulationInputs {
        let d = try data()
        return try inputs.withLock { i in
            if let i { return i }
            let made = try SimulationInputs(bench: try rowsBench(), view: d.view)
            i = made
            return made
        }
    }

    /// A population run of a prepared model, as `recscope simulate --users N --turns T --seed S` runs it,
    /// reporting simulated users done after every `usersPerReport`.
    public func simulate(_ request: SimulationRequest, usersPerReport: Int, played: (Int) -> Void) throws -> SimulationOutcome {
        let prior = request.policy.learns ? try beliefPrior(request) : nil
        return try data().bench.simulate(request, inputs: try simulationInputs(), model: try trained(request.model), prior: prior,
                                         usersPerReport: usersPerReport, played: played)
    }

    /// The belief prior of a learning policy in `request`'s runs (`ModelWorkbench.beliefPrior`), fitted once
    /// per model, seed, turns, slate, hold, knobs and way of reading sessions.
    public func beliefPrior(_ request: SimulationRequest) throws -> BeliefPrior {
        var parts = request.stored
        for key in ["agent", "users", "regret"] { parts[key] = nil }
        parts["policy"] = AgentRecommender.priorReading(request.policy).rawValue
        let key = parts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if let known = priors.withLock({ $0[key] }) { return known }
        let made = ModelWorkbench.beliefPrior(request, inputs: try simulationInputs(), model: try trained(request.model))
        priors.withLock { $0[key] = made }
        return made
    }

    private func item(_ s: ScoredItem, _ d: Loaded) -> RecommendedItem {
        RecommendedItem(id: d.bench.log.itemIDs[Int(s.item)], title: d.titles[Int(s.item)], score: s.score)
    }
}
