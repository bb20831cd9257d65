extension RandomAccessCollection where Element: Comparable, Index == Int {
    /// Whether this ascending collection holds `x`.
    /// - Complexity: O(log n), a binary search.
    @inlinable
    public func sortedContains(_ x: Element) -> Bool {
        var lo = startIndex, hi = endIndex
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if self[mid] < x { lo = mid &+ 1 } else { hi = mid }
        }
        return lo < endIndex && self[lo] == x
    }
}
