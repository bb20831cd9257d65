/// The item × user view of an interaction matrix, for item-based models.
public struct ItemUserMatrix: Sendable {
    public let itemCount: Int
    public let userCount: Int
    public let colStart: [Int]
    public let userIndices: [Int32]
    public let values: [Float]

    public func users(ofItem i: Int) -> ArraySlice<Int32> { userIndices[colStart[i]..<colStart[i + 1]] }
    public func values(ofItem i: Int) -> ArraySlice<Float> { values[colStart[i]..<colStart[i + 1]] }
}

extension InteractionMatrix {
    /// The transpose (CSC of the same data): each item's users, sorted by user index.
    /// - Complexity: O(nnz + items).
    public func transposed() -> ItemUserMatrix {
        var start = [Int](repeating: 0, count: itemCount + 1)
        for i in itemIndices { start[Int(i) + 1] += 1 }
        for i in 0..<itemCount { start[i + 1] += start[i] }
        var cursor = start
        var users = [Int32](repeating: 0, count: nonZeroCount)
        var vals = [Float](repeating: 0, count: nonZeroCount)
        for u in 0..<userCount {
            for n in rowStart[u]..<rowStart[u + 1] {
                let i = Int(itemIndices[n])
                users[cursor[i]] = Int32(u)
                vals[cursor[i]] = values[n]
                cursor[i] += 1
            }
        }
        return ItemUserMatrix(itemCount: itemCount, userCount: userCount, colStart: start,
                              userIndices: users, values: vals)
    }
}
