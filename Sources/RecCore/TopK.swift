/// A bounded selection of the `k` best (score, item) pairs: higher score first, lower item index on ties.
///
/// A min-heap whose root is the worst kept pair. Scanning loops test `score > gate` inline (one compare,
/// usually false) and call `insert` only for the few candidates that pass, so most candidates never touch
/// the heap. `gate` is −∞ until `k` pairs are kept, then the worst kept score.
///
/// Rules for unusual scores: NaN and −∞ are never kept (a model may write −∞ to mean "never
/// recommend"); +∞ ranks first. `k = 0` keeps nothing; `k` larger than the number of candidates keeps
/// them all.
public struct TopK: Sendable {
    public let k: Int
    /// The score a candidate must beat to enter (−∞ while fewer than `k` are kept).
    @inlinable public var gate: Float { _gate }
    @usableFromInline var _gate: Float = -.infinity
    /// Heap of packed keys: order-preserving score bits above, `UInt32.max − item` below, so a larger
    /// key ranks first and one integer compare decides (score desc, item asc).
    @usableFromInline var keys: [UInt64] = []

    public init(k: Int) {
        precondition(k >= 0, "TopK needs k ≥ 0, got \(k)")
        self.k = k
        keys.reserveCapacity(min(k, 4096))
        if k == 0 { _gate = .infinity }
        _checkInvariants()
    }

    /// How many pairs are kept.
    public var count: Int { keys.count }

    /// Offers one candidate; it is kept when it ranks before the current worst (or the heap is not full).
    /// Item indices must be non-negative.
    /// - Complexity: O(log k) when kept, O(1) otherwise.
    @inlinable
    public mutating func insert(item: Int32, score: Float) {
        guard score > -.infinity else { return }  // rejects NaN and −∞
        let key = TopK.key(score: score, item: item)
        if keys.count < k {
            keys.append(key)
            keys.withUnsafeMutableBufferPointer { TopK.siftUp($0) }
            if keys.count == k { _gate = TopK.score(keys[0]) }
            _checkInvariants()
            return
        }
        guard k > 0, key > keys[0] else { return }
        _gate = keys.withUnsafeMutableBufferPointer { TopK.replaceRoot($0, key) }
        _checkInvariants()
    }

    /// The packed key of (score, item); `score + 0` folds −0 into +0 so they tie as `==` says.
    @inlinable @inline(__always)
    static func key(score: Float, item: Int32) -> UInt64 {
        let bits = (score + 0).bitPattern
        let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(ordered) << 32 | UInt64(UInt32.max - UInt32(bitPattern: item))
    }

    @inlinable @inline(__always)
    static func score(_ key: UInt64) -> Float {
        let ordered = UInt32(truncatingIfNeeded: key >> 32)
        return Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
    }

    @inlinable @inline(__always)
    static func item(_ key: UInt64) -> Int32 {
        Int32(bitPattern: UInt32.max - UInt32(truncatingIfNeeded: key))
    }

    /// Restores the min-heap after an append.
    @usableFromInline
    static func siftUp(_ h: UnsafeMutableBufferPointer<UInt64>) {
        var i = h.count - 1
        let key = h[i]
        while i > 0 {
            let parent = (i &- 1) >> 1
            guard key < h[parent] else { break }
            h[i] = h[parent]
            i = parent
        }
        h[i] = key
    }

    /// Replaces the root (the worst kept) by `key` and sifts it down; returns the new worst score.
    @usableFromInline
    static func replaceRoot(_ h: UnsafeMutableBufferPointer<UInt64>, _ key: UInt64) -> Float {
        let n = h.count
        var i = 0
        let base = h.baseAddress!
        while true {
            let l = 2 &* i &+ 1
            if l >= n { break }
            // Branch-free choice of the smaller child (a missing right child compares as the largest key).
            let lv = base[l]
            let rv = l &+ 1 < n ? base[l &+ 1] : UInt64.max
            let right = rv < lv
            let c = right ? l &+ 1 : l
            let cv = right ? rv : lv
            guard cv < key else { break }
            base[i] = cv
            i = c
        }
        h[i] = key
        return score(h[0])
    }

