import RecCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one input file, read whole, with the checks every importer needs first.
struct SourceFile: Sendable {
    let path: String
    let bytes: [UInt8]

    /// Reads `path`, refusing a missing file, a directory, an unreadable file and an empty file.
    init(path: String) throws(ImportError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError(file: path, "no such file (expected a readable file)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImportError(file: path, "is a directory (expected a file)")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ImportError(file: path, "cannot be opened for reading: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // A regular file is read by offset (its size known up front); a pipe or device front to back.
        let regular = (info.st_mode & S_IFMT) == S_IFREG
        var failure: Int32 = 0
        var data = regular ? Self.readRegular(fd, size: max(Int(info.st_size), 0), failure: &failure) : []
        // Whatever is past the size stat gave (the file grew), or everything when there was none.
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while failure == 0 {
            let n = chunk.withUnsafeMutableBytes {
                Self.readFully(fd, $0.baseAddress!, count: $0.count, at: regular ? data.count : nil, failure: &failure)
            }
            data.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        if failure != 0 {
            throw ImportError(file: path, "read error: \(String(cString: strerror(failure)))")
        }
        try Self.checkNotBlank(data, path: path)
        bytes = data
    }

    /// The first `size` bytes of `fd` (fewer when it ends sooner), read in two halves at once when large.
    private static func readRegular(_ fd: Int32, size: Int, failure: inout Int32) -> [UInt8] {
        var first: Int32 = 0, second: Int32 = 0
        let data = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            guard let base = buf.baseAddress else { return }
            HugePages.advise(UnsafeMutableRawPointer(base), bytes: size)
            let half = size > 8 << 20 ? size / 2 : size
            var got = (0, 0)
            Parallel.both({
                got.0 = readFully(fd, base, count: half, at: 0, failure: &first)
            }, {
                if half < size { got.1 = readFully(fd, base + half, count: size - half, at: half, failure: &second) }
            })
            count = got.0 < half ? got.0 : half + got.1
        }
        failure = first != 0 ? first : second
        return data
    }

    /// Reads `count` bytes at `offset` (or, without one, from where the descriptor stands) into `buffer`;
    /// fewer at the end of the file. Sets `failure` to errno on an error.
    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, count: Int, at offset: Int?,
                                  failure: inout Int32) -> Int {
        var done = 0
        while done < count {
            let n = offset.map { pread(fd, buffer + done, count - done, off_t($0 + done)) }
                ?? read(fd, buffer + done, count - done)
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                failure = errno
                break
            }
        }
        return done
    }

    /// Refuses a file that is empty or only whitespace.
    static func checkNotBlank(_ data: [UInt8], path: String) throws(ImportError) {
        if data.isEmpty || data.allSatisfy({ $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }) {
            throw ImportError(file: path, "is empty (expected a header line and data rows)")
        }
    }

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// A 64-bit content fingerprint (not cryptographic), used to recognise a repeated import.
    var fingerprint: UInt64 { Fingerprint.of(bytes) }
}

/// A fast 64-bit content hash (multiply-xorshift over 8-byte words). Not cryptographic.
enum Fingerprint {
    static func of(_ bytes: [UInt8], seed: UInt64 = 0x5EED_CA7A_1060_0001) -> UInt64 {
        var h = seed ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var i = 0
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = mix(h ^ mix(w))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(raw[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ mix(tail ^ 0xFF))
        }
        return h
    }

    static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { mix(a &* 31 ^ b) }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
