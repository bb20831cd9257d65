import Foundation
import RecCore

/// A smoothed model of which code comes next: P(next item's code at level l | its prefix, recent items).
///
/// Learned from consecutive pairs (a → b) in each user's time-ordered training sequence (and, with a
/// window w > 1, from a → b up to w steps apart, weight decayᵈ⁻¹ at distance d). The context of a is its
/// node at `contextLevel` (`levels` means the item itself). For each target level t (the trie's levels,
/// then the items as level `levels`) it counts N(ctx → node). A user's context is the pool of their last
/// few items' rows, weights decayʲ (newest first) normalised to 1. The level term of node n with parent p is
///
///     term(n) = log P̂(n | p, ctx) − lift · log P_bg(n | p),
///     P̂(n | p, ctx) = (N_ctx(n) + α · P_bg(n | p)) / (N_ctx(p) + α),
///     P_bg(n | p) = (N(n) + 1) / (N(p) + children(p)),
///
/// so the terms along a path sum to a smoothed log-probability of the whole path (a chain of
/// conditionals, as in TIGER's decoding) or, with lift 1, to its log-lift over the background.
public struct CodeTransitions: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Pairs up to this many steps apart count. Defaults: the best of a small grid on MovieLens-100k's
        /// leave-one-out valid rows (window 1-8, history 1-10, decay 0.4-0.8, α 1-20, context level 0-3, lift 0-1).
        public var window = 5
        /// Weight ratio between one step and the next, for pairs and for a user's recent items.
        public var decay: Float = 0.6
        /// A user's context: this many most recent training items.
        public var history = 3
        /// α: pseudo-count pulling P̂ toward the background.
        public var smoothing: Float = 5
        /// The level whose node is a context (`levels` = the item itself).
        public var contextLevel = 1
        /// How much of the background log-probability to subtract (0 = plain log P̂, 1 = log-lift).
        public var lift: Float = 0.5
        public init() {}
    }

    public let configuration: Configuration
    let trie: PrefixTrie
    /// Context ids: nodes of `contextLevel`, or items.
    let contextCount: Int
    /// Per target level t (0...levels): CSR over contexts of (target, weight), targets ascending.
    let rowStart: [[Int]]
    let targets: [[Int32]]
    let weights: [[Float]]
    /// Per target level: the total weight of pairs into each target node (item level: each item).
    let background: [[Float]]
    /// P_bg(n | parent) and its log, per target level and node (item level: per item).
    let backgroundProbability: [[Float]]
    let logBackground: [[Float]]
    /// Total pair weight out of each context, and overall.
    let contextTotal: [Float]
    let total: Float

    /// Counts the pairs of `sequences` over `trie`'s paths.
    /// - Complexity: O(P · (levels + 1)) for P weighted pairs, plus sorting each context's targets.
    public init(sequences: UserSequences, trie: PrefixTrie, configuration c: Configuration) {
        configuration = c
        self.trie = trie
        let levels = trie.levels
        let contextLevel = min(max(0, c.contextLevel), levels)
        contextCount = contextLevel == levels ? trie.itemCount : trie.nodeCount(level: contextLevel)
        func context(_ item: Int32) -> Int { contextLevel == levels ? Int(item) : trie.node(of: Int(item), level: contextLevel) }
        // The weighted pairs, grouped by context with a counting sort.
        var pairContext: [Int32] = [], pairTarget: [Int32] = [], pairWeight: [Float] = []
        for u in 0..<sequences.userCount {
            let s = sequences.items(ofUser: u)
            var t = s.startIndex + 1
            while t < s.endIndex {
                var lag = 1, w: Float = 1
                while lag <= c.window && t - lag >= s.startIndex && w > 0 {
                    let a = s[t - lag], b = s[t]
                    if Int(a) < trie.itemCount && Int(b) < trie.itemCount {
                        pairContext.append(Int32(context(a))); pairTarget.append(b); pairWeight.append(w)
                    }
                    lag += 1
                    w *= c.decay
                }
                t += 1
            }
        }
        var byContext = [Int](repeating: 0, count: contextCount + 1)
        for x in pairContext { byContext[Int(x) + 1] += 1 }
        for k in 0..<contextCount { byContext[k + 1] += byContext[k] }
        var order = [Int](repeating: 0, count: pairContext.count)
        var fill = byContext
        for (p, x) in pairContext.enumerated() { order[fill[Int(x)]] = p; fill[Int(x)] += 1 }

        var rowStart: [[Int]] = [], targets: [[Int32]] = [], weights: [[Float]] = [], background: [[Float]] = []
        var contextTotal = [Float](repeating: 0, count: contextCount)
        for (p, x) in pairContext.enumerated() { contextTotal[Int(x)] += pairWeight[p] }
        for level in 0...levels {
            let width = level == levels ? trie.itemCount : trie.nodeCount(level: level)
            func target(_ item: Int32) -> Int { level == levels ? Int(item) : trie.node(of: Int(item), level: level) }
            var acc = [Float](repeating: 0, count: width)
            var bg = [Float](repeating: 0, count: width)
            var touched: [Int32] = []
            var starts = [0], ts: [Int32] = [], ws: [Float] = []
            for x in 0..<contextCount {
                for e in byContext[x]..<byContext[x + 1] {
                    let p = order[e]
                    let n = target(pairTarget[p])
                    if acc[n] == 0 { touched.append(Int32(n)) }
                    acc[n] += pairWeight[p]
                    bg[n] += pairWeight[p]
                }
                touched.sort()
                for n in touched { ts.append(n); ws.append(acc[Int(n)]); acc[Int(n)] = 0 }
                touched.removeAll(keepingCapacity: true)
                starts.append(ts.count)
            }
            rowStart.append(starts); targets.append(ts); weights.append(ws); background.append(bg)
        }
        self.rowStart = rowStart
        self.targets = targets
        self.weights = weights
        self.background = background
        self.contextTotal = contextTotal
        let total = contextTotal.reduce(0, +)
        self.total = total
        var probability: [[Float]] = []
        for level in 0...levels {
            probability.append((0..<background[level].count).map { n -> Float in
                let parentBackground: Float, siblings: Int
                if level == 0 {
                    parentBackground = total
                    siblings = trie.nodeCount(level: 0)
                } else {
                    let parent = level == levels ? trie.node(of: n, level: levels - 1) : Int(trie.parents[level][n])
                    parentBackground = background[level - 1][parent]
                    siblings = level == levels ? trie.itemCount(under: parent, level: levels - 1)
                                               : trie.children(of: parent, level: level - 1).count
                }
                return (background[level][n] + 1) / (parentBackground + Float(siblings))
            })
        }
        backgroundProbability = probability
        logBackground = probability.map { $0.map { logf($0) } }
    }

    /// Whether any pair was counted (without pairs every term is 0).
    public var isEmpty: Bool { total == 0 }

    /// One user's pooled context rows, ready to give level terms; made per query (not shared between threads).
    public struct Query {
        let model: CodeTransitions
        /// pooled[t][n] = Σⱼ wⱼ N_ctxⱼ(n).
        var pooled: [[Float]]
        var pooledRoot: Float = 0
        let active: Bool

        /// The context of `recent` (oldest first; the last `history` of them count, newest heaviest).
        init(model: CodeTransitions, recent: ArraySlice<Int32>) {
            self.model = model
            let levels = model.trie.levels
            let c = model.configuration
            let tail = Array(recent.suffix(max(0, c.history)).reversed())
            active = !model.isEmpty && !tail.isEmpty
            pooled = (0...levels).map { [Float](repeating: 0, count: $0 == levels ? model.trie.itemCount : model.trie.nodeCount(level: $0)) }
            guard active else { return }
            var w: Float = 1, sum: Float = 0
            var contexts: [(Int, Float)] = []
            let contextLevel = min(max(0, c.contextLevel), levels)
            for item in tail where Int(item) < model.trie.itemCount {
                let x = contextLevel == levels ? Int(item) : model.trie.node(of: Int(item), level: contextLevel)
                contexts.append((x, w))
                sum += w
                w *= c.decay
            }
            for (x, w) in contexts {
                let share = w / sum
                pooledRoot += share * model.contextTotal[x]
                for t in 0...levels {
                    let start = model.rowStart[t]
                    let targets = model.targets[t], weights = model.weights[t]
                    for e in start[x]..<start[x + 1] { pooled[t][Int(targets[e])] += share * weights[e] }
                }
            }
        }

        /// log(N_ctx(parent) + α) for the children of `parent` at `level` (−1 parent: the root).
        @inline(__always)
        func logDenominator(level: Int, parent: Int) -> Float {
            logf((level == 0 ? pooledRoot : pooled[level - 1][parent]) + model.configuration.smoothing)
        }

        /// The term of `node` at `level` given its parent's `logDenominator`: one `logf` when the user's
        /// context reached the node, plain arithmetic otherwise (log α + (1 − lift) log P_bg − denominator).
        @inline(__always)
        func term(level: Int, node: Int, logDenominator d: Float) -> Float {
            guard active else { return 0 }
            let c = model.configuration
            let x = pooled[level][node]
            let lb = model.logBackground[level][node]
            if x == 0 { return logf(c.smoothing) + (1 - c.lift) * lb - d }
            return logf(x + c.smoothing * model.backgroundProbability[level][node]) - d - c.lift * lb
        }

        /// The term of node `node` at level `level` (`levels` = item `node`), per the formula above.
        public func term(level: Int, node: Int) -> Float {
            guard active else { return 0 }
            let trie = model.trie
            let levels = trie.levels
            let parent = level == 0 ? 0 : level == levels ? trie.node(of: node, level: levels - 1) : Int(trie.parents[level][node])
            return term(level: level, node: node, logDenominator: logDenominator(level: level, parent: parent))
        }

        /// Σ of the terms along item `item`'s path, level 0 first, its own item term last (the order the
        /// beam adds them in, so both give the same float).
        public func pathTerm(item: Int) -> Float {
            guard active else { return 0 }
            let levels = model.trie.levels
            var s: Float = 0
            for l in 0..<levels { s += term(level: l, node: model.trie.node(of: item, level: l)) }
            return s + term(level: levels, node: item)
        }
    }

    /// A query for a user whose training sequence is `recent` (oldest first).
    public func query(recent: ArraySlice<Int32>) -> Query { Query(model: self, recent: recent) }
}
