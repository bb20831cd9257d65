import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels

/// What the model commands share: the catalog's interactions, its stored splits, and trained models.
///
/// A model trained on a split is stored under (name, split); one trained on everything under (name, no
/// split). Splits are stored by name (`loo`, `temporal`, `ratio`) with the interaction count and last id
/// they were made from, and remade (dropping their models) when the catalog has changed since.
public struct ModelWorkbench: Sendable {
    public let store: any WorkbenchStore
    public let log: InteractionLog
    /// External user and item ids ↔ dense indices.
    public let users: Vocabulary
    public let items: Vocabulary

    public init(catalog: Catalog) throws {
        try self.init(store: catalog)
    }

    public init(store: any WorkbenchStore) throws {
        self.store = store
        log = try store.interactionLog()
        guard log.count > 0 else {
            throw WorkbenchError("\(store.name) has no interactions (import some first: recscope import --catalog \(store.name) ...)")
        }
        users = Vocabulary(ids: log.userIDs)
        items = Vocabulary(ids: log.itemIDs)
    }

    private init(store: any WorkbenchStore, log: InteractionLog, users: Vocabulary, items: Vocabulary) {
        self.store = store
        self.log = log
        self.users = users
        self.items = items
    }

    /// False for a workbench made by `withoutRows()`.
    public var hasRows: Bool { log.count > 0 }

    /// The same workbench without the log's rows: its ids, vocabularies and store only. What the explorer
    /// keeps once a split is seen per user (`SplitView`); it loads stored models, but splitting, training and
    /// anything else that reads rows needs a workbench with rows (at 24M interactions the rows are 670 MB).
    public func withoutRows() -> ModelWorkbench {
        var ids = InteractionLog()
        ids.userIDs = log.userIDs
        ids.itemIDs = log.itemIDs
        return ModelWorkbench(store: store, log: ids, users: users, items: items)
    }

    /// The catalog behind the workbench (the command line's workbenches always have one).
    public var catalog: Catalog {
        get throws {
            guard let catalog = store as? Catalog else { throw WorkbenchError("\(store.name) is not a catalog file") }
            return catalog
        }
    }

    /// The dense index of user `id`; the error names the catalog and gives examples of its ids.
    public func user(_ id: String) throws -> Int {
        guard let u = users.lookup(id) else {
            let examples = log.userIDs.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            throw WorkbenchError("no user '\(id)' in \(store.name) (expected a user id from the imported data, e.g. \(examples))")
        }
        return Int(u)
    }

    /// The dense index of item `id`.
    public func item(_ id: String) throws -> Int {
        guard let i = items.lookup(id) else { throw WorkbenchError("no item '\(id)' in \(store.name)") }
        return Int(i)
    }

    /// Every model the store offers: the trainable ones in registry order, then its imported runs by name.
    public static func models(in store: any WorkbenchStore) throws -> [ModelKind] {
        let runs = Set(try store.listModels().compactMap { ModelKind(rawValue: $0.name) }.filter { !$0.isTrainable })
        return ModelKind.allCases + runs.sorted { $0.rawValue < $1.rawValue }
    }

    /// Default parameters of each split strategy.
    public static let splitNames = ["loo", "temporal", "ratio", "cold-items"]

    /// The split names as a help text or error spells them: `loo, temporal, ratio or cold-items`.
    public static var splitList: String { splitNames.dropLast().joined(separator: ", ") + " or " + splitNames.last! }

