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
    @usableFromInline var scores: [Float] = []
    @usableFromInline var items: [Int32] = []

    public init(k: Int) {
        precondition(k >= 0, "TopK needs k ≥ 0, got \(k)")
        self.k = k
        scores.reserveCapacity(min(k, 4096))
        items.reserveCapacity(min(k, 4096))
        if k == 0 { _gate = .infinity }
    }

    /// How many pairs are kept.
    public var count: Int { scores.count }

    /// Offers one candidate; it is kept when it ranks before the current worst (or the heap is not full).
    /// - Complexity: O(log k) when kept, O(1) otherwise.
    @inlinable
    public mutating func insert(item: Int32, score: Float) {
        guard score > -.infinity else { return }  // rejects NaN and −∞
        if scores.count < k {
            scores.append(score)
            items.append(item)
            siftUp(scores.count - 1)
            if scores.count == k { _gate = scores[0] }
            return
        }
        guard k > 0, score > scores[0] || (score == scores[0] && item < items[0]) else { return }
        scores[0] = score
        items[0] = item
        siftDown(0)
        _gate = scores[0]
    }

    /// Whether `(a, ia)` ranks after `(b, ib)`: the heap keeps the worst at the root.
    @inlinable @inline(__always)
    static func worse(_ a: Float, _ ia: Int32, _ b: Float, _ ib: Int32) -> Bool {
        a < b || (a == b && ia > ib)
    }

    @usableFromInline
    mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 1
            guard TopK.worse(scores[i], items[i], scores[parent], items[parent]) else { break }
            scores.swapAt(i, parent)
            items.swapAt(i, parent)
            i = parent
        }
    }

    @usableFromInline
    mutating func siftDown(_ start: Int) {
        var i = start
        let n = scores.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var w = i
            if l < n && TopK.worse(scores[l], items[l], scores[w], items[w]) { w = l }
            if r < n && TopK.worse(scores[r], items[r], scores[w], items[w]) { w = r }
            if w == i { return }
            scores.swapAt(i, w)
            items.swapAt(i, w)
            i = w
        }
    }

    /// The kept pairs, best first (score descending, item ascending on ties).
    /// - Complexity: O(k log k).
    public func sorted() -> [ScoredItem] {
        var out = (0..<scores.count).map { ScoredItem(item: items[$0], score: scores[$0]) }
        out.sort(by: ScoredItem.ranksBefore)
        return out
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
