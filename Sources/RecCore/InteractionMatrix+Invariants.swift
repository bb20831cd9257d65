extension InteractionMatrix {
    #if RECSCOPE_INTERNAL_CHECKS
    /// Traps unless the CSR arrays are consistent: `rowStart` has `userCount + 1` monotone offsets from 0
    /// to nnz, one value per entry, and each row's items are in `0 ..< itemCount` and strictly increasing.
    /// - Complexity: O(users + nnz); compiled only with `RECSCOPE_INTERNAL_CHECKS` (debug builds).
    @inline(never)
    func _checkInvariants() {
        precondition(userCount >= 0 && itemCount >= 0, "negative shape \(userCount) × \(itemCount)")
        precondition(rowStart.count == userCount + 1, "rowStart has \(rowStart.count) offsets for \(userCount) users")
        precondition(rowStart.first == 0, "rowStart starts at \(rowStart.first!), not 0")
        precondition(rowStart.last == itemIndices.count, "rowStart ends at \(rowStart.last!), nnz is \(itemIndices.count)")
        precondition(values.count == itemIndices.count, "\(values.count) values for \(itemIndices.count) entries")
        for u in 0..<userCount {
            precondition(rowStart[u] <= rowStart[u + 1], "rowStart decreases at user \(u)")
            var previous: Int32 = -1
            for e in rowStart[u]..<rowStart[u + 1] {
                let i = itemIndices[e]
                precondition(i > previous, "row \(u): item \(i) after \(previous) (rows must be strictly increasing)")
                precondition(Int(i) < itemCount, "row \(u): item \(i) out of range 0..<\(itemCount)")
                previous = i
            }
        }
    }
    #else
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
