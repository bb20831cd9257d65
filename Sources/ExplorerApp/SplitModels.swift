import Foundation
import RecCore
import RecEval
import RecModels
import Synchronization

/// One split of a catalog's interactions in the shape the Compare pane reads: ids, titles, the
/// training matrix, each user's history and held-out items; built once per source.
struct SplitData: Sendable {
    let userIDs: [String]
    let itemIDs: [String]
    /// Titles by item index ("" when the source has none).
    let titles: [String]
    let userIndex: [String: Int]
    let itemIndex: [String: Int]
    /// User × item, the split's training rows (what models are trained on).
    let train: InteractionMatrix
    /// Per user, training items in time order (oldest first).
    let history: [[Int32]]
    /// Per user, held-out items in time order with their role.
    let heldOut: [[(item: Int32, role: SplitRole)]]
    /// What evaluation on the test rows needs (truth, and train + valid items to exclude).
    let test: HeldOut

    /// Builds the views of `split` over interaction rows `users`/`items`, which must be in (user, time) order.
    init(userIDs: [String], itemIDs: [String], titles: [String], users: [Int32], items: [Int32], split: Split) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.titles = titles
        var index: [String: Int] = [:]
        for (u, id) in userIDs.enumerated() { index[id] = u }
        userIndex = index
        var itemPositions: [String: Int] = [:]
        for (i, id) in itemIDs.enumerated() { itemPositions[id] = i }
        itemIndex = itemPositions
        let m = split.matrix(of: [.train], users: users, items: items, userCount: userIDs.count, itemCount: itemIDs.count)
        train = InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart,
                                  itemIndices: m.itemIndices, values: [Float](repeating: 1, count: m.nonZeroCount))
        var history = [[Int32]](repeating: [], count: userIDs.count)
        var heldOut = [[(item: Int32, role: SplitRole)]](repeating: [], count: userIDs.count)
        for r in users.indices {
            let u = Int(users[r])
            if split.roles[r] == .train { history[u].append(items[r]) } else { heldOut[u].append((items[r], split.roles[r])) }
        }
        self.history = history
        self.heldOut = heldOut
        test = split.heldOut(.test, users: users, items: items, userCount: userIDs.count, itemCount: itemIDs.count)
    }

    /// What `sid` and `rank` read beyond the matrix: training items in time order, and the valid rows.
    var trainingContext: TrainingContext {
        var start = [0], items: [Int32] = []
        for h in history { items.append(contentsOf: h); start.append(items.count) }
        var vu: [Int32] = [], vi: [Int32] = []
        for (u, rows) in heldOut.enumerated() {
            for r in rows where r.role == .valid { vu.append(Int32(u)); vi.append(r.item) }
        }
        let valid = InteractionMatrix(userCount: userIDs.count, itemCount: itemIDs.count, users: vu, items: vi)
        return TrainingContext(sequences: UserSequences(start: start, items: items, timestamps: [Double](repeating: 0, count: items.count)),
                               validation: vu.isEmpty ? nil : valid)
    }

    func user(_ id: String) throws -> Int {
        guard let u = userIndex[id] else { throw RecommendationError("no user '\(id)' in the catalog") }
        return u
    }

    func item(_ id: String) throws -> Int {
        guard let i = itemIndex[id] else { throw RecommendationError("no item '\(id)' in the split") }
        return i
    }

    /// Items `user` has before the test rows (train and valid): what a ranking leaves out.
    func seen(_ u: Int) -> ExclusionSet { ExclusionSet(sorted: test.seen.items(ofUser: u)) }

    func item(_ i: Int32, role: String) -> ProfileItem {
        ProfileItem(id: itemIDs[Int(i)], title: titles[Int(i)], role: role)
    }

    func profile(user id: String, recent: Int) throws -> UserProfile {
        let u = try user(id)
        return UserProfile(user: id, trainCount: history[u].count,
                           recent: history[u].suffix(max(0, recent)).reversed().map { item($0, role: "train") },
                           heldOut: heldOut[u].map { item($0.item, role: $0.role == .test ? "test" : "valid") })
    }
}

/// How a source times a retrieval: the monotonic clock, or a fixed answer so snapshots are reproducible.
public enum RetrievalClock: Sendable {
    case continuous
    /// Reports this many seconds for every retrieval (tests and demo screenshots).
    case fixed(Double)

    /// A time measured elsewhere, as this clock reports it (the fixed answer for a fixed clock).
    func report(_ seconds: Double) -> Double {
        if case .fixed(let fixed) = self { return fixed }
        return seconds
    }

    func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        switch self {
        case .continuous:
            let started = ContinuousClock.now
            let result = try body()
            let (s, atto) = (ContinuousClock.now - started).components
            return (result, Double(s) + Double(atto) * 1e-18)
        case .fixed(let seconds):
            return (try body(), seconds)
        }
    }
}

/// The models of one split, prepared on demand and kept: what both recommendation sources share.
///
/// `loadData` runs once, on the first call that needs it (a background queue); `obtain` loads or trains
/// a model. Both run outside the lock's fast path only once per model.
final class SplitModels: Sendable {
    typealias Obtain = @Sendable (ModelKind, SplitData, @escaping @Sendable (String) -> Void) throws -> PreparedModel
    struct PreparedModel: Sendable {
        let model: any TrainedModel
        let info: ModelInfo
    }

