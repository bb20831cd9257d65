import ArgumentParser
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
struct ModelWorkbench {
    let catalog: Catalog
    let log: InteractionLog

    init(catalog: Catalog) throws {
        self.catalog = catalog
        log = try catalog.interactionLog()
        guard log.count > 0 else {
            throw CommandError("\(catalog.path) has no interactions (import some first: recscope import --catalog \(catalog.path) ...)")
        }
    }

    /// Default parameters of each split strategy.
    static let splitNames = ["loo", "temporal", "ratio"]

    /// The split `name`: the stored one when it still matches the catalog, else made now and stored.
    func split(_ name: String) throws -> Split {
        let fingerprint = ["interactions": String(log.count), "last_id": String(log.sequence.max() ?? 0)]
        if let stored = try catalog.loadSplit(name: name),
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
        default:
            throw CommandError("unknown split '\(name)' (expected loo, temporal or ratio)")
        }
        var holdout: [HoldoutRow] = []
        for r in split.roles.indices where split.roles[r] != .train {
            holdout.append(HoldoutRow(interaction: log.sequence[r], user: log.users[r], item: log.items[r],
                                      role: split.roles[r] == .test ? .test : .valid))
        }
        try catalog.saveSplit(name: name, kind: name, params: params, holdout: holdout)
        return split
    }

    /// Roles per log row from a stored split's held-out interaction ids.
    func roles(from stored: StoredSplit) throws -> Split {
        var row: [Int64: Int] = [:]
        row.reserveCapacity(log.count)
        for (r, id) in log.sequence.enumerated() { row[id] = r }
        var roles = [SplitRole](repeating: .train, count: log.count)
        for h in stored.holdout {
            guard let r = row[h.interaction] else {
                throw CommandError("split '\(stored.name)' holds interaction \(h.interaction), which the catalog no longer has; remove the split or re-import")
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
        default: kind = .leaveOneOut
        }
        return Split(kind: kind, roles: roles)
    }

    /// The binary user × item matrix of the rows whose role is in `roles` (nil: every row).
    func matrix(_ split: Split?, roles: Set<SplitRole> = [.train]) -> InteractionMatrix {
        let m = split.map { $0.matrix(of: roles, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount) }
            ?? InteractionMatrix(userCount: log.userCount, itemCount: log.itemCount, users: log.users, items: log.items)
        return InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart,
                                 itemIndices: m.itemIndices, values: [Float](repeating: 1, count: m.nonZeroCount))
    }

    /// For `pop` with `window_days`: the training rows within that many days of the latest training row
    /// (so a split's held-out time never leaks into "now").
    func recent(_ split: Split?, days: Float) -> InteractionMatrix {
        let isTrain = { (r: Int) in (split?.roles[r] ?? .train) == .train }
        let latest = (0..<log.count).filter(isTrain).map { log.timestamps[$0] }.max() ?? 0
        let cutoff = latest - Double(days) * 86_400
        var u: [Int32] = [], i: [Int32] = []
        for r in 0..<log.count where log.timestamps[r] >= cutoff && isTrain(r) {
            u.append(log.users[r]); i.append(log.items[r])
        }
        return InteractionMatrix(userCount: log.userCount, itemCount: log.itemCount, users: u, items: i)
    }

    /// Trains `kind` on the split's training part (or everything), stores it, and returns it with its fit time.
    func train(_ kind: ModelKind, params: [String: String], split splitName: String?) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64) {
        let split = try splitName.map { try self.split($0) }
        let train = matrix(split)
        let days = Float(params["window_days"] ?? "") ?? 0
        let recent = kind == .pop && days > 0 ? self.recent(split, days: days) : nil
        let started = FileSystem.now()
        let model = try kind.train(train, params: params, recent: recent, progress: Self.progressPrinter(kind))
        let seconds = FileSystem.now() - started
        let a = model.artifact()
        let id = try catalog.saveModel(name: kind.rawValue, kind: kind.rawValue, split: splitName, params: a.params,
                              artifact: StoredArtifact(userCount: a.userCount, itemCount: a.itemCount,
                                                       arrays: a.arrays.mapValues { StoredArray(rows: $0.rows, cols: $0.cols, values: $0.values) }),
                              fitSeconds: seconds)
        return (model, seconds, id)
    }

    /// The stored model `kind` on `split`, when there is one trained with exactly the parameters `params`
    /// resolve to (defaults included).
    func stored(_ kind: ModelKind, params: [String: String], split: String?) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64)? {
        guard let s = try catalog.loadModel(name: kind.rawValue, split: split), let a = s.artifact else { return nil }
        guard s.artifact?.userCount == log.userCount, s.artifact?.itemCount == log.itemCount else { return nil }
        guard try kind.resolvedParams(params) == s.params else { return nil }
        let artifact = ModelArtifact(kind: kind, params: s.params, userCount: a.userCount, itemCount: a.itemCount,
                                     arrays: a.arrays.mapValues { ArtifactArray(rows: $0.rows, cols: $0.cols, values: $0.values) })
        return (try kind.load(artifact), s.fitSeconds ?? 0, s.id)
    }

    /// Stored when possible, trained (and stored) otherwise; `trained` says which.
    func model(_ kind: ModelKind, params: [String: String], split: String?) throws -> (model: any TrainedModel, fitSeconds: Double, id: Int64, trained: Bool) {
        if let s = try stored(kind, params: params, split: split) { return (s.model, s.fitSeconds, s.id, false) }
        let t = try train(kind, params: params, split: split)
        return (t.model, t.fitSeconds, t.id, true)
    }

    /// Prints epoch, loss and time to stderr, on one updating line, when stderr is a terminal.
    static func progressPrinter(_ kind: ModelKind) -> TrainingProgress? {
        guard FileSystem.isTerminal(2) else { return nil }
        return { event in
            let loss = event.loss.map { String(format: "  loss %.5g", $0) } ?? ""
            let line = "\r\(kind.rawValue): epoch \(event.epoch)/\(event.epochs)\(loss)  \(String(format: "%.2f", event.seconds)) s   "
            FileSystem.writeError(event.epoch == event.epochs ? line + "\n" : line)
        }
    }
}

