import Foundation
import Testing

/// `recscope train` killed with SIGKILL while it stores a model leaves the catalog sound, and the models
/// table holds either the whole new model or exactly the previous one (one transaction per stored model).
@Suite struct TrainCrashSafetyTests {
    /// The stored itemknn model: its parameters and each array as "name rows×cols bytes", or nil.
    static func storedModel(_ catalog: String) throws -> (k: String, arrays: [String])? {
        let out = try Binary.shell("""
            sqlite3 '\(catalog)' "SELECT json_extract(params, '$.k') FROM models WHERE name = 'itemknn' AND split IS NULL" \
            "SELECT a.name || ' ' || a.rows || 'x' || a.cols || ' ' || length(a.data) || ' ' || (length(a.data) = a.rows * a.cols * 4) FROM model_arrays a JOIN models m ON m.id = a.model WHERE m.name = 'itemknn' AND m.split IS NULL ORDER BY a.name"
            """).split(separator: "\n").map(String.init)
        guard let k = out.first else { return nil }
        return (k, Array(out.dropFirst()))
    }

    static func check(_ catalog: String) throws -> (integrity: String, orphans: String) {
        let out = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA integrity_check' 'SELECT COUNT(*) FROM model_arrays WHERE model NOT IN (SELECT id FROM models)'")
            .split(separator: "\n").map(String.init)
        return (out.first ?? "", out.last ?? "")
    }

