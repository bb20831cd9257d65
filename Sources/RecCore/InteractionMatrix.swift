/// A sparse user × item matrix in compressed sparse row (CSR) form. Always user × item.
///
/// Row `u` holds the items user `u` interacted with, sorted by item index, each once; duplicates in the
/// input are summed. Values are confidences or ratings as the caller chooses (1 for implicit feedback).
public struct InteractionMatrix: Sendable, Equatable {
    public let userCount: Int
    public let itemCount: Int
    /// `rowStart[u] ..< rowStart[u + 1]` indexes user `u`'s entries; `rowStart.count == userCount + 1`.
    public let rowStart: [Int]
    public let itemIndices: [Int32]
    public let values: [Float]

    public var nonZeroCount: Int { itemIndices.count }

    /// Builds the matrix from coordinate triplets; out-of-range indices are a programming error.
    /// - Complexity: O(nnz + users + nnz·log(row length)).
    public init(userCount: Int, itemCount: Int, users: [Int32], items: [Int32], values: [Float]? = nil) {
        precondition(users.count == items.count, "users and items differ in length")
        precondition(values == nil || values!.count == users.count, "values differ in length")
        self.userCount = userCount
        self.itemCount = itemCount
        var counts = [Int](repeating: 0, count: userCount + 1)
        for u in users {
            precondition(u >= 0 && Int(u) < userCount, "user index \(u) out of range 0..<\(userCount)")
            counts[Int(u) + 1] += 1
        }
        for u in 0..<userCount { counts[u + 1] += counts[u] }
        var cursor = counts
        var cols = [Int32](repeating: 0, count: users.count)
        var vals = [Float](repeating: 0, count: users.count)
        for n in 0..<users.count {
            let i = items[n]
            precondition(i >= 0 && Int(i) < itemCount, "item index \(i) out of range 0..<\(itemCount)")
            let slot = cursor[Int(users[n])]
            cols[slot] = i
            vals[slot] = values?[n] ?? 1
            cursor[Int(users[n])] += 1
        }
        // Sort each row by item and merge duplicates.
        var outStart = [Int](repeating: 0, count: userCount + 1)
        var outCols: [Int32] = []
        var outVals: [Float] = []
        outCols.reserveCapacity(cols.count)
        outVals.reserveCapacity(cols.count)
        var pairs: [(Int32, Float)] = []
        for u in 0..<userCount {
            pairs.removeAll(keepingCapacity: true)
            for n in counts[u]..<counts[u + 1] { pairs.append((cols[n], vals[n])) }
            pairs.sort { $0.0 < $1.0 }
            var n = 0
            while n < pairs.count {
                var v = pairs[n].1
                var m = n + 1
                while m < pairs.count && pairs[m].0 == pairs[n].0 { v += pairs[m].1; m += 1 }
                outCols.append(pairs[n].0)
                outVals.append(v)
                n = m
            }
            outStart[u + 1] = outCols.count
        }
        self.rowStart = outStart
        self.itemIndices = outCols
        self.values = outVals
        _checkInvariants()
    }

    /// Builds from raw CSR arrays that are already sorted and duplicate-free.
    public init(userCount: Int, itemCount: Int, rowStart: [Int], itemIndices: [Int32], values: [Float]) {
        precondition(rowStart.count == userCount + 1 && rowStart.last == itemIndices.count)
        precondition(itemIndices.count == values.count)
        self.userCount = userCount
        self.itemCount = itemCount
        self.rowStart = rowStart
        self.itemIndices = itemIndices
        self.values = values
        _checkInvariants()
    }

    /// The items of user `u`, sorted by index.
    public func items(ofUser u: Int) -> ArraySlice<Int32> {
        itemIndices[rowStart[u]..<rowStart[u + 1]]
    }

    /// The values of user `u`'s entries, aligned with `items(ofUser:)`.
    public func values(ofUser u: Int) -> ArraySlice<Float> {
        values[rowStart[u]..<rowStart[u + 1]]
    }

    public func rowLength(_ u: Int) -> Int { rowStart[u + 1] - rowStart[u] }

    /// Whether user `u` interacted with item `i` (binary search in the sorted row).
    public func contains(user u: Int, item i: Int32) -> Bool { items(ofUser: u).sortedContains(i) }

    /// Number of interactions per item.
    public func itemCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: itemCount)
        for i in itemIndices { counts[Int(i)] += 1 }
        return counts
    }
}
