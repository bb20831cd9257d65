#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Item exposure counts that change one slot at a time, with the original Jain, entropy and Gini kept up to
/// date in O(log n) per change, and the most and least exposed items at hand: what the Pareto frontier's
/// oracle re-ranking needs at every replacement.
struct _ExposureCounter {
    let n: Int
    private(set) var counts: [Int]
    /// Σcᵢ (constant during re-ranking: a replacement moves one slot).
    private(set) var slots = 0
    private var squares = 0.0
    private var cLogC = 0.0
    /// Σⱼ j·c₍ⱼ₎ over counts sorted ascending, j from 1.
    private var rankWeighted = 0.0
    /// Fenwick tree over count values: how many items have each count.
    private var fenwick: [Int]
    /// Segment trees over items: the index of the largest count and of the smallest positive, non-excluded count.
    private var maxTree: [Int32]
    private var minTree: [Int32]
    /// The key of each node's winner: its count (max tree), and its count or Int.max when zero or excluded (min tree).
    private var maxKey: [Int]
    private var minKey: [Int]
    private let leaves: Int
    private var excluded: [Bool]

    init(itemCount: Int, maxCount: Int) {
        n = itemCount
        counts = [Int](repeating: 0, count: itemCount)
        fenwick = [Int](repeating: 0, count: maxCount + 2)
        var size = 1
        while size < max(1, itemCount) { size *= 2 }
        leaves = size
        maxTree = [Int32](repeating: -1, count: 2 * size)
        minTree = [Int32](repeating: -1, count: 2 * size)
        maxKey = [Int](repeating: -1, count: 2 * size)
        minKey = [Int](repeating: .max, count: 2 * size)
        excluded = [Bool](repeating: false, count: itemCount)
        for i in 0..<itemCount { maxTree[size + i] = Int32(i); minTree[size + i] = Int32(i); maxKey[size + i] = 0 }
        for node in stride(from: size - 1, to: 0, by: -1) { pull(node) }
        fenwickAdd(0, itemCount)
    }

    // MARK: measures

    var jain: Double { squares > 0 ? Double(slots) * Double(slots) / (Double(n) * squares) : .nan }
    var entropy: Double {
        guard n > 1, slots > 0 else { return .nan }
        let total = Double(slots)
        return (log(total) - cLogC / total) / log(Double(n))
    }
    var gini: Double {
        guard n > 0, slots > 0 else { return .nan }
        return (2 * rankWeighted - Double(n + 1) * Double(slots)) / (Double(n) * Double(slots))
    }

    /// The item with the largest count, ties by lower index.
    var mostExposed: Int32 { maxTree[1] }
    /// The item with the smallest positive count that is not excluded, ties by lower index; nil when none.
    var leastExposed: Int32? { minTree[1] >= 0 && minKey[1] != .max ? minTree[1] : nil }

    // MARK: changes

    /// Adds one slot of `item`.
    mutating func add(_ item: Int32) { change(item, by: 1) }
    /// Removes one slot of `item`.
    mutating func remove(_ item: Int32) { change(item, by: -1) }

    /// Leaves `item` out of `leastExposed` until `include` (the items a user already has or has seen).
    mutating func exclude(_ item: Int32) { excluded[Int(item)] = true; update(item) }
    mutating func include(_ item: Int32) { excluded[Int(item)] = false; update(item) }

    private mutating func change(_ item: Int32, by delta: Int) {
        let i = Int(item), c = counts[i]
        if delta > 0 {
            rankWeighted += Double(fenwickCount(upTo: c))   // the last item with count c becomes c + 1
        } else {
            rankWeighted -= Double(fenwickCount(upTo: c - 1) + 1)   // the first item with count c becomes c − 1
        }
        fenwickAdd(c, -1)
        fenwickAdd(c + delta, 1)
        let new = c + delta
        squares += Double(new * new - c * c)
        cLogC += Self.xLogX(new) - Self.xLogX(c)
        slots += delta
        counts[i] = new
        update(item)
    }

    static func xLogX(_ c: Int) -> Double { c > 0 ? Double(c) * log(Double(c)) : 0 }

    // MARK: trees

    private mutating func update(_ item: Int32) {
        let i = Int(item), leaf = leaves + i, c = counts[i]
        maxKey[leaf] = c
        minKey[leaf] = c > 0 && !excluded[i] ? c : .max
        var node = leaf / 2
        while node >= 1 { pull(node); node /= 2 }
    }

    /// The winner of a node from its children's stored keys; ties go left (the lower index).
    private mutating func pull(_ node: Int) {
        let (l, r) = (2 * node, 2 * node + 1)
        if maxKey[l] >= maxKey[r] { maxTree[node] = maxTree[l]; maxKey[node] = maxKey[l] } else {
            maxTree[node] = maxTree[r]; maxKey[node] = maxKey[r]
        }
        if minKey[l] <= minKey[r] { minTree[node] = minTree[l]; minKey[node] = minKey[l] } else {
            minTree[node] = minTree[r]; minKey[node] = minKey[r]
        }
    }

    private mutating func fenwickAdd(_ count: Int, _ delta: Int) {
        var p = count + 1
        while p < fenwick.count { fenwick[p] += delta; p += p & -p }
    }

    /// The number of items with a count ≤ `count`.
    private func fenwickCount(upTo count: Int) -> Int {
        var p = min(count + 1, fenwick.count - 1), sum = 0
        while p > 0 { sum += fenwick[p]; p -= p & -p }
        return sum
    }
}
