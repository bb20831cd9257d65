/// Interns tokens (ids as they appear in a file) by their bytes, giving each a dense index in order of
/// first appearance. Open addressing over a byte arena: no String is built per row.
///
/// A slot is two words: the top 24 bits of the token's hash, its length (to 255) and its index, then its
/// first 8 bytes. A probe for a token of up to 8 bytes is settled by the slot alone (one cache line);
/// longer tokens compare the rest against the arena.
struct TokenInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Pairs of words per slot: `hash & tagMask | length << 32 | (index + 1)` (0 when empty), then the head.
    private var slots: [UInt64]
    private var mask: Int
    private var lookupsReleased = false

    private static let tagMask: UInt64 = 0xFFFF_FF00_0000_0000

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: 2 * size)
        mask = size - 1
    }

    var count: Int { starts.count - 1 }

    /// A token's hash, its first 8 bytes (zero-padded) and what its slot's first word holds besides the index.
    struct Key {
        var hash: UInt64
        var head: UInt64
        var tagAndLength: UInt64
    }

    /// Where a token is, or would go: its index (-1 when absent) and the empty slot that would take it.
    struct Probe {
        var index: Int32
        var slot: Int
    }

    /// The key of `base[start..<end]`; bytes up to `readableEnd` may be read (whole words are loaded when
    /// they fit). The hash is multiply-xorshift over 8-byte little-endian words, the last zero-padded.
    @inline(__always)
    static func key(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, readableEnd: Int) -> Key {
        let length = end &- start
        var h = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: length &+ 1)
        var head: UInt64 = 0
        var i = start
        while i &+ 8 <= end {
            let w = word(base, i)
            if i == start { head = w }
            h = step(h, w)
            i &+= 8
        }
        let rest = end &- i
        if rest > 0 {
            var w: UInt64
            if i &+ 8 <= readableEnd {
                w = word(base, i) & (~UInt64(0) >> UInt64(truncatingIfNeeded: 64 &- rest &* 8))
            } else {
                w = 0
                for k in 0..<rest { w |= UInt64(base[i &+ k]) << UInt64(truncatingIfNeeded: k &* 8) }
            }
            if i == start { head = w }
            h = step(h, w)
        }
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return Key(hash: h, head: head, tagAndLength: h & tagMask | UInt64(min(length, 255)) << 32)
    }

    /// Finds the token `base[start..<end]` with key `key`, changing nothing.
    @inline(__always)
    func find(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, key: Key) -> Probe {
        precondition(!lookupsReleased, "TokenInterner: lookups after releaseLookups()")
        var slot = Int(truncatingIfNeeded: key.hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[slot &* 2]
                if entry == 0 { return Probe(index: -1, slot: slot) }
                if entry & ~0xFFFF_FFFF == key.tagAndLength && slots[slot &* 2 &+ 1] == key.head {
                    let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &- 1
                    if end &- start <= 8 || equals(index, base + start, end &- start) {
                        return Probe(index: Int32(index), slot: slot)
                    }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// Loads the slot a `find` for `key` starts at. Called for many keys ahead of their `find`s, it lets
    /// their cache misses overlap instead of waiting for one after another.
    @inline(__always)
    func touch(_ key: Key) -> UInt64 {
        if lookupsReleased { return 0 }
        return slots.withUnsafeBufferPointer { $0[(Int(truncatingIfNeeded: key.hash) & mask) &* 2] }
    }

    /// Adds a token `find` reported absent at `probe.slot` (nothing else may be interned in between).
    @inline(__always)
    mutating func insert(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, key: Key, at probe: Probe) -> Int32 {
        let index = count
        arena.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end &- start))
        starts.append(arena.count)
        slots[probe.slot &* 2] = key.tagAndLength | UInt64(index + 1)
        slots[probe.slot &* 2 &+ 1] = key.head
        if count &* 4 > (mask &+ 1) &* 3 { grow() }
        return Int32(index)
    }

    /// The dense index of the token in `buf[start..<end]` and whether it is new.
    @inline(__always)
    mutating func intern(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int32, Bool) {
        guard let base = buf.baseAddress else { return [UInt8(0)].withUnsafeBufferPointer { intern($0, 0, 0) } }
        let key = Self.key(base, start, end, readableEnd: buf.count)
        let probe = find(base, start, end, key: key)
        if probe.index >= 0 { return (probe.index, false) }
        return (insert(base, start, end, key: key, at: probe), true)
    }

    /// The index of the token in `buf[start..<end]`, or nil when it was never interned.
    @inline(__always)
    func lookup(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32? {
        guard let base = buf.baseAddress else { return [UInt8(0)].withUnsafeBufferPointer { lookup($0, 0, 0) } }
        let index = find(base, start, end, key: Self.key(base, start, end, readableEnd: buf.count)).index
        return index >= 0 ? index : nil
    }

    /// The bytes of token `index`.
    func withBytes<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        arena.withUnsafeBufferPointer { arena in
            body(UnsafeBufferPointer(rebasing: arena[starts[Int(index)]..<starts[Int(index) + 1]]))
        }
    }

    /// Calls `body` with the bytes of every token back to back and where each starts (token `t` is
    /// `bytes[starts[t]..<starts[t + 1]]`), valid only inside `body`.
    func withStorage<R>(_ body: (UnsafePointer<UInt8>, UnsafePointer<Int>) throws -> R) rethrows -> R {
        try arena.withUnsafeBufferPointer { arena in
            try starts.withUnsafeBufferPointer { starts in
                try body(arena.baseAddress ?? UnsafePointer(bitPattern: 1)!, starts.baseAddress!)
            }
        }
    }

    /// Interns a token given as a String (for ids made by the importer itself).
    mutating func intern(_ token: String) -> (Int32, Bool) {
        let bytes = Array(token.utf8) + [0]
        return bytes.withUnsafeBufferPointer { intern($0, 0, $0.count - 1) }
    }

    func lookup(_ token: String) -> Int32? {
        let bytes = Array(token.utf8) + [0]
        return bytes.withUnsafeBufferPointer { lookup($0, 0, $0.count - 1) }
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
        withBytes(index) { Self.isValidUTF8($0) }
    }

    /// Whether `bytes` are valid UTF-8 (an all-ASCII token needs no decoding).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for b in bytes { high |= b }
        return high < 0x80 || String(validating: bytes, as: UTF8.self) != nil
    }

    @inline(__always)
    private func equals(_ index: Int, _ token: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        starts.withUnsafeBufferPointer { starts in
            let s = starts[index]
            if starts[index &+ 1] &- s != length { return false }
            return arena.withUnsafeBufferPointer { arena in
                let stored = arena.baseAddress! + s
                var i = 0
                while i < length {
                    if stored[i] != token[i] { return false }
                    i &+= 1
                }
                return true
            }
        }
    }

    /// Frees the lookup table (16-32 bytes a token), keeping the tokens' bytes: `string`, `withBytes`
    /// and `count` still work, `intern` and `lookup` find nothing more and must not be called.
    mutating func releaseLookups() {
        slots = []
        lookupsReleased = true
    }

    /// Makes room for `count` tokens in all, so interning up to that many rehashes at most once (now).
    mutating func reserve(_ count: Int) {
        precondition(!lookupsReleased, "TokenInterner: reserve after releaseLookups()")
        while count &* 4 > (mask &+ 1) &* 3 { grow() }
    }

    /// Doubles the table. The keys are computed again from the tokens' bytes (no stored hashes), and the
    /// old table goes before the new one is made: the table's growth needs no more memory than its result.
    private mutating func grow() {
        let size = (mask + 1) * 2
        slots = []
        slots = [UInt64](repeating: 0, count: 2 * size)
        mask = size - 1
        let mask = self.mask, count = self.count
        arena.withUnsafeBufferPointer { arena in
            starts.withUnsafeBufferPointer { starts in
                slots.withUnsafeMutableBufferPointer { slots in
                    let base = arena.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    for t in 0..<count {
                        let key = Self.key(base, starts[t], starts[t &+ 1], readableEnd: arena.count)
                        var slot = Int(truncatingIfNeeded: key.hash) & mask
                        while slots[slot &* 2] != 0 { slot = (slot &+ 1) & mask }
                        slots[slot &* 2] = key.tagAndLength | UInt64(t &+ 1)
                        slots[slot &* 2 &+ 1] = key.head
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, _ at: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func step(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = (h ^ w) &* 0xA076_1D64_78BD_642F
        return x ^ (x >> 31)
    }
}
