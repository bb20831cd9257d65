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
        guard let handle = fopen(path, "rb") else {
            throw ImportError(file: path, "cannot be opened for reading: \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var data: [UInt8] = []
        let size = Int(info.st_size)
        data.reserveCapacity(max(size, 0))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n > 0 { data.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(handle) != 0 {
                    throw ImportError(file: path, "read error: \(String(cString: strerror(errno)))")
                }
                break
            }
        }
        try Self.checkNotBlank(data, path: path)
        bytes = data
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