    private let loadData: @Sendable () throws -> SplitData
    private let obtain: Obtain
    private let clock: RetrievalClock
    private let data = Mutex<SplitData?>(nil)
    private let models = Mutex<[ModelKind: PreparedModel]>([:])
    /// One preparation at a time, so two requests for a model never train it twice.
    private let preparing = Mutex<Void>(())

    init(clock: RetrievalClock, loadData: @escaping @Sendable () throws -> SplitData, obtain: @escaping Obtain) {
        self.clock = clock
        self.loadData = loadData
        self.obtain = obtain
    }

    func splitData() throws -> SplitData {
        try data.withLock { d in
            if let d { return d }
            let loaded = try loadData()
            d = loaded
            return loaded
        }
    }

    func kind(_ name: String) throws -> ModelKind {
        do { return try ModelKind(named: name) } catch { throw RecommendationError("\(error)") }
    }

    func prepare(model name: String, progress: @escaping @Sendable (String) -> Void) throws -> ModelInfo {
        let kind = try kind(name)
        return try preparing.withLock { _ in
            let d = try splitData()
            if let prepared = models.withLock({ $0[kind] }) { return prepared.info }
            let obtained = try obtain(kind, d, progress)
            models.withLock { $0[kind] = obtained }
            return obtained.info
        }
    }

    func trained(_ name: String) throws -> any TrainedModel {
        let kind = try kind(name)
        guard let model = models.withLock({ $0[kind]?.model }) else {
            throw RecommendationError("model \(name) is not prepared yet (prepare it first)")
        }
        return model
    }

    func recommend(user: String, model name: String, k: Int, excludeSeen: Bool) throws -> Recommendations {
        let d = try splitData()
        let u = try d.user(user)
        let model = try trained(name)
        let exclude = excludeSeen ? d.seen(u) : .none
        let (list, seconds) = clock.measure { model.recommend(user: u, k: max(0, k), exclude: exclude) }
        return Recommendations(items: list.map { RecommendedItem(id: d.itemIDs[Int($0.item)], title: d.titles[Int($0.item)], score: $0.score) },
                               seconds: seconds, stages: stages(model, user: u, k: max(0, k), exclude: exclude))
    }

    /// The stage lines of `sid` (the beam, level by level) and `rank` (generate, then rank); none for the others.
    func stages(_ model: any TrainedModel, user: Int, k: Int, exclude: ExclusionSet) -> [String] {
        if let sid = model as? SemanticIDRetriever {
            let t = sid.trace(user: user, k: k, exclude: exclude)
            guard t.personalised else { return ["beam: no training history, popularity instead"] }
            let kept = t.levels.map { "\($0.kept.count)/\($0.kept.count + $0.pruned.count)" }.joined(separator: " → ")
            return ["beam \(t.beam): kept \(kept) prefixes", "\(t.itemsScored) items scored, \(t.passes) pass\(t.passes == 1 ? "" : "es")"]
        }
        if let rank = model as? GenerateRank {
            let s = rank.stages(user: user, k: k, exclude: exclude)
            guard s.personalised else { return ["generate: no training history, popularity instead"] }
            let sources = s.sources.map { "\($0.name) \($0.items.count)" }.joined(separator: " + ")
            return ["generate \(ComparePane.duration(clock.report(s.seconds["generate"] ?? 0))): \(s.merged) candidates", "(\(sources))",
                    "rank \(ComparePane.duration(clock.report(s.seconds["rank"] ?? 0))): pairwise ranker"]
        }
        return []
    }

    func similarItems(item: String, model name: String, k: Int) throws -> [RecommendedItem] {
        let d = try splitData()
        let i = try d.item(item)
        let model = try trained(name)
        return model.similarItems(to: i, k: max(0, k)).map {
            RecommendedItem(id: d.itemIDs[Int($0.item)], title: d.titles[Int($0.item)], score: $0.score)
        }
    }

    func metrics(model name: String, k: Int) throws -> ModelMetrics {
        let d = try splitData()
        let model = try trained(name)
        let popularity = PopularityProfile(counts: d.train.itemCounts(), userCount: d.userIDs.count)
        let report = Evaluator(cutoffs: [k], metrics: [.recall, .ndcg, .mrr], beyondAccuracy: [])
            .evaluate(model, heldOut: d.test, popularity: popularity)
        var values: [String: Double] = [:], perUser: [String: [Double]] = [:]
        for metric in [Metric.recall, .ndcg, .mrr] {
            values[metric.key(at: k)] = report.means[metric.key(at: k)] ?? 0
            perUser[metric.key(at: k)] = report.perUser[metric.key(at: k)] ?? []
        }
        return ModelMetrics(model: name, values: values, perUser: perUser)
    }
}

/// Formats a training event as the status line shows it.
func _progressLine(_ event: TrainingEvent, split: String) -> String {
    let loss = event.loss.map { String(format: " · loss %.4g", $0) } ?? ""
    return "training \(event.model.rawValue) on \(split): epoch \(event.epoch)/\(event.epochs)\(loss) · \(String(format: "%.1f", event.seconds)) s"
}