/// `--param k=v` pairs; `model.k=v` applies only to that model, plain `k=v` to every model named.
struct ParamOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: "A model parameter, k=v or model.k=v (repeatable), e.g. --param als.factors=32.")
    var pairs: [String] = []

    func params(for kind: ModelKind) throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw CommandError("--param \(pair): expected k=v or model.k=v (e.g. factors=64 or als.alpha=2)")
            }
            var key = String(pair[..<eq])
            let value = String(pair[pair.index(after: eq)...])
            if let dot = key.firstIndex(of: ".") {
                let model = String(key[..<dot])
                _ = try ModelKind(named: model)
                guard model.lowercased() == kind.rawValue else { continue }
                key = String(key[key.index(after: dot)...])
            }
            out[key] = value
        }
        return out
    }
}

/// Parses `a,b,c` into model kinds, in order, without repeats.
func parseModels(_ text: String) throws -> [ModelKind] {
    var out: [ModelKind] = []
    for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
        let kind = try ModelKind(named: name)
        if !out.contains(kind) { out.append(kind) }
    }
    guard !out.isEmpty else { throw CommandError("no model named (expected e.g. --models pop,als,ease)") }
    return out
}

/// A command-line mistake, with what was expected.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// `reportingErrors`, also turning model, evaluation and argument errors into one line on stderr.
func reportingModelErrors<T>(_ body: () throws -> T) throws -> T {
    try reportingErrors {
        do {
            return try body()
        } catch let error as ModelError {
            throw CatalogError("\(error)")
        } catch let error as LinearAlgebraError {
            throw CatalogError("\(error)")
        } catch let error as TRECExportError {
            throw CatalogError("\(error)")
        } catch let error as CommandError {
            throw CatalogError("\(error)")
        }
    }
}

/// One JSON document on stdout, keys sorted.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
    print(String(decoding: data, as: UTF8.self))
}

/// A JSON number that stays valid JSON (NaN and ±∞ become null).
func jsonNumber(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
