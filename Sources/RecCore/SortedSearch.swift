extension RandomAccessCollection where Element: Comparable, Index == Int {
    /// Whether this ascending collection holds `x`.
    /// - Complexity: O(log n), a binary search.
    @inlinable
    public func sortedContains(_ x: Element) -> Bool {
        let lo = partitioningIndex(for: x)
        return lo < endIndex && self[lo] == x
    }

    /// The first index whose element is not below `x` in this ascending collection (`endIndex` when none).
    /// - Complexity: O(log n), a binary search.
    @inlinable
    public func partitioningIndex(for x: Element) -> Int {
        var lo = startIndex, hi = endIndex
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if self[mid] < x { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }
}
