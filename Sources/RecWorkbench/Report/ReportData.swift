import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels

/// What `recscope report` puts in its HTML file, gathered through the same workbench code as the explorer:
/// the catalog summary (`CatalogBrowser`), the metrics and fairness lens (`SplitModels.lens`), the chosen
/// users' lists with why each item is there (`SplitModels.explain`), and stored simulation runs.
public struct ReportData: Sendable {
    /// One user's section: their history and each model's explained list.
    public struct UserSection: Sendable {
        public var user: String
        /// Training items in the split, oldest first (ids and titles).
        public var history: [ItemName]
        /// Held-out test items of the split.
        public var test: [ItemName]
        public var lists: [ExplainedList]
    }

    /// One stored simulation run: its configuration, summary numbers and retention curve.
    public struct SimulationRun: Sendable {
        public var id: Int64
        public var model: String
        public var agent: Bool
        public var users: Int
        public var turns: Int
        public var seed: UInt64
        public var retention: [Double]
        /// Other numbers of its summary (`ctr`, `mean_session_length`, …) by key.
        public var numbers: [String: Double]
    }

    /// One turn of the transcript shown.
    public struct Turn: Sendable {
        public var turn: Int
        public var slate: [ItemName]
        /// One letter per slate position: `.` unseen, `s` skip, `c` click, `L` like.
        public var reactions: String
        public var said: String?
        public var trace: String
    }

    public var catalogName: String
    /// When it was made, as the caller spells it (injected, so tests give fixed bytes).
    public var generated: String
    public var summary: CatalogSummary
    public var split: String
    public var k: Int
    public var models: [ModelKind]
    public var lens: LensSnapshot?
    public var users: [UserSection]
    public var simulations: [SimulationRun]
    /// The first run's first simulated user, turn by turn.
    public var transcript: [Turn]
    /// Seconds per stage (`summary`, `models`, `lens`, `users`, `simulation`).
    public var seconds: [(String, Double)]
}

/// What to put in a report.
public struct ReportRequest: Sendable {
    public var models: [ModelKind]
    /// External user ids; empty: the first users with at least `minimumHistory` training items.
    public var users: [String]
    public var defaultUsers = 2
    public var minimumHistory = 5
    /// Stored simulation runs (their retention curves; the first one's transcript).
    public var simulations: [Int64]
    public var split = "loo"
    public var k = 10
    public var threads = 0

    public init(models: [ModelKind], users: [String] = [], simulations: [Int64] = [], k: Int = 10) {
        self.models = models
        self.users = users
        self.simulations = simulations
        self.k = k
    }
}

extension ReportData {
    /// Gathers a report of `catalog`: stored models on the split are loaded, missing ones trained and stored.
    public static func gather(catalog: Catalog, _ request: ReportRequest, generated: String,
                              progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> ReportData {
        var seconds: [(String, Double)] = []
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let (value, s) = try Stopwatch.time(body)
            seconds.append((stage, s))
            return value
        }
        let summary = try timed("summary") { try CatalogBrowser(catalog: catalog).summary() }
        let models = SplitModels(split: request.split) { try ModelWorkbench(catalog: catalog) }
        try timed("models") {
            for kind in request.models { _ = try models.prepare(kind, progress: progress) }
        }
        let lens = try timed("lens") { request.models.isEmpty ? nil : try models.lens(models: request.models, k: request.k, threads: request.threads) }
        let d = try models.data()
        let users = try timed("users") { () -> [UserSection] in
            var ids = request.users
            if ids.isEmpty {
                ids = (0..<d.view.userCount).filter { d.view.history[$0].count >= request.minimumHistory && !d.view.heldOut[$0].isEmpty }
                    .prefix(request.defaultUsers).map { d.bench.log.userIDs[$0] }
            }
            return try ids.map { id in
                let u = try d.bench.user(id)
                let name = { (i: Int32) in ItemName(id: d.bench.log.itemIDs[Int(i)], title: d.titles[Int(i)]) }
                return UserSection(user: id, history: d.view.history[u].map(name),
                                   test: d.view.heldOut[u].filter { $0.role == .test }.map { name($0.item) },
                                   lists: try request.models.map { try models.explain(user: id, model: $0, k: request.k, excludeSeen: true) })
            }
        }
        let (runs, transcript) = try timed("simulation") { () -> ([SimulationRun], [Turn]) in
            var runs: [SimulationRun] = []
            var transcript: [Turn] = []
            for id in request.simulations {
                guard let stored = try catalog.loadSimRun(id: id) else {
                    throw WorkbenchError("\(catalog.path) has no simulation run \(id) (list them: recscope simulate --list)")
                }
                let summary = (try? JSONSerialization.jsonObject(with: Data((stored.summary ?? "{}").utf8))) as? [String: Any] ?? [:]
                var numbers: [String: Double] = [:]
                for (key, value) in summary { if let n = value as? Double, !(value is Bool) { numbers[key] = n } }
                runs.append(SimulationRun(id: id, model: stored.model, agent: stored.agent, users: stored.users, turns: stored.turns,
                                          seed: stored.seed, retention: (summary["retention"] as? [Double]) ?? [], numbers: numbers))
                if transcript.isEmpty {
                    let turns = try catalog.simTurns(run: id)
                    let first = turns.first?.user
                    transcript = turns.filter { $0.user == first }.map { t in
                        let ids = ((try? JSONSerialization.jsonObject(with: Data(t.slate.utf8))) as? [String]) ?? []
                        let said = t.instruction.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }?["text"] as? String
                        return Turn(turn: t.turn, slate: ids.map { id in
                            d.bench.items.lookup(id).map { ItemName(id: id, title: d.titles[Int($0)]) } ?? ItemName(id: id, title: "")
                        }, reactions: t.reactions, said: said, trace: t.trace ?? "")
                    }
                }
            }
            return (runs, transcript)
        }
        return ReportData(catalogName: catalog.path, generated: generated, summary: summary, split: request.split, k: request.k,
                          models: request.models, lens: lens, users: users, simulations: runs, transcript: transcript, seconds: seconds)
    }
}
