import RecCore
/// The tree of semantic-ID prefixes: the root holds every item, a node at depth l + 1 the items whose
/// first l + 1 codes are its path. Each node knows its item count, its children (by code), its most
/// common categories and its most popular items; each level knows how many items use each code.
///
/// Nodes are numbered level by level (the root is 0), so a node's children are one contiguous range of
/// numbers, in code order. A node's items are one contiguous run of `order` (items by path, then index).
/// Titles are kept as given: whoever prints them sanitises them.
public struct SemanticTree: Sendable {
    /// A node's number; 0 is the root.
    public typealias NodeID = Int

    /// A category and the share of a node's items that have it.
    public struct CategoryShare: Hashable, Sendable {
        public let name: String
        public let items: Int
        /// items / the node's item count.
        public let share: Double
    }

    struct NodeRecord: Sendable {
        var depth: Int32
        var code: Int32
        var parent: Int32
        var start: Int32
        var end: Int32
        var firstChild: Int32
        var childCount: Int32
    }

    /// Code levels (the depth of the leaves).
    public let levels: Int
    /// Codes in each level's codebook.
    public let codesPerLevel: [Int]
    /// Items in path order (codes level by level, then item index).
    public let order: [Int32]
    /// `usage[l][c]` is the number of items whose level-l code is c (the heat strip of level l).
    public let usage: [[Int]]
    /// Item titles, categories' names and popularity, by item index.
    public let titles: [String]
    public let popularity: [Int]
    /// How many top categories and example items each node keeps.
    public let topCategoryCount: Int
    public let exampleCount: Int

    let nodes: [NodeRecord]
    let codes: [Int32]
    let disambiguation: [Int32]
    let categoryNames: [String]
    /// `topCategories[node * topCategoryCount + j]`: category number, or -1; with its item count.
    let topCategoryIDs: [Int32]
    let topCategoryItems: [Int32]
    /// `examples[node * exampleCount + j]`: item index, or -1.
    let examples: [Int32]

    /// Builds the tree of `ids`; `categories`, `titles` and `popularity` are by item index.
    /// - Complexity: O(n log n + n · (L + 1) · (c + e)) for n items, L levels, c categories per item
    ///   and e examples per node.
    public init(ids: SemanticIDs, categories: [[String]], titles: [String], popularity: [Int],
                topCategoryCount: Int = 3, exampleCount: Int = 3) {
        let n = ids.itemCount, levels = ids.levels
        precondition(categories.count == n && titles.count == n && popularity.count == n,
                     "the tree needs categories, titles and popularity for each of the \(n) items")
        self.levels = levels
        codesPerLevel = ids.codesPerLevel
        codes = ids.codes
        disambiguation = ids.disambiguation
        self.titles = titles
        self.popularity = popularity
        self.topCategoryCount = max(0, topCategoryCount)
        self.exampleCount = max(0, exampleCount)
        order = ids.pathOrder

        var usage = ids.codesPerLevel.map { [Int](repeating: 0, count: $0) }
        for item in 0..<n {
            for l in 0..<levels { usage[l][Int(ids.codes[item &* levels &+ l])] &+= 1 }
        }
        self.usage = usage
        nodes = Self.buildNodes(order: order, codes: ids.codes, levels: levels)

        // Categories as numbers, ranked by name so ties break by name with an integer compare.
        var numbers = Vocabulary()
        var itemCategoryStart = [Int32](repeating: 0, count: n &+ 1)
        var itemCategories: [Int32] = []
        for item in 0..<n {
            var seen: [Int32] = []
            for name in categories[item] {
                let number = numbers.insert(name)
                if !seen.contains(number) { seen.append(number) }
            }
            itemCategories += seen
            itemCategoryStart[item &+ 1] = Int32(itemCategories.count)
        }
        categoryNames = numbers.ids
        let rankByName = Self.ranks(of: numbers.ids)
        (topCategoryIDs, topCategoryItems) = Self.topCategories(
            nodes: nodes, order: order, start: itemCategoryStart, categories: itemCategories,
            categoryCount: numbers.count, rankByName: rankByName, keep: self.topCategoryCount)
        examples = Self.mostPopular(nodes: nodes, order: order, popularity: popularity, keep: self.exampleCount)
    }

    // MARK: nodes

    /// The root: every item.
    public var root: NodeID { 0 }
    public var nodeCount: Int { nodes.count }
    public var itemCount: Int { order.count }

