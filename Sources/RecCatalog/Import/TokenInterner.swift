/// Interns tokens (ids as they appear in a file) by their bytes, giving each a dense index in order of
/// first appearance. Open addressing over a byte arena: no String is built per row.
struct TokenInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { starts.count - 1 }

    /// The dense index of the token in `buf[start..<end]` and whether it is new.
    @inline(__always)
    mutating func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int32, Bool) {
        let h = Self.hash(buf, start, end)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { break }
            if hashes[Int(existing)] == h && equals(Int(existing), buf, start, end) { return (existing, false) }
            slot = (slot &+ 1) & mask
        }
        let index = Int32(count)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<end]))
        starts.append(arena.count)
        hashes.append(h)
        slots[slot] = index
        if count * 2 > slots.count { grow() }
        return (index, true)
    }

    /// The index of the token in `buf[start..<end]`, or nil when it was never interned.
    @inline(__always)
    func lookup(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32? {
        let h = Self.hash(buf, start, end)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { return nil }
            if hashes[Int(existing)] == h && equals(Int(existing), buf, start, end) { return existing }
            slot = (slot &+ 1) & mask
        }
    }

    /// The bytes of token `index`.
    func withBytes<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { arena in
            body(UnsafeBufferPointer(rebasing: arena[starts[Int(index)]..<starts[Int(index) + 1]]))
        }
    }

    /// Calls `body` with every token's bytes at once: token `i` is `arena[starts[i]..<starts[i + 1]]`.
    func withArena<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in try starts.withUnsafeBufferPointer { try body(arena, $0) } }
    }

    /// Interns a token given as a String (for ids made by the importer itself).
    mutating func intern(_ token: String) -> (Int32, Bool) {
        var bytes = Array(token.utf8)
        return bytes.withUnsafeMutableBufferPointer { intern(UnsafeBufferPointer($0), 0, $0.count) }
    }

    func lookup(_ token: String) -> Int32? {
        let bytes = Array(token.utf8)
        return bytes.withUnsafeBufferPointer { buf -> Int32? in
            let h = Self.hash(buf, 0, buf.count)
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let existing = slots[slot]
                if existing < 0 { return nil }
                if hashes[Int(existing)] == h && equals(Int(existing), buf, 0, buf.count) { return existing }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// The token's text (the bytes decoded as UTF-8, or Latin-1 when `latin1`).
    func string(_ index: Int32, latin1: Bool = false) -> String {
        let bytes = arena[starts[Int(index)]..<starts[Int(index) + 1]]
        if latin1 {
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(b)) }
            return String(scalars)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the token's bytes are valid UTF-8.
    func isValidUTF8(_ index: Int32) -> Bool {
        arena[starts[Int(index)]..<starts[Int(index) + 1]].withContiguousStorageIfAvailable {
            String(validating: $0, as: UTF8.self) != nil
        } ?? false
    }

    private func equals(_ index: Int, _ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let s = starts[index], e = starts[index + 1]
        if e - s != end - start { return false }
        var i = s, j = start
        while i < e {
            if arena[i] != buf[j] { return false }
            i &+= 1
            j &+= 1
        }
        return true
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    @inline(__always)
    static func hash(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(end - start)
        var i = start
        while i &+ 8 <= end {
            var w: UInt64 = 0
            for k in 0..<8 { w |= UInt64(buf[i &+ k]) << UInt64(k &* 8) }
            h = (h ^ w) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i &+= 8
        }
        while i < end {
            h = (h ^ UInt64(buf[i])) &* 0x0000_0100_0000_01B3
            i &+= 1
        }
        h ^= h >> 32
        h = h &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }
}
