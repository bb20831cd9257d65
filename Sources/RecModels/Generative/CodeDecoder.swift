import RecCore

/// One step of a generative decode: the beam after choosing level `level`'s code, and what it left out.
public struct DecodeStep: Sendable, Hashable {
    /// A prefix of codes (level 0 first) and its log probability, the sum over its levels of
    /// log softmax over that level's codes.
    public struct Candidate: Sendable, Hashable {
        public let codes: [Int32]
        public let logProbability: Float
    }

    public let level: Int
    /// The prefixes kept, best first.
    public let kept: [Candidate]
    /// The best valid prefixes the beam's width cut, and how many were cut in all.
    public let pruned: [Candidate]
    public let prunedCount: Int
    /// The likeliest continuations no item has (the trie blocked them), and how many there were.
    public let blocked: [Candidate]
    public let blockedCount: Int
    /// The probability the network put on blocked codes, averaged over the beam's prefixes.
    public let blockedMass: Float
}

/// How a generative model wrote one user's list: the items read and each level's beam.
public struct DecodeTrace: Sendable, Hashable {
    /// The user's window of recent training items, oldest first.
    public let window: [Int32]
    public let steps: [DecodeStep]
    /// The items the last level's kept paths name, with their log probabilities, best first.
    public let items: [ScoredItem]
}

/// Decodes the next item's semantic-ID tokens from a user's item sequence with a causal transformer: level
/// by level, the `beam` likeliest prefixes are kept (each prefix's score is the sum of its levels' log
/// softmax over that level's codes), and only continuations some item has are considered (the trie),
/// excluding prefixes all of whose items the user has already seen. Keys and values of the user's window
/// are computed once (`prefill`); each level adds one token per kept prefix (`extend`).
struct CodeDecoder: Sendable {
    let network: TransformerNetwork
    let vocabulary: CodeVocabulary
    /// Items read from the end of a history.
    let maxItems: Int

    /// A window's tokens and the position of its first one, so that the next item's first code is read at
    /// position `maxItems · levels` (positions line up with item boundaries, as in training).
    func input(_ history: some Collection<Int32>) -> (tokens: [Int32], first: Int) {
        let window = history.suffix(maxItems)
        return (vocabulary.tokens(of: window), (maxItems - window.count) * vocabulary.levels)
    }

    /// Level `level`'s log softmax for a hidden state, over that level's codes.
    func logSoftmax(_ hidden: UnsafePointer<Float>, level: Int) -> [Float] {
        let size = vocabulary.sizes[level], offset = vocabulary.offsets[level]
        let e = network.weights.t[TransformerWeights.embedding]
        var z = [Float](repeating: 0, count: size)
        withExtendedLifetime(e) {
            for c in 0..<size { z[c] = Kernels.dot(hidden, e.row(offset + c), count: e.stride) }
        }
        let m = z.max() ?? 0
        var total: Float = 0
        for c in 0..<size { total += Kernels.exp(z[c] - m) }
        let shift = m + _logf(total)
        for c in 0..<size { z[c] -= shift }
        return z
    }

    /// How many of each trie node's items the user has seen, per level (only nodes with some).
    func seenCounts(_ exclude: ExclusionSet) -> [[Int: Int]] {
        var out = [[Int: Int]](repeating: [:], count: vocabulary.levels)
        for item in exclude.sortedItems where item >= 0 && Int(item) < vocabulary.itemCount {
            for l in 0..<vocabulary.levels { out[l][vocabulary.trie.node(of: Int(item), level: l), default: 0] += 1 }
        }
        return out
    }

    private struct Beam {
        var node: Int
        var codes: [Int32]
        var logProbability: Float
        var cache: DecodingCache
        var hidden: [Float]
    }