    /// The kept pairs, best first (score descending, item ascending on ties).
    /// - Complexity: O(k log k).
    public func sorted() -> [ScoredItem] {
        keys.sorted(by: >).map { ScoredItem(item: TopK.item($0), score: TopK.score($0)) }
    }
}

extension TopK {
    /// The top `k` of `scores` (index = item), skipping `exclude`, optionally only among `allow`.
    ///
    /// `allow`, when given, lists candidate items (any order, duplicates ignored); nothing is copied
    /// besides a sorted copy of that list. Excluded items are looked up only for candidates that pass
    /// the gate.
    /// - Complexity: O(n + m log k) for n candidates of which m pass the gate.
    public static func select(scores: UnsafeBufferPointer<Float>, k: Int, exclude: ExclusionSet = .none,
                              allow: [Int32]? = nil) -> [ScoredItem] {
        var top = TopK(k: k)
        if k == 0 { return [] }
        let s = scores.baseAddress
        let noExclusions = exclude.sortedItems.isEmpty
        if let allow {
            var previous: Int32 = -1
            for i in allow.sorted() where i != previous {
                previous = i
                precondition(i >= 0 && Int(i) < scores.count, "allowed item \(i) outside 0..<\(scores.count)")
                let v = s![Int(i)]
                if v > top.gate && (noExclusions || !exclude.contains(i)) { top.insert(item: i, score: v) }
            }
        } else {
            for i in 0..<scores.count {
                let v = s![i]
                if v > top.gate && (noExclusions || !exclude.contains(Int32(truncatingIfNeeded: i))) {
                    top.insert(item: Int32(truncatingIfNeeded: i), score: v)
                }
            }
        }
        return top.sorted()
    }

    /// The top `k` of an array of scores (index = item); see `select(scores:k:exclude:allow:)`.
    public static func select(scores: [Float], k: Int, exclude: ExclusionSet = .none,
                              allow: [Int32]? = nil) -> [ScoredItem] {
        scores.withUnsafeBufferPointer { select(scores: $0, k: k, exclude: exclude, allow: allow) }
    }
}

/// Fixed-capacity `TopK` heaps for many queries in one allocation: the batched kernel's slow path.
///
/// Same keys and order as `TopK`, on raw memory, so an insert is a few loads and stores with no
/// reference counting. The caller scans items in ascending order and only offers candidates whose
/// score beats the lane's gate.
@usableFromInline
struct _LaneHeaps: @unchecked Sendable {
    let k: Int
    let keys: UnsafeMutablePointer<UInt64>
    let counts: UnsafeMutablePointer<Int>
    let lanes: Int

    init(lanes: Int, k: Int) {
        self.k = k
        self.lanes = lanes
        keys = .allocate(capacity: max(1, lanes * k))
        counts = .allocate(capacity: max(1, lanes))
        counts.initialize(repeating: 0, count: max(1, lanes))
    }

    func deallocate() {
        keys.deallocate()
        counts.deallocate()
    }

    /// Offers a candidate that beat the lane's gate (so its score is neither NaN nor −∞); returns the
    /// lane's new gate.
    @inline(__always)
    func insert(lane: Int, item: Int32, score: Float) -> Float {
        let h = keys + lane &* k
        let key = TopK.key(score: score, item: item)
        let c = counts[lane]
        if c < k {
            h[c] = key
            counts[lane] = c &+ 1
            TopK.siftUp(UnsafeMutableBufferPointer(start: h, count: c &+ 1))
            return c &+ 1 == k ? TopK.score(h[0]) : -.infinity
        }
        if key <= h[0] { return TopK.score(h[0]) }
        return TopK.replaceRoot(UnsafeMutableBufferPointer(start: h, count: k), key)
    }

    /// The lane's kept pairs, best first.
    func sorted(lane: Int) -> [ScoredItem] {
        UnsafeBufferPointer(start: keys + lane * k, count: counts[lane]).sorted(by: >)
            .map { ScoredItem(item: TopK.item($0), score: TopK.score($0)) }
    }
}