    @Test func killedTrainLeavesTheNewModelOrThePreviousOne() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pristine = dir + "/pristine.sqlite", catalog = dir + "/c.sqlite"
        let inter = dir + "/t.inter"
        try CrashSafetyTests.interFile(rows: 30_000, prefix: "t").write(toFile: inter, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["import", "--catalog", pristine, "--format", "recbole", inter]).status == 0)
        #expect(try Binary.run(["train", "--catalog", pristine, "--model", "itemknn", "--param", "k=50"]).status == 0)
        _ = try Binary.shell("sqlite3 '\(pristine)' 'PRAGMA wal_checkpoint(TRUNCATE)'")
        let previous = try #require(try Self.storedModel(pristine))
        // The new model, stored to completion once, is what a finished trial must hold.
        try KillTrial.restore(pristine, to: catalog)
        let newArgs = ["train", "--catalog", catalog, "--model", "itemknn", "--param", "k=400"]
        // The one write before the model (16 kB at start-up) stays under 20 kB; the model's arrays pass it.
        let reference = try KillTrial.measure(newArgs, catalog: catalog, walTrigger: 20_000)
        #expect(reference.status == 0)
        let new = try #require(try Self.storedModel(catalog))
        #expect(new.k == "400" && previous.k == "50" && new.arrays != previous.arrays)
        #expect(new.arrays.allSatisfy { $0.hasSuffix(" 1") }, "\(new.arrays)")

        let trials = KillTrial.count(default: 4)
        var outcomes: [String] = []
        // Even trials kill at random times from 200 ms before the commit (still training or building the
        // transaction; run times vary by about that much) to 200 ms after it (committing, checkpointing,
        // exiting); odd trials kill 0-3 ms after the WAL starts growing, while the commit appends its pages.
        let commit = reference.toCommitMs
        let range = max(0, commit - 200)..<(commit + max(reference.commitToExitMs, 200))
        let times = KillTrial.times(count: trials, in: range, seed: 8)
        let delays = KillTrial.times(count: trials, in: 0..<4, seed: 9)
        for trial in 0..<trials {
            try KillTrial.restore(pristine, to: catalog)
            let point = trial % 2 == 0 ? "\(times[trial])ms" : "wal+\(delays[trial])ms"
            let outcome = trial % 2 == 0
                ? try KillTrial.run(newArgs, killAfterMs: times[trial])
                : try KillTrial.run(newArgs, catalog: catalog, afterWALBytes: 20_000, delayMs: delays[trial])
            let (integrity, orphans) = try Self.check(catalog)
            #expect(integrity == "ok", "trial \(trial): \(integrity)")
            #expect(orphans == "0", "trial \(trial): \(orphans) orphaned arrays")
            let stored = try Self.storedModel(catalog)
            let state = stored.map { $0.k == new.k && $0.arrays == new.arrays ? "new" : ($0.k == previous.k && $0.arrays == previous.arrays ? "previous" : "MIXED") } ?? "NONE"
            #expect(state == "new" || state == "previous", "trial \(trial) (kill at \(point)): \(stored.map { "\($0)" } ?? "no model")")
            outcomes.append("\(outcome.killedWhileRunning ? "killed" : "finished")@\(point):\(state)")
        }
        print("train crash-safety outcomes, commit at \(commit) ms (state@kill time:model): \(outcomes)")
        #expect(outcomes.contains { $0.hasPrefix("killed") }, "\(outcomes)")
    }

    /// Each stored simulation run as "id:turns", in id order.
    static func storedRuns(_ catalog: String) throws -> [String] {
        try Binary.shell("""
            sqlite3 '\(catalog)' "SELECT r.id || ':' || (SELECT COUNT(*) FROM sim_turns t WHERE t.run = r.id) FROM sim_runs r ORDER BY r.id"
            """).split(separator: "\n").map(String.init)
    }

    /// `recscope simulate` killed while it stores a run leaves the run whole (every turn) or absent.
    @Test func killedSimulateLeavesTheWholeRunOrNothing() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pristine = dir + "/pristine.sqlite", catalog = dir + "/c.sqlite"
        let inter = dir + "/s.inter"
        try CrashSafetyTests.interFile(rows: 30_000, prefix: "s").write(toFile: inter, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["import", "--catalog", pristine, "--format", "recbole", inter]).status == 0)
        let args = ["simulate", "--catalog", catalog, "--model", "pop", "--users", "400", "--turns", "20", "--seed", "5"]
        // A first run stores the split, so a trial's only write is its own run.
        #expect(try Binary.run(args.map { $0 == catalog ? pristine : $0 }).status == 0)
        _ = try Binary.shell("sqlite3 '\(pristine)' 'PRAGMA wal_checkpoint(TRUNCATE)'")
        let previous = try Self.storedRuns(pristine)
        #expect(previous.count == 1)

        try KillTrial.restore(pristine, to: catalog)
        let reference = try KillTrial.measure(args, catalog: catalog, walTrigger: 20_000)
        #expect(reference.status == 0)
        let finished = try Self.storedRuns(catalog)
        #expect(finished.count == 2 && finished.last?.hasPrefix("2:") == true, "\(finished)")
        #expect(finished.last.map { $0 != "2:0" } == true)

        let trials = KillTrial.count(default: 4)
        let commit = reference.toCommitMs
        let times = KillTrial.times(count: trials, in: max(0, commit - 200)..<(commit + max(reference.commitToExitMs, 200)), seed: 10)
        let delays = KillTrial.times(count: trials, in: 0..<4, seed: 11)
        var outcomes: [String] = []
        for trial in 0..<trials {
            try KillTrial.restore(pristine, to: catalog)
            let point = trial % 2 == 0 ? "\(times[trial])ms" : "wal+\(delays[trial])ms"
            let outcome = trial % 2 == 0
                ? try KillTrial.run(args, killAfterMs: times[trial])
                : try KillTrial.run(args, catalog: catalog, afterWALBytes: 20_000, delayMs: delays[trial])
            let integrity = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA integrity_check'").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(integrity == "ok", "trial \(trial): \(integrity)")
            let runs = try Self.storedRuns(catalog)
            let state = runs == finished ? "new" : (runs == previous ? "previous" : "MIXED")
            #expect(state != "MIXED", "trial \(trial) (kill at \(point)): \(runs)")
            outcomes.append("\(outcome.killedWhileRunning ? "killed" : "finished")@\(point):\(state)")
        }
        print("simulate crash-safety outcomes, commit at \(commit) ms: \(outcomes)")
        #expect(outcomes.contains { $0.hasPrefix("killed") }, "\(outcomes)")
    }
}
