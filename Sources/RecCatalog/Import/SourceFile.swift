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

    /// What the batch keeps of the file once it is read: its path and fingerprint, not its bytes.
    var record: SourceRecord { SourceRecord(path: path, fingerprint: fingerprint) }
}

/// A source an import read: its path and content fingerprint (the bytes are not kept past the read).
struct SourceRecord: Sendable {
    let path: String
    let fingerprint: UInt64
}

/// A large regular file read front to back in pieces that end at a line end, so an importer holds one
/// piece at a time rather than the whole file; the fingerprint is summed as the bytes go by and equals
/// `Fingerprint.of` of the whole file.
struct SourceChunks {
    let path: String
    let size: Int
    private let fd: Int32
    private var offset = 0
    private var carry: [UInt8] = []
    private var hash: Fingerprint.Stream
    private(set) var bytesRead = 0

    /// Opens `path` when it is a regular file of more than `above` bytes; nil otherwise (read it whole).
    init?(path: String, above: Int) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > above else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
        size = Int(info.st_size)
        hash = Fingerprint.Stream(count: size)
    }

    /// Closes the file.
    func finish() { close(fd) }

    /// The next piece: about `bytes` bytes (more when a line is longer) ending just after a `\n`, or the
    /// rest of the file; nil at the end. The file must not change while it is read.
    mutating func next(bytes: Int) throws(ImportError) -> SourceFile? {
        var piece = carry
        carry = []
        piece.reserveCapacity(piece.count + bytes)
        while true {
            let want = min(bytes, size - offset)
            if want > 0 {
                let before = piece.count
                var failure: Int32 = 0
                piece.append(contentsOf: repeatElement(0, count: want))
                let n = piece.withUnsafeMutableBytes { raw in
                    SourceChunks.readAt(fd, raw.baseAddress! + before, count: want, at: offset, failure: &failure)
                }
                if failure != 0 {
                    throw ImportError(file: path, "read error: \(String(cString: strerror(failure)))")
                }
                if n < want {
                    throw ImportError(file: path, "changed while it was read (expected \(size) bytes, found \(offset + n))")
                }
                piece.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[before..<before + n])) }
                offset += n
                bytesRead = offset
            }
            if piece.isEmpty { return nil }
            if offset == size { return SourceFile(path: path, bytes: piece) }
            // Cut after the last line end; the rest starts the next piece.
            if let last = piece.withUnsafeBufferPointer({ buf in (0..<buf.count).reversed().first { buf[$0] == 10 } }) {
                carry = Array(piece[(last + 1)...])
                piece.removeSubrange((last + 1)...)
                return SourceFile(path: path, bytes: piece)
            }
        }
    }

    /// The fingerprint of the whole file (call after the last piece).
    var fingerprint: UInt64 { hash.value }

    private static func readAt(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, count: Int, at offset: Int,
                              failure: inout Int32) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n > 0 { done += n } else if n == 0 { break } else if errno != EINTR { failure = errno; break }
        }
        return done
    }
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

    /// `of` computed over bytes given in pieces (the total count known up front): the same value.
    struct Stream {
        private var h: UInt64
        private var pending: UInt64 = 0
        private var pendingCount = 0

        init(count: Int, seed: UInt64 = 0x5EED_CA7A_1060_0001) {
            h = seed ^ UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        }

        mutating func add(_ raw: UnsafeRawBufferPointer) {
            var i = 0
            let n = raw.count
            while pendingCount > 0 && pendingCount < 8 && i < n {
                pending |= UInt64(raw[i]) << UInt64(pendingCount * 8)
                pendingCount += 1
                i += 1
            }
            if pendingCount == 8 {
                h = mix(h ^ mix(pending))
                pending = 0
                pendingCount = 0
            }
            while i + 8 <= n {
                h = mix(h ^ mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                i += 8
            }
            while i < n {
                pending |= UInt64(raw[i]) << UInt64(pendingCount * 8)
                pendingCount += 1
                i += 1
            }
        }

        var value: UInt64 { mix(h ^ mix(pending ^ 0xFF)) }
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
