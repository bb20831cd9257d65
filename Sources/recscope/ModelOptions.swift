import ArgumentParser
import Foundation
import RecCatalog
import RecEval
import RecModels
import RecWorkbench
import Synchronization

extension ModelWorkbench {
    /// Prints epoch, loss, validation NDCG@10 and time to stderr, on one updating line, when stderr is a terminal.
    static func progressPrinter(_ kind: ModelKind) -> TrainingProgress? {
        guard FileSystem.isTerminal(2) else { return nil }
        return { event in
            let loss = event.loss.map { String(format: "  loss %.5g", $0) } ?? ""
            let valid = event.validation.map { String(format: "  valid NDCG@10 %.4f", $0) } ?? ""
            let line = "\r\(kind.rawValue): epoch \(event.epoch)/\(event.epochs)\(loss)\(valid)  \(String(format: "%.2f", event.seconds)) s   "
            FileSystem.writeError(event.finishes ? line + "\n" : line)
        }
    }
}

/// Keeps every training event of a run (for `--json`) and passes each on to the terminal printer.
final class TrainingLog: Sendable {
    private let events = Mutex<[TrainingEvent]>([])
    private let printer: TrainingProgress?

    init(_ kind: ModelKind) { printer = ModelWorkbench.progressPrinter(kind) }

    var progress: TrainingProgress {
        { [self] event in
            events.withLock { $0.append(event) }
            printer?(event)
        }
    }

    /// One JSON object per epoch: epoch, loss, seconds so far, and when reported the epoch's own training
    /// seconds and validation NDCG@10; nil when the model reported no epochs.
    var json: [[String: Any]]? {
        let all = events.withLock { $0 }
        guard !all.isEmpty else { return nil }
        return all.map { e in
            var row: [String: Any] = ["epoch": e.epoch, "seconds": e.seconds]
            if let loss = e.loss { row["loss"] = jsonNumber(loss) }
            if let s = e.epochSeconds { row["epoch_seconds"] = s }
            if let v = e.validation { row["valid_ndcg10"] = jsonNumber(v) }
            return row
        }
    }
}

extension ModelKind {
    /// "Models:" and one line per model of the registry (name and summary), for a command's discussion.
    static var helpTable: String {
        "Models:\n" + allCases.map { "  " + $0.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
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
                guard try ModelKind(named: String(key[..<dot])) == kind else { continue }
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
    guard !out.isEmpty else { throw CommandError("no model named (expected some of \(ModelKind.namesWithRuns), e.g. --models pop,als,ease)") }
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
        } catch let error as WorkbenchError {
            throw CatalogError("\(error)")
        } catch let error as RunFileError {
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
