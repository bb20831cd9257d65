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
    /// The most and least exposed items (a reference: the counter is one value owned by one oracle).
    private let trees: _CountTrees
    private var excluded: [Bool]

    init(itemCount: Int, maxCount: Int) {
        n = itemCount
        counts = [Int](repeating: 0, count: itemCount)
        fenwick = [Int](repeating: 0, count: maxCount + 2)
        trees = _CountTrees(itemCount: itemCount)
        excluded = [Bool](repeating: false, count: itemCount)
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
    var mostExposed: Int32 { trees.mostExposed }
    /// The item with the smallest positive count that is not excluded, ties by lower index; nil when none.
    var leastExposed: Int32? { trees.leastExposed }

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

    private func update(_ item: Int32) {
        let c = counts[Int(item)]
        trees.set(Int(item), max: c, min: c > 0 && !excluded[Int(item)] ? c : .max)
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

/// Two segment trees over items in raw buffers (no copy-on-write checks in the oracle's hottest loop): the index
/// of the largest key and of the smallest, ties by the lower index.
final class _CountTrees {
    private let leaves: Int
    private let maxIndex: UnsafeMutablePointer<Int32>
    private let minIndex: UnsafeMutablePointer<Int32>
    private let maxKey: UnsafeMutablePointer<Int>
    private let minKey: UnsafeMutablePointer<Int>

    init(itemCount: Int) {
        var size = 1
        while size < max(1, itemCount) { size *= 2 }
        leaves = size
        maxIndex = .allocate(capacity: 2 * size)
        minIndex = .allocate(capacity: 2 * size)
        maxKey = .allocate(capacity: 2 * size)
        minKey = .allocate(capacity: 2 * size)
        maxIndex.initialize(repeating: -1, count: 2 * size)
        minIndex.initialize(repeating: -1, count: 2 * size)
        maxKey.initialize(repeating: -1, count: 2 * size)
        minKey.initialize(repeating: .max, count: 2 * size)
        for i in 0..<itemCount {
            maxIndex[size + i] = Int32(i)
            minIndex[size + i] = Int32(i)
            maxKey[size + i] = 0
        }
        for node in stride(from: size - 1, to: 0, by: -1) { pull(node) }
    }

    deinit {
        maxIndex.deallocate()
        minIndex.deallocate()
        maxKey.deallocate()
        minKey.deallocate()
    }

    var mostExposed: Int32 { maxIndex[1] }
    var leastExposed: Int32? { minIndex[1] >= 0 && minKey[1] != .max ? minIndex[1] : nil }

    /// Sets item `i`'s keys and updates its ancestors.
    func set(_ i: Int, max high: Int, min low: Int) {
        let leaf = leaves &+ i
        maxKey[leaf] = high
        minKey[leaf] = low
        var node = leaf >> 1
        while node >= 1 {
            pull(node)
            node >>= 1
        }
    }

    private func pull(_ node: Int) {
        let l = node &* 2, r = l &+ 1
        if maxKey[l] >= maxKey[r] { maxIndex[node] = maxIndex[l]; maxKey[node] = maxKey[l] } else {
            maxIndex[node] = maxIndex[r]; maxKey[node] = maxKey[r]
        }
        if minKey[l] <= minKey[r] { minIndex[node] = minIndex[l]; minKey[node] = minKey[l] } else {
            minIndex[node] = minIndex[r]; minKey[node] = minKey[r]
        }
    }
}
