extension PrefixTrie {
    #if RECSCOPE_INTERNAL_CHECKS
    /// Traps unless the trie is well formed: `itemOrder` is a permutation of the items; at each level the
    /// nodes own consecutive, non-empty item ranges covering every item; parents are in order; each
    /// node's children are the next level's contiguous range whose parent it is, with codes strictly
    /// increasing; and each item's node at every level owns it and hangs below its node one level up.
    /// - Complexity: O(items · levels); compiled only with `RECSCOPE_INTERNAL_CHECKS` (debug builds).
    @inline(never)
    func _checkInvariants() {
        precondition(levels > 0 && itemNodes.count == itemCount * levels, "itemNodes holds \(itemNodes.count) for \(itemCount) × \(levels)")
        precondition(itemOrder.count == itemCount, "itemOrder holds \(itemOrder.count) of \(itemCount) items")
        var position = [Int](repeating: -1, count: itemCount)
        for (p, item) in itemOrder.enumerated() {
            precondition(item >= 0 && Int(item) < itemCount && position[Int(item)] < 0, "itemOrder is not a permutation at \(p)")
            position[Int(item)] = p
        }
        precondition([nodeCodes.count, parents.count, itemStart.count, childStart.count].allSatisfy { $0 == levels },
                     "per-level arrays do not have \(levels) levels")
        for l in 0..<levels {
            let nodes = nodeCodes[l].count
            precondition(parents[l].count == nodes && itemStart[l].count == nodes + 1, "level \(l): \(nodes) nodes, mismatched arrays")
            precondition(itemStart[l].first == 0 && Int(itemStart[l].last!) == itemCount, "level \(l): items do not run from 0 to \(itemCount)")
            for n in 0..<nodes {
                precondition(itemStart[l][n] < itemStart[l][n + 1], "level \(l) node \(n) owns no item")
                if l == 0 {
                    precondition(parents[0][n] == 0, "level 0 node \(n) has parent \(parents[0][n])")
                } else {
                    precondition(parents[l][n] >= 0 && Int(parents[l][n]) < nodeCodes[l - 1].count, "level \(l) node \(n): parent out of range")
                    precondition(n == 0 || parents[l][n - 1] <= parents[l][n], "level \(l): parents out of order at node \(n)")
                }
            }
            let groups = l == 0 ? [(parent: 0, range: 0..<nodes)]
                : (0..<nodeCodes[l - 1].count).map { (parent: $0, range: children(of: $0, level: l - 1)) }
            for (parent, range) in groups {
                for n in range {
                    precondition(l == 0 || Int(parents[l][n]) == parent, "level \(l) node \(n) listed under \(parent), not its parent")
                    precondition(n == range.lowerBound || nodeCodes[l][n - 1] < nodeCodes[l][n], "level \(l): sibling codes not increasing at \(n)")
                }
            }
            if l + 1 < levels {
                precondition(childStart[l].count == nodes + 1 && childStart[l].first == 0
                             && Int(childStart[l].last!) == nodeCodes[l + 1].count, "level \(l): child ranges do not cover level \(l + 1)")
                for n in 0..<nodes {
                    precondition(childStart[l][n] < childStart[l][n + 1], "level \(l) node \(n) has no child")
                }
            } else {
                precondition(childStart[l].isEmpty, "the last level has child ranges")
            }
        }
        for item in 0..<itemCount {
            for l in 0..<levels {
                let n = node(of: item, level: l)
                precondition(n >= 0 && n < nodeCodes[l].count && items(under: n, level: l).indices.contains(position[item]),
                             "item \(item) is not under its level-\(l) node \(n)")
                precondition(l == 0 || Int(parents[l][n]) == node(of: item, level: l - 1), "item \(item): level-\(l) node's parent is not its level-\(l - 1) node")
            }
        }
    }
    #else
    @inline(__always)
    func _checkInvariants() {}
    #endif
}