    /// 0 for the root, l + 1 for a node of level l.
    public func depth(of node: NodeID) -> Int { Int(nodes[node].depth) }
    /// The node's own code (its last path code); nil for the root.
    public func code(of node: NodeID) -> Int? { node == 0 ? nil : Int(nodes[node].code) }
    public func parent(of node: NodeID) -> NodeID? { node == 0 ? nil : Int(nodes[node].parent) }
    /// The node's children, in code order.
    public func children(of node: NodeID) -> Range<NodeID> {
        let r = nodes[node]
        return Int(r.firstChild)..<Int(r.firstChild &+ r.childCount)
    }
    public func itemCount(of node: NodeID) -> Int { Int(nodes[node].end &- nodes[node].start) }
    /// The node's items, by path then index.
    public func items(of node: NodeID) -> ArraySlice<Int32> { order[Int(nodes[node].start)..<Int(nodes[node].end)] }

    /// The codes from the root to the node (empty for the root).
    public func codes(of node: NodeID) -> [Int32] {
        var out: [Int32] = []
        var n = node
        while n != 0 {
            out.append(nodes[n].code)
            n = Int(nodes[n].parent)
        }
        return out.reversed()
    }

    /// `12-7` (empty for the root).
    public func prefix(of node: NodeID) -> String { codes(of: node).map(String.init).joined(separator: "-") }

    /// The node's most common categories, most items first (ties by name), with their shares.
    public func topCategories(of node: NodeID) -> [CategoryShare] {
        let count = Double(max(1, itemCount(of: node)))
        return (0..<topCategoryCount).compactMap { j in
            let c = topCategoryIDs[node &* topCategoryCount &+ j]
            guard c >= 0 else { return nil }
            let items = Int(topCategoryItems[node &* topCategoryCount &+ j])
            return CategoryShare(name: categoryNames[Int(c)], items: items, share: Double(items) / count)
        }
    }

    /// The node's most popular items (ties by lower index), at most `exampleCount`.
    public func examples(of node: NodeID) -> [Int] {
        (0..<exampleCount).compactMap { j in
            let item = examples[node &* exampleCount &+ j]
            return item >= 0 ? Int(item) : nil
        }
    }

    /// The titles of `examples(of:)`.
    public func exampleTitles(of node: NodeID) -> [String] { examples(of: node).map { titles[$0] } }

    // MARK: lookups

    /// The node whose path is `codes`, or nil when no item has that prefix.
    public func node(codes path: some Sequence<Int32>) -> NodeID? {
        var node = 0
        for code in path {
            guard let child = child(of: node, code: code) else { return nil }
            node = child
        }
        return node
    }

    /// The node of a prefix written `12-7` (an empty prefix is the root), or nil.
    public func node(prefix: String) -> NodeID? {
        Self.parsePrefix(prefix).flatMap { node(codes: $0) }
    }

    /// The child of `node` with `code`, by binary search over the children.
    public func child(of node: NodeID, code: Int32) -> NodeID? {
        var range = children(of: node)
        while !range.isEmpty {
            let mid = range.lowerBound &+ range.count / 2
            let c = nodes[mid].code
            if c == code { return mid }
            range = c < code ? (mid &+ 1)..<range.upperBound : range.lowerBound..<mid
        }
        return nil
    }

    /// The existing node nearest to `codes`: follow the path while it exists, then take the child whose
    /// code is closest to the next one asked for (ties to the lower code).
    public func nearest(to path: [Int32]) -> NodeID {
        var node = 0
        for code in path {
            if let child = child(of: node, code: code) {
                node = child
                continue
            }
            let kids = children(of: node)
            guard let closest = kids.min(by: { abs(Int(nodes[$0].code) - Int(code)) < abs(Int(nodes[$1].code) - Int(code)) })
            else { return node }
            return closest
        }
        return node
    }

    /// The leaf holding `item` (its whole path).
    public func leaf(of item: Int) -> NodeID {
        node(codes: codes[item &* levels ..< (item &+ 1) &* levels])!
    }

    /// The nodes from level 0 down to the item's leaf (the root left out).
    public func path(of item: Int) -> [NodeID] {
        var out: [NodeID] = []
        var node = 0
        for code in codes[item &* levels ..< (item &+ 1) &* levels] {
            node = child(of: node, code: code)!
            out.append(node)
        }
        return out
    }

    /// `12-7-201-0`: the item's codes and its disambiguation code.
    public func pathString(of item: Int) -> String {
        (Array(codes[item &* levels ..< (item &+ 1) &* levels]) + [disambiguation[item]]).map(String.init).joined(separator: "-")
    }

