#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process runner of `recscope bench tui` (and the end-to-end tests) for driving tmux: not part of
/// any library, since only a benchmark or a test starts other programs.
enum Shell {
    /// Runs `/bin/sh -c line` to completion and returns its standard output.
    ///
    /// The child starts with no signal blocked and default handlers (a caller's threads may block
    /// signals, and a daemon it starts, such as tmux's server, would inherit that and never reap its
    /// children). Output goes through a temporary file, not a pipe, because such a daemon keeps the
    /// inherited descriptors open and a pipe would never reach end of file. Nil when the shell
    /// cannot be started.
    static func run(_ line: String) -> String? {
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
