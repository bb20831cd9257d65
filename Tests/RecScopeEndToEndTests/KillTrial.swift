import Foundation
import RecCore

/// Runs `recscope` and kills it with SIGKILL while it writes to a catalog: the shared machinery of the
/// crash-safety tests (`train` here; `simulate` storing a run is the next user of it).
///
/// The kills are aimed at the write: the catalog is in WAL mode, and SQLite appends a transaction's pages
/// to the `-wal` file when it commits, so the commit of the command's result is the moment that file grows
/// past a few pages. A reference run measures when that happens; trials then kill at seeded random times
/// around it (before: still working or building the transaction; after: committing, checkpointing, exiting).
enum KillTrial {
    struct Outcome {
        /// The process was still running when the signal was sent.
        var killedWhileRunning: Bool
    }

    /// How many trials to run: `RECSCOPE_KILL_TRIALS` (for `bench/kill_trials.sh`), else `defaultCount`.
    static func count(default defaultCount: Int) -> Int {
        ProcessInfo.processInfo.environment["RECSCOPE_KILL_TRIALS"].flatMap(Int.init) ?? defaultCount
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    static func start(_ args: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `recscope args…` to completion: its exit status, the milliseconds from start until `catalog-wal`
    /// passed `walTrigger` bytes (the commit of the result), and from then to the exit.
    static func measure(_ args: [String], catalog: String, walTrigger: Int) throws -> (status: Int32, toCommitMs: Int, commitToExitMs: Int) {
        let started = Date()
        let process = try start(args)
        while process.isRunning && fileSize(catalog + "-wal") <= walTrigger { usleep(200) }
        let triggered = Date()
        while process.isRunning { usleep(200) }
        process.waitUntilExit()
        return (process.terminationStatus, Int(triggered.timeIntervalSince(started) * 1000),
                max(1, Int(Date().timeIntervalSince(triggered) * 1000)))
    }

    /// Starts `recscope args…`, sends SIGKILL `ms` milliseconds after the start, and reaps the process.
    static func run(_ args: [String], killAfterMs ms: Int) throws -> Outcome {
        let started = Date()
        let process = try start(args)
        let left = ms - Int(Date().timeIntervalSince(started) * 1000)
        if left > 0 { usleep(UInt32(left * 1000)) }
        let running = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return Outcome(killedWhileRunning: running)
    }

    /// Starts `recscope args…`, sends SIGKILL `delayMs` after `catalog-wal` first grows past `bytes` (the
    /// commit is appending the transaction's pages), and reaps the process.
    static func run(_ args: [String], catalog: String, afterWALBytes bytes: Int, delayMs: Int) throws -> Outcome {
        let process = try start(args)
        while process.isRunning && fileSize(catalog + "-wal") <= bytes { usleep(100) }
        if delayMs > 0 { usleep(UInt32(delayMs * 1000)) }
        let running = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return Outcome(killedWhileRunning: running)
    }

    /// Copies a (checkpointed) catalog file over `path`, removing any WAL and shared-memory files there.
    static func restore(_ pristine: String, to path: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: pristine, toPath: path)
    }

    /// Seeded times in `range`, one per trial, so a failing trial can be replayed.
    static func times(count: Int, in range: Range<Int>, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int.random(in: range, using: &rng) }
    }
}
