import RecCore

/// The valid code paths of a set of semantic IDs, as a trie: what constrains beam search to real items.
///
/// Items are sorted by (path, item index); a node at level l is a distinct prefix of length l + 1, and
/// nodes of each level are numbered in that order. So a node's children are a contiguous range of the next
/// level (sorted by code), and its items a contiguous range of `itemOrder`. Lookups are array reads; finding
/// a child by code is a binary search among its siblings.
public struct PrefixTrie: Sendable, Equatable {
    /// Code levels (node levels are 0..<levels; items hang below the last).
    public let levels: Int
    public let itemCount: Int
    /// Items sorted by path, then index.
    public let itemOrder: [Int32]
    /// `nodeCodes[l][n]`: the code of node n at level l (its last code).
    public let nodeCodes: [[Int32]]
    /// `parents[l][n]`: node n's parent at level l − 1 (0 for level 0: the root).
    public let parents: [[Int32]]
    /// Node n of level l owns `itemOrder[itemStart[l][n] ..< itemStart[l][n + 1]]`.
    let itemStart: [[Int32]]
    /// Node n of level l < levels − 1 has children `childStart[l][n] ..< childStart[l][n + 1]` at level l + 1.
    let childStart: [[Int32]]
    /// `itemNodes[i * levels + l]`: item i's node at level l.
    let itemNodes: [Int32]

    /// Builds the trie of `ids`' paths.
    /// - Complexity: O(n log n · levels) for n items.
    public init(_ ids: SemanticIDs) {
        self.init(codes: ids.codes, levels: ids.levels)
    }

    /// Builds the trie of item paths `codes` (item-major, `levels` codes per item).
    public init(codes: [Int32], levels: Int) {
        precondition(levels > 0 && codes.count % levels == 0, "codes must hold `levels` entries per item")
        self.levels = levels
        let n = codes.count / levels
        itemCount = n
        let order = SemanticIDs.pathOrder(codes: codes, levels: levels)
        itemOrder = order
        var nodeCodes = [[Int32]](repeating: [], count: levels)
        var parents = [[Int32]](repeating: [], count: levels)
        var itemStart = [[Int32]](repeating: [], count: levels)
        var itemNodes = [Int32](repeating: 0, count: n &* levels)
        for (position, item) in order.enumerated() {
            let p = Int(item) &* levels
            // The first level at which this item's path leaves the previous item's.
            var split = 0
            if position > 0 {
                let q = Int(order[position - 1]) &* levels
                while split < levels && codes[p &+ split] == codes[q &+ split] { split += 1 }
            }
            for l in 0..<levels {
                if position == 0 || l >= split {
                    nodeCodes[l].append(codes[p &+ l])
                    parents[l].append(l == 0 ? 0 : Int32(nodeCodes[l - 1].count - 1))
                    itemStart[l].append(Int32(position))
                }
                itemNodes[p &+ l] = Int32(nodeCodes[l].count - 1)
            }
        }
        var childStart = [[Int32]](repeating: [], count: levels)
        for l in 0..<levels {
            itemStart[l].append(Int32(n))
            guard l + 1 < levels else { continue }
            var starts = [Int32](repeating: 0, count: nodeCodes[l].count + 1)
            for parent in parents[l + 1] { starts[Int(parent) + 1] += 1 }
            for k in 0..<nodeCodes[l].count { starts[k + 1] += starts[k] }
            childStart[l] = starts
        }
        self.nodeCodes = nodeCodes
        self.parents = parents
        self.itemStart = itemStart
        self.childStart = childStart
        self.itemNodes = itemNodes
        _checkInvariants()
    }

    /// Nodes (distinct prefixes) at `level`.
    public func nodeCount(level: Int) -> Int { nodeCodes[level].count }

    /// The children at `level + 1` of node `node` at `level`; `level = -1` means the root (all level-0 nodes).
    public func children(of node: Int, level: Int) -> Range<Int> {
        if level < 0 { return 0..<nodeCodes[0].count }
        precondition(level + 1 < levels, "nodes at the last level have items, not children")
        return Int(childStart[level][node])..<Int(childStart[level][node + 1])
    }

    /// The child of `node` (at `level`, −1 for the root) whose code is `code`, if that path exists.
    public func child(of node: Int, level: Int, code: Int32) -> Int? {
        var range = children(of: node, level: level)
        let codes = nodeCodes[level + 1]
        while !range.isEmpty {
            let mid = range.lowerBound + range.count / 2
            if codes[mid] == code { return mid }
            if codes[mid] < code { range = (mid + 1)..<range.upperBound } else { range = range.lowerBound..<mid }
        }
        return nil
    }

    /// The items whose path starts with node `node` of `level`, by path then index.
    public func items(under node: Int, level: Int) -> ArraySlice<Int32> {
        itemOrder[Int(itemStart[level][node])..<Int(itemStart[level][node + 1])]
    }

    /// How many items share node `node`'s prefix.
    @inline(__always)
    public func itemCount(under node: Int, level: Int) -> Int {
        Int(itemStart[level][node + 1] &- itemStart[level][node])
    }

    /// Item `item`'s node at `level`.
    @inline(__always)
    public func node(of item: Int, level: Int) -> Int { Int(itemNodes[item &* levels &+ level]) }

    /// The codes of node `node` at `level`, level 0 first.
    public func prefix(of node: Int, level: Int) -> [Int32] {
        var out = [Int32](repeating: 0, count: level + 1)
        var n = node
        for l in stride(from: level, through: 0, by: -1) {
            out[l] = nodeCodes[l][n]
            n = Int(parents[l][n])
        }
        return out
    }

    /// The node of a prefix (its level is `prefix.count − 1`), or nil when no item has that prefix.
    public func node(of prefix: [Int32]) -> Int? {
        guard !prefix.isEmpty && prefix.count <= levels else { return nil }
        var node = 0
        for (l, code) in prefix.enumerated() {
            guard let next = child(of: node, level: l - 1, code: code) else { return nil }
            node = next
        }
        return node
    }

    /// The largest node count of any level: a beam at least this wide keeps every prefix.
    public var widestLevel: Int { nodeCodes.map(\.count).max() ?? 0 }
}
