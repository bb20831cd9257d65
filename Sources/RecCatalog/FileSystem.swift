#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RecCore

/// The few file-system queries the catalog needs, on plain POSIX calls.
public enum FileSystem {
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The entries of a directory, sorted by name, without `.` and `..`.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func makeDirectory(_ path: String) -> Bool {
        if isDirectory(path) { return true }
        return mkdir(path, 0o755) == 0 || isDirectory(path)
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Writes a line to standard error.
    public static func printError(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeError(line)
    }

    /// Writes raw text to standard error (file descriptor 2), without touching the C `stderr` global.
    public static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
    }

    /// Seconds from the monotonic clock: `Monotonic.now()`.
    // TODO(owner-merge): remove once ExplorerApp/RecWorkbench use Monotonic.now() / Stopwatch (Catalog.swift,
    // RecommendCommand.swift and RecommendTrace.swift call it too).
    public static func now() -> Double { Monotonic.now() }
}

/// Progress of a long import on stderr (rows/s, percent), shown only when stderr is a terminal.
final class ImportProgress {
    let label: String
    let totalBytes: Int
    let enabled: Bool
    let started = Monotonic.now()
    var lastShown = 0.0

    init(label: String, totalBytes: Int) {
        self.label = label
        self.totalBytes = totalBytes
        enabled = FileSystem.isTerminal(2) && totalBytes > 4 << 20
    }

    func update(bytes: Int, rows: Int) {
        guard enabled else { return }
        let t = Monotonic.now()
        if t - lastShown < 0.2 { return }
        lastShown = t
        let pct = Double(bytes) / Double(max(totalBytes, 1)) * 100
        let rate = Double(rows) / max(t - started, 1e-9)
        FileSystem.writeError("\r\(label): \(Int(pct))%  \(rows) rows  \(Int(rate)) rows/s   ")
    }

    func finish(rows: Int) {
        guard enabled, lastShown > 0 else { return }
        let rate = Double(rows) / max(Monotonic.now() - started, 1e-9)
        FileSystem.writeError("\r\(label): 100%  \(rows) rows  \(Int(rate)) rows/s   \n")
    }
}

extension FileSystem {
    /// Runs `/bin/sh -c line` to completion and returns its standard output.
    ///
    /// The child starts with no signal blocked and default handlers (a caller's threads may block
    /// signals, and a daemon it starts, such as tmux's server, would inherit that and never reap its
    /// children). Output goes through a temporary file, not a pipe, because such a daemon keeps the
    /// inherited descriptors open and a pipe would never reach end of file. Nil when the shell
    /// cannot be started.
    public static func runShell(_ line: String) -> String? {
        var template = Array("/tmp/recscope-sh-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        close(fd)
        let outFile = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(outFile) }
        let words = ["/bin/sh", "-c", "(\(line)) > '\(outFile)' 2>/dev/null < /dev/null"]
        var args: [UnsafeMutablePointer<CChar>?] = words.map { (w: String) in strdup(w) }
        args.append(nil)
        defer { for a in args { free(a) } }
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
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, &attributes, args, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard let handle = fopen(outFile, "rb") else { return "" }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