    /// The split `name`: the stored one when it still matches the catalog, else made now and stored.
    public func split(_ name: String) throws -> Split {
        guard hasRows else { throw WorkbenchError("split '\(name)' of \(store.name) needs the interactions, which this workbench has dropped") }
        let fingerprint = ["interactions": String(log.count), "last_id": String(log.sequence.max() ?? 0)]
        if let stored = try store.loadSplit(name: name),
           stored.params["interactions"] == fingerprint["interactions"], stored.params["last_id"] == fingerprint["last_id"] {
            return try roles(from: stored)
        }
        let split: Split
        var params = fingerprint
        switch name {
        case "loo":
            split = Split.leaveOneOut(users: log.users, timestamps: log.timestamps, sequence: log.sequence)
        case "temporal":
            split = Split.temporal(timestamps: log.timestamps, sequence: log.sequence, validFraction: 0.1, testFraction: 0.1)
            params["valid"] = "0.1"; params["test"] = "0.1"
        case "ratio":
            split = Split.ratio(users: log.users, sequence: log.sequence, validFraction: 0.1, testFraction: 0.2, seed: 1)
            params["valid"] = "0.1"; params["test"] = "0.2"; params["seed"] = "1"
        case "cold-items":
            split = Split.coldItems(users: log.users, items: log.items, itemCount: log.itemCount, timestamps: log.timestamps,
                                    sequence: log.sequence, fraction: 0.1, seed: 1)
            params["fraction"] = "0.1"; params["seed"] = "1"
        default:
            throw WorkbenchError("unknown split '\(name)' (expected \(Self.splitList))")
        }
        var holdout: [HoldoutRow] = []
        for r in split.roles.indices where split.roles[r] != .train {
            holdout.append(HoldoutRow(interaction: log.sequence[r], user: log.users[r], item: log.items[r],
                                      role: split.roles[r] == .test ? .test : .valid))
        }
        try store.saveSplit(name: name, kind: name, params: params, holdout: holdout)
        return split
    }

    /// Roles per log row from a stored split's held-out interaction ids.
    ///
    /// The log is grouped by user, so each held-out row is looked for among its own user's rows (a few
    /// hundred), not through a map of every interaction id (24M entries and seconds at scale).
    public func roles(from stored: StoredSplit) throws -> Split {
        var userStart = [Int](repeating: 0, count: log.userCount + 1)
        for u in log.users { userStart[Int(u) + 1] += 1 }
        for u in 0..<log.userCount { userStart[u + 1] += userStart[u] }
        var roles = [SplitRole](repeating: .train, count: log.count)
        for h in stored.holdout {
            let u = Int(h.user)
            let rows = u >= 0 && u < log.userCount ? userStart[u]..<userStart[u + 1] : 0..<0
            guard let r = rows.first(where: { log.sequence[$0] == h.interaction }) else {
                throw WorkbenchError("split '\(stored.name)' holds interaction \(h.interaction) of user \(h.user), which the catalog no longer has; remove the split or re-import")
            }
            roles[r] = h.role == .test ? .test : .valid
        }
        let kind: SplitKind
        switch stored.kind {
        case "temporal": kind = .temporal(validFraction: Double(stored.params["valid"] ?? "") ?? 0.1,
                                          testFraction: Double(stored.params["test"] ?? "") ?? 0.1)
        case "ratio": kind = .ratio(validFraction: Double(stored.params["valid"] ?? "") ?? 0.1,
                                    testFraction: Double(stored.params["test"] ?? "") ?? 0.2,
                                    seed: UInt64(stored.params["seed"] ?? "") ?? 1)
        case "cold-items": kind = .coldItems(fraction: Double(stored.params["fraction"] ?? "") ?? 0.1,
                                             seed: UInt64(stored.params["seed"] ?? "") ?? 1)
        default: kind = .leaveOneOut
        }
        return Split(kind: kind, roles: roles)
    }

