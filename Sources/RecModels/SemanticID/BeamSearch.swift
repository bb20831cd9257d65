import RecCore

/// What one beam search did, level by level: the prefixes it kept and pruned, with their scores.
public struct BeamTrace: Sendable, Hashable {
    /// One scored prefix. `score = centroidScore + transitionWeight · transitionScore`.
    public struct Prefix: Sendable, Hashable {
        public let codes: [Int32]
        public let score: Float
        /// Σ over its levels of q · c_l (own codes), or q · m̄ with m̄ the mean item factor under it (a space's codes).
        public let centroidScore: Float
        /// Σ over its levels of the transition term (unweighted).
        public let transitionScore: Float
        /// Items under the prefix, and how many of them the user has seen.
        public let items: Int
        public let seen: Int
    }

    /// One level: the prefixes kept (best first), the ones pruned (best first), and how many were
    /// skipped because the user has seen every item under them.
    public struct Level: Sendable, Hashable {
        public let level: Int
        public let kept: [Prefix]
        public let pruned: [Prefix]
        public let skippedFullySeen: Int
    }

    /// False when the user could not be personalised (the items are the popularity answer).
    public var personalised: Bool
    /// The beam width the search ended with (it doubles until the kept leaves hold k unseen items).
    public var beam: Int
    /// Searches run: 1, plus one per widening.
    public var passes: Int
    public var transitionWeight: Float
    public var levels: [Level]
    /// The final list: items under the kept leaves by their full score.
    public var items: [ScoredItem]
    /// Items scored in the final step (unseen items under the kept leaves).
    public var itemsScored: Int
}

/// Beam search over a `PrefixTrie` for one user: level by level keep the best `beam` prefixes by
/// Σ_l (q · c_l + w · transition_l), skip prefixes whose items the user has all seen, then rank the items
/// under the kept leaves by q · y_i + w · Σ transition terms of their path (TIGER's constrained decoding,
/// with scores from a factor model instead of a sequence model). For codes from another space the centroid
/// part of a prefix is q · m̄ (its items' mean factor) instead of the residual sum.
/// - Complexity: O(levels · (K + B · fan-out) · d) per pass, plus O(items under the leaves · d).
struct _BeamSearch {
    let model: SemanticIDRetriever
    let query: UnsafePointer<Float>
    let transitions: CodeTransitions.Query
    let exclude: ExclusionSet
    /// seen[l][n]: excluded items under node n of level l.
    var seen: [[Int32]]
    /// centroid[l][code] = q · c_l[code] (own codes only; empty for a space's codes, scored by prefix means).
    var centroid: [[Float]]

    init(model: SemanticIDRetriever, query: UnsafePointer<Float>, transitions: CodeTransitions.Query, exclude: ExclusionSet) {
        self.model = model
        self.query = query
        self.transitions = transitions
        self.exclude = exclude
        let trie = model.trie
        seen = (0..<trie.levels).map { [Int32](repeating: 0, count: trie.nodeCount(level: $0)) }
        for e in exclude.sortedItems where e >= 0 && Int(e) < trie.itemCount {
            for l in 0..<trie.levels { seen[l][trie.node(of: Int(e), level: l)] &+= 1 }
        }
        centroid = model.prefixMeans != nil ? [] : model.semanticIDs.codebooks.map { book in
            let s = book.stride
            return withExtendedLifetime(book) { (0..<book.rows).map { Kernels.dot(query, book.row($0), count: s) } }
        }
    }

    /// One pass at width `beam`; `record` collects the trace levels.
    func pass(beam: Int, k: Int, record: Bool) -> (items: [ScoredItem], eligible: Int, levels: [BeamTrace.Level]) {
        let trie = model.trie
        let w = model.transitionWeight
        var frontier: [(node: Int, centroid: Float, transition: Float)] = [(0, 0, 0)]
        var levels: [BeamTrace.Level] = []
        for l in 0..<trie.levels {
            var candidates: [(node: Int, centroid: Float, transition: Float)] = []
            var skipped = 0
            let codes = trie.nodeCodes[l]
            let means = model.prefixMeans?[l]
            for parent in frontier {
                for child in trie.children(of: parent.node, level: l - 1) {
                    if Int(seen[l][child]) == trie.itemCount(under: child, level: l) { skipped += 1; continue }
                    let c: Float
                    if let means {
                        c = withExtendedLifetime(means) { Kernels.dot(query, means.row(child), count: means.stride) }
                    } else {
                        c = parent.centroid + centroid[l][Int(codes[child])]
                    }
                    candidates.append((child, c, parent.transition + transitions.term(level: l, node: child)))
                }
            }
            var top = TopK(k: beam)
            for (n, c) in candidates.enumerated() { top.insert(item: Int32(n), score: c.centroid + w * c.transition) }
            let kept = top.sorted().map { candidates[Int($0.item)] }
            if record {
                let keptNodes = Set(kept.map(\.node))
                var pruned = candidates.filter { !keptNodes.contains($0.node) }
                pruned.sort { a, b in
                    let sa = a.centroid + w * a.transition, sb = b.centroid + w * b.transition
                    return sa != sb ? sa > sb : a.node < b.node
                }
                func prefix(_ c: (node: Int, centroid: Float, transition: Float)) -> BeamTrace.Prefix {
                    BeamTrace.Prefix(codes: trie.prefix(of: c.node, level: l), score: c.centroid + w * c.transition,
                                     centroidScore: c.centroid, transitionScore: c.transition,
                                     items: trie.itemCount(under: c.node, level: l), seen: Int(seen[l][c.node]))
                }
                levels.append(BeamTrace.Level(level: l, kept: kept.map(prefix), pruned: pruned.map(prefix), skippedFullySeen: skipped))
            }
            frontier = kept
        }
        // The items under the kept leaves: their path terms above the item are the leaf's, so each item adds
        // only its own term (as `fullScore` does, in the same order).
        var top = TopK(k: k)
        var eligible = 0
        let last = trie.levels - 1
        let factors = model.scorer.itemFactors
        let stride = factors.stride
        withExtendedLifetime(factors) {
            for leaf in frontier {
                let d = transitions.logDenominator(level: trie.levels, parent: leaf.node)
                let checkSeen = seen[last][leaf.node] > 0
                for item in trie.items(under: leaf.node, level: last) {
                    if checkSeen && exclude.contains(item) { continue }
                    eligible &+= 1
                    let t = leaf.transition + transitions.term(level: trie.levels, node: Int(item), logDenominator: d)
                    let score = Kernels.dot(query, factors.row(Int(item)), count: stride) + w * t
                    if score >= top.gate { top.insert(item: item, score: score) }
                }
            }
        }
        return (top.sorted(), eligible, levels)
    }

    /// Searches at `beam`, doubling the width until the kept leaves hold `k` eligible items or every
    /// prefix is kept.
    func run(beam: Int, k: Int, record: Bool) -> BeamTrace {
        var width = max(1, beam), passes = 0
        let widest = model.trie.widestLevel
        while true {
            passes += 1
            let r = pass(beam: width, k: k, record: record)
            if r.eligible >= k || width >= widest {
                return BeamTrace(personalised: true, beam: width, passes: passes, transitionWeight: model.transitionWeight,
                                 levels: r.levels, items: r.items, itemsScored: r.eligible)
            }
            width = min(widest, width * 2)
        }
    }
}
