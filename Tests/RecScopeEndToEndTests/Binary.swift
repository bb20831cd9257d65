import Foundation

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
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell command line (for tmux) with posix_spawn and waitpid, returning its standard output.
    /// Output goes through a file, not a pipe: the tmux server that `new-session` starts keeps inherited
    /// descriptors open, so a pipe would never reach end of file.
    @discardableResult
    static func shell(_ command: String) throws -> String {
        let outFile = NSTemporaryDirectory() + "/recscope-shell-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outFile) }
        let line = "(\(command)) > '\(outFile)' 2>/dev/null < /dev/null"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", line]
        var args: [UnsafeMutablePointer<CChar>?] = words.map { (w: String) in strdup(w) }
        args.append(nil)
        defer { for a in args { free(a) } }
        // The test runner's threads block most signals and spawned children inherit that mask; tmux's
        // server would then never see SIGCHLD or honour kill-server. Start the shell with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let rc = posix_spawn(&pid, "/bin/sh", nil, &attributes, args, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
    }

    static func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "/recscope-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
