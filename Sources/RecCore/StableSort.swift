extension Sequence {
    /// The elements sorted by `areInIncreasingOrder`, equal elements kept in their input order.
    ///
    /// The standard library's sort is not documented as stable; lists that sort by one column and rely on
    /// the previous order for ties (rows by popularity, then by id) need this one.
    /// - Complexity: O(n log n).
    public func stableSorted(by areInIncreasingOrder: (Element, Element) throws -> Bool) rethrows -> [Element] {
        try enumerated().sorted { a, b in
            if try areInIncreasingOrder(a.element, b.element) { return true }
            if try areInIncreasingOrder(b.element, a.element) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}