    /// Codes of level `level` that hold at least one item.
    public func usedCodes(level: Int) -> Int { usage[level].reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// The codes of `12-7` (spaces around parts allowed; empty text is the root), or nil when a part is
    /// not a non-negative integer.
    public static func parsePrefix(_ text: String) -> [Int32]? {
        func trimmed(_ s: Substring) -> Substring {
            var t = s
            while t.first == " " { t.removeFirst() }
            while t.last == " " { t.removeLast() }
            return t
        }
        let whole = trimmed(Substring(text))
        if whole.isEmpty { return [] }
        var out: [Int32] = []
        for part in whole.split(separator: "-", omittingEmptySubsequences: false) {
            guard let code = Int32(trimmed(part)), code >= 0 else { return nil }
            out.append(code)
        }
        return out
    }

    // MARK: building

    /// Nodes level by level: each node of depth l splits its run of `order` where the level-l code changes.
    static func buildNodes(order: [Int32], codes: [Int32], levels: Int) -> [NodeRecord] {
        var nodes = [NodeRecord(depth: 0, code: -1, parent: -1, start: 0, end: Int32(order.count), firstChild: 1, childCount: 0)]
        var levelStart = 0
        for level in 0..<levels {
            let levelEnd = nodes.count
            for parent in levelStart..<levelEnd {
                nodes[parent].firstChild = Int32(nodes.count)
                var i = Int(nodes[parent].start)
                let end = Int(nodes[parent].end)
                while i < end {
                    let code = codes[Int(order[i]) &* levels &+ level]
                    var j = i &+ 1
                    while j < end && codes[Int(order[j]) &* levels &+ level] == code { j &+= 1 }
                    nodes.append(NodeRecord(depth: Int32(level &+ 1), code: code, parent: Int32(parent), start: Int32(i),
                                            end: Int32(j), firstChild: 0, childCount: 0))
                    i = j
                }
                nodes[parent].childCount = Int32(nodes.count) &- nodes[parent].firstChild
            }
            levelStart = levelEnd
        }
        for leaf in levelStart..<nodes.count { nodes[leaf].firstChild = Int32(nodes.count) }
        return nodes
    }

    /// Each name's position in name order.
    static func ranks(of names: [String]) -> [Int32] {
        var rank = [Int32](repeating: 0, count: names.count)
        for (position, index) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() {
            rank[index] = Int32(position)
        }
        return rank
    }

    /// Per node, its `keep` most common categories (most items first, ties by name).
    static func topCategories(nodes: [NodeRecord], order: [Int32], start: [Int32], categories: [Int32],
                              categoryCount: Int, rankByName: [Int32], keep: Int) -> ([Int32], [Int32]) {
        var ids = [Int32](repeating: -1, count: nodes.count &* keep)
        var counts = [Int32](repeating: -1, count: nodes.count &* keep)
        guard keep > 0 else { return (ids, counts) }
        var tally = [Int32](repeating: 0, count: categoryCount)
        var touched: [Int32] = []
        for (n, node) in nodes.enumerated() {
            for p in Int(node.start)..<Int(node.end) {
                let item = Int(order[p])
                for k in Int(start[item])..<Int(start[item &+ 1]) {
                    let c = Int(categories[k])
                    if tally[c] == 0 { touched.append(Int32(c)) }
                    tally[c] &+= 1
                }
            }
            touched.sort { tally[Int($0)] != tally[Int($1)] ? tally[Int($0)] > tally[Int($1)] : rankByName[Int($0)] < rankByName[Int($1)] }
            for (j, c) in touched.prefix(keep).enumerated() {
                ids[n &* keep &+ j] = c
                counts[n &* keep &+ j] = tally[Int(c)]
            }
            for c in touched { tally[Int(c)] = 0 }
            touched.removeAll(keepingCapacity: true)
        }
        return (ids, counts)
    }

    /// Per node, its `keep` most popular items (ties by lower index), best first.
    static func mostPopular(nodes: [NodeRecord], order: [Int32], popularity: [Int], keep: Int) -> [Int32] {
        var out = [Int32](repeating: -1, count: nodes.count &* keep)
        guard keep > 0 else { return out }
        var best: [Int32] = []
        best.reserveCapacity(keep &+ 1)
        func before(_ a: Int32, _ b: Int32) -> Bool {
            popularity[Int(a)] != popularity[Int(b)] ? popularity[Int(a)] > popularity[Int(b)] : a < b
        }
        for (n, node) in nodes.enumerated() {
            best.removeAll(keepingCapacity: true)
            for p in Int(node.start)..<Int(node.end) {
                let item = order[p]
                if best.count == keep, !before(item, best[keep &- 1]) { continue }
                var i = best.count
                best.append(item)
                while i > 0 && before(item, best[i &- 1]) {
                    best[i] = best[i &- 1]
                    i &-= 1
                }
                best[i] = item
                if best.count > keep { best.removeLast() }
            }
            for (j, item) in best.enumerated() { out[n &* keep &+ j] = item }
        }
        return out
    }
}