    /// The binary user × item matrix of the rows whose role is in `roles` (nil: every row).
    public func matrix(_ split: Split?, roles: Set<SplitRole> = [.train]) -> InteractionMatrix {
        let m = split.map { $0.matrix(of: roles, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount) }
            ?? InteractionMatrix(userCount: log.userCount, itemCount: log.itemCount, users: log.users, items: log.items)
        return InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart,
                                 itemIndices: m.itemIndices, values: [Float](repeating: 1, count: m.nonZeroCount))
    }

    /// For `pop` with `window_days`: the training rows within that many days of the latest training row
    /// (so a split's held-out time never leaks into "now").
    public func recent(_ split: Split?, days: Float) -> InteractionMatrix {
        let isTrain = { (r: Int) in (split?.roles[r] ?? .train) == .train }
        let latest = (0..<log.count).filter(isTrain).map { log.timestamps[$0] }.max() ?? 0
        let cutoff = latest - Double(days) * 86_400
        var u: [Int32] = [], i: [Int32] = []
        for r in 0..<log.count where log.timestamps[r] >= cutoff && isTrain(r) {
            u.append(log.users[r]); i.append(log.items[r])
        }
        return InteractionMatrix(userCount: log.userCount, itemCount: log.itemCount, users: u, items: i)
    }

    /// The parameters `kind` is trained with: the ones `recscope tune` chose for it on this store, each
    /// overridden by `params` (the caller's `--param`s).
    public func effectiveParams(_ kind: ModelKind, _ params: [String: String]) throws -> [String: String] {
        guard let tuned = try store.loadTunedParameters(model: kind.rawValue) else { return params }
        return tuned.params.merging(params) { _, given in given }
    }

    /// Trains `kind` on the split's training part (or everything) with the tuned parameters under `params`,
    /// stores it, and returns it with its fit time.
    public func train(_ kind: ModelKind, params: [String: String], split splitName: String?, progress: TrainingProgress? = nil) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64) {
        let (model, seconds) = try fit(kind, params: try effectiveParams(kind, params), split: splitName, progress: progress)
        return (model, seconds, try save(model, split: splitName, fitSeconds: seconds))
    }

    /// Trains `kind` with exactly `params` (no tuned parameters) on the split's training part, without storing it.
    public func fit(_ kind: ModelKind, params: [String: String], split splitName: String?, progress: TrainingProgress? = nil) throws -> (model: any TrainedModel, fitSeconds: Double) {
        let split = try splitName.map { try self.split($0) }
        let train = matrix(split)
        let days = Float(params["window_days"] ?? "") ?? 0
        let recent = kind.needs.contains(.recentWindow) && days > 0 ? self.recent(split, days: days) : nil
        var context = try trainingContext(for: kind, split: split)
        context.semanticIDs = try storedSemanticIDs(for: kind, params: params)
        let stopwatch = Stopwatch()
        let model = try kind.train(train, params: params, recent: recent, context: context, progress: progress)
        return (model, stopwatch.elapsed)
    }

    /// Stores `model` as its kind's model on `split` (replacing the one there); returns its id.
    public func save(_ model: any TrainedModel, split splitName: String?, fitSeconds: Double) throws -> Int64 {
        let a = model.artifact()
        return try store.saveModel(name: a.kind.rawValue, kind: a.kind.rawValue, split: splitName, params: a.params,
                                   artifact: StoredArtifact(userCount: a.userCount, itemCount: a.itemCount,
                                                            arrays: a.arrays.mapValues { StoredArray(rows: $0.rows, cols: $0.cols, values: $0.values) }),
                                   fitSeconds: fitSeconds)
    }

    /// What `kind` reads beyond the training matrix, as its registration's `needs` lists: the training rows
    /// in time order (ties by source order), the split's valid rows (never its test rows), the item categories.
    public func trainingContext(for kind: ModelKind, split: Split?) throws -> TrainingContext {
        let needs = kind.needs
        var context = TrainingContext.none
        if needs.contains(.sequences) {
            let isTrain = { (r: Int) in (split?.roles[r] ?? .train) == .train }
            let rows = (0..<log.count).filter(isTrain)
            context.sequences = UserSequences(userCount: log.userCount, users: rows.map { log.users[$0] },
                                              items: rows.map { log.items[$0] }, timestamps: rows.map { log.timestamps[$0] },
                                              sourceOrder: rows.map { log.sequence[$0] })
        }
        if needs.contains(.validation), let valid = split.map({ matrix($0, roles: [.valid]) }), valid.nonZeroCount > 0 {
            context.validation = valid
        }
        if needs.contains(.itemCategories) {
            let (names, lists) = try store.itemCategoryLists()
            if !names.isEmpty && lists.count == log.itemCount { context.itemCategories = ItemCategories(lists: lists, categoryCount: names.count) }
        }
        return context
    }

    /// The stored semantic IDs of every space `params` name (`sid` `space=S`, `rank` `sid.space=S`).
    ///
    /// The model keeps the codes it was trained with in its artifact, so a later `recscope sid build` does not
    /// change a stored model; retraining it (`recscope train --model sid --param space=S`) picks up new codes.
    public func storedSemanticIDs(for kind: ModelKind, params: [String: String]) throws -> [String: SemanticIDs] {
        var out: [String: SemanticIDs] = [:]
        for space in try kind.semanticIDSpaces(params) {
            guard let stored = try store.loadSemanticIDs(space: space) else {
                let built = try store.semanticIDSpaces()
                throw WorkbenchError("\(kind.rawValue) space=\(space): \(store.name) has no semantic IDs for space '\(space)' "
                    + "(built: \(built.isEmpty ? "none" : built.joined(separator: ", "))); build them with "
                    + "recscope sid build --catalog \(store.name) --space \(space)")
            }
            guard stored.itemCount == log.itemCount else {
                throw WorkbenchError("\(kind.rawValue) space=\(space): the semantic IDs of '\(space)' cover \(stored.itemCount) items, "
                    + "\(store.name) has \(log.itemCount); rebuild them with recscope sid build --catalog \(store.name) --space \(space)")
            }
            out[space] = SemanticIDs(stored)
        }
        return out
    }

    /// The stored model `kind` on `split`, when there is one trained with exactly the parameters `params`
    /// resolve to (tuned parameters and defaults included).
    ///
    /// An imported run (`ext:NAME`) is stored once, for every split (its tool chose what it was trained on), and
    /// its parameters record where it came from, so only its size is checked: a run imported before the catalog
    /// gained users or items is an error that says to re-import it.
    public func stored(_ kind: ModelKind, params: [String: String], split: String?) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64)? {
        let resolved = try kind.resolvedParams(try effectiveParams(kind, params))
        guard let s = try store.loadModel(name: kind.rawValue, split: kind.isTrainable ? split : nil), let a = s.artifact else { return nil }
        guard a.userCount == log.userCount, a.itemCount == log.itemCount else {
            if kind.isTrainable { return nil }
            throw WorkbenchError("\(kind.rawValue) was imported when \(store.name) had \(a.userCount) users and \(a.itemCount) items; "
                + "it now has \(log.userCount) and \(log.itemCount): import the run again with recscope import-run --replace")
        }
        guard !kind.isTrainable || resolved == s.params else { return nil }
        let artifact = ModelArtifact(kind: kind, params: s.params, userCount: a.userCount, itemCount: a.itemCount,
                                     arrays: a.arrays.mapValues { ArtifactArray(rows: $0.rows, cols: $0.cols, values: $0.values) })
        return (try kind.load(artifact), s.fitSeconds ?? 0, s.id)
    }

    /// Stored when possible, trained (and stored) otherwise; `trained` says which.
    public func model(_ kind: ModelKind, params: [String: String], split: String?, progress: TrainingProgress? = nil) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64, trained: Bool) {
        if let s = try stored(kind, params: params, split: split) { return (s.model, s.fitSeconds, s.id, false) }
        let t = try train(kind, params: params, split: split, progress: progress)
        return (t.model, t.fitSeconds, t.id, true)
    }
}

/// Why the workbench could not give a split or a model; the message says what to do.
public struct WorkbenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
