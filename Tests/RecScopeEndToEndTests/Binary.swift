import Foundation
@testable import recscope

/// Runs the real `recscope` binary that `swift test` built beside the test bundle.
enum Binary {
    static let path: String = {
        // The test bundle lives in .build/<triple>/debug/; the executable is built next to it.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("recscope").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/recscope").path
    }()

    static let projectRoot: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The process died of a signal (a trap, an abort) rather than exiting.
        var crashed = false
    }

    /// Runs `recscope args…` to completion with no standard input.
    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), crashed: process.terminationReason == .uncaughtSignal)
    }

    /// Runs a shell command line (for tmux) and returns its output; see `Shell.run` for why
    /// this is not `Process` (a tmux server keeps pipes open and inherits the runner's signal mask).
    @discardableResult
    static func shell(_ command: String) throws -> String {
        guard let output = Shell.run(command) else { throw POSIXError(.EIO) }
        return output
    }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "/recscope-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