    /// The `k` likeliest unseen items by constrained beam search (width at least `k`); nil without a
    /// history. With `trace`, each level's beam and what it left out.
    func decode(history: some Collection<Int32>, k: Int, beam width: Int, exclude: ExclusionSet,
                trace: Bool = false, shown: Int = 5) -> (items: [ScoredItem], trace: DecodeTrace?)? {
        guard !history.isEmpty, k > 0 else { return nil }
        let trie = vocabulary.trie, levels = vocabulary.levels
        let width = max(width, k)
        let seen = seenCounts(exclude)
        let (tokens, first) = input(history)
        let (prefix, hidden) = network.prefill(tokens, firstPosition: first)
        var beams = [Beam(node: -1, codes: [], logProbability: 0, cache: DecodingCache(layers: network.shape.layers), hidden: hidden)]
        var steps: [DecodeStep] = []
        for level in 0..<levels {
            var candidates: [(beam: Int, node: Int, score: Float)] = []
            var blocked: [DecodeStep.Candidate] = [], blockedCount = 0, blockedMass: Float = 0
            for (b, beam) in beams.enumerated() {
                let scores = beam.hidden.withUnsafeBufferPointer { logSoftmax($0.baseAddress!, level: level) }
                var valid = [Bool](repeating: false, count: scores.count)
                for node in trie.children(of: beam.node, level: level - 1) {
                    let code = Int(trie.nodeCodes[level][node])
                    valid[code] = true
                    if seen[level][node, default: 0] >= trie.itemCount(under: node, level: level) { continue }
                    candidates.append((b, node, beam.logProbability + scores[code]))
                }
                guard trace else { continue }
                var mass: Float = 0
                for (code, s) in scores.enumerated() where !valid[code] {
                    blockedCount += 1
                    mass += Kernels.exp(s)
                    blocked.append(.init(codes: beam.codes + [Int32(code)], logProbability: beam.logProbability + s))
                }
                blockedMass += mass / Float(beams.count)
                blocked = Self.best(blocked, shown)
            }
            // Best first; ties by the earlier beam, then the lower code: the same order every run.
            candidates.sort { ($0.score, $1.beam, $1.node) > ($1.score, $0.beam, $0.node) }
            let keep = Array(candidates.prefix(width))
            if trace {
                func candidate(_ c: (beam: Int, node: Int, score: Float)) -> DecodeStep.Candidate {
                    .init(codes: beams[c.beam].codes + [trie.nodeCodes[level][c.node]], logProbability: c.score)
                }
                steps.append(DecodeStep(level: level, kept: keep.map(candidate), pruned: candidates.dropFirst(width).prefix(shown).map(candidate),
                                        prunedCount: max(0, candidates.count - width), blocked: blocked,
                                        blockedCount: blockedCount, blockedMass: blockedMass))
            }
            var next = keep.map { c in
                Beam(node: c.node, codes: beams[c.beam].codes + [trie.nodeCodes[level][c.node]], logProbability: c.score,
                     cache: beams[c.beam].cache, hidden: [])
            }
            if level + 1 < levels && !next.isEmpty {
                var caches = next.map(\.cache)
                let tokens = next.map { Int32(vocabulary.offsets[level]) + $0.codes[level] }
                let hidden = network.extend(prefix, &caches, tokens: tokens, position: maxItems * levels + level)
                for n in next.indices {
                    next[n].cache = caches[n]
                    next[n].hidden = hidden.rowArray(n)
                }
            }
            beams = next
        }
        var items: [ScoredItem] = []
        for beam in beams {
            for item in trie.items(under: beam.node, level: levels - 1) where !exclude.contains(item) {
                items.append(ScoredItem(item: item, score: beam.logProbability))
            }
        }
        items.sort { ($0.score, $1.item) > ($1.score, $0.item) }
        let top = Array(items.prefix(k))
        return (top, trace ? DecodeTrace(window: Array(history.suffix(maxItems)), steps: steps, items: top) : nil)
    }

    /// The `n` candidates with the highest log probability (ties by codes, lowest first).
    static func best(_ c: [DecodeStep.Candidate], _ n: Int) -> [DecodeStep.Candidate] {
        Array(c.sorted { a, b in a.logProbability != b.logProbability ? a.logProbability > b.logProbability
                                                                         : a.codes.lexicographicallyPrecedes(b.codes) }.prefix(n))
    }

    /// Each item's log probability under teacher forcing: the sum over levels of log softmax at its code,
    /// given the history and its own earlier codes (no beam, no trie). Prefixes shared by several items are
    /// computed once.
    func logProbabilities(history: some Collection<Int32>, items: [Int32]) -> [Float] {
        guard !history.isEmpty else { return [Float](repeating: -.infinity, count: items.count) }
        // Summed level by level from 0, so the total is the float `explain`'s terms add up to.
        return levelLogProbabilities(history: history, items: items).map { $0.reduce(0, +) }
    }

    /// Each item's log probability per level, log softmax over that level's codes given the prefix above it
    /// (empty lists without a history): what `logProbabilities` sums.
    func levelLogProbabilities(history: some Collection<Int32>, items: [Int32]) -> [[Float]] {
        guard !history.isEmpty else { return [[Float]](repeating: [], count: items.count) }
        let levels = vocabulary.levels, trie = vocabulary.trie
        let (tokens, first) = input(history)
        let (prefix, hidden) = network.prefill(tokens, firstPosition: first)
        var out = [[Float]](repeating: [], count: items.count)
        // The hidden state and cache after each prefix node reached so far (level −1: the root).
        var states: [Int: (cache: DecodingCache, hidden: [Float])] = [-1: (DecodingCache(layers: network.shape.layers), hidden)]
        for level in 0..<levels {
            var parentsNeeded: [Int] = []
            for item in items { parentsNeeded.append(level == 0 ? -1 : trie.node(of: Int(item), level: level - 1)) }
            var distributions: [Int: [Float]] = [:]
            for (n, item) in items.enumerated() {
                let parent = parentsNeeded[n]
                if distributions[parent] == nil {
                    distributions[parent] = states[parent]!.hidden.withUnsafeBufferPointer { logSoftmax($0.baseAddress!, level: level) }
                }
                out[n].append(distributions[parent]![Int(vocabulary.codes[Int(item) * levels + level])])
            }
            guard level + 1 < levels else { break }
            let nodes = Array(Set(items.map { trie.node(of: Int($0), level: level) })).sorted()
            var caches = nodes.map { states[level == 0 ? -1 : Int(trie.parents[level][$0])]!.cache }
            let tokens = nodes.map { Int32(vocabulary.offsets[level]) + trie.nodeCodes[level][$0] }
            let h = network.extend(prefix, &caches, tokens: tokens, position: maxItems * levels + level)
            var nextStates: [Int: (cache: DecodingCache, hidden: [Float])] = [:]
            for (n, node) in nodes.enumerated() { nextStates[node] = (caches[n], h.rowArray(n)) }
            states = nextStates
        }
        return out
    }
}
