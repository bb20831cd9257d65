import RecCore

extension SemanticIDGenerator {
    /// A what-if user's window: the last `max_len` of their items.
    func window(_ user: ExplainedUser) -> ArraySlice<Int32>? {
        if let u = user.index, let w = window(u) { return w }
        guard !user.items.isEmpty else { return nil }
        return user.items.suffix(configuration.network.maxLen)
    }

    /// The constrained beam decode over a what-if user's last items.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard let w = window(.whatIf(history)), let decoded = decoder.decode(history: w, k: k, beam: configuration.beam, exclude: exclude) else {
            return ranking.top(k: k, exclude: exclude)
        }
        return decoded.items
    }

    /// sidgen's score is the log probability of writing the item's codes next: one term per level, log softmax
    /// at the item's code given the window and the codes above it. They add up to the score exactly.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        guard let w = window(user) else { return ranking.explanations(items, term: "training users (no history: popularity)") }
        let levels = decoder.vocabulary.levels
        return zip(items, decoder.levelLogProbabilities(history: w, items: items)).map { item, terms in
            let codes = (0..<levels).map { decoder.vocabulary.codes[Int(item) * levels + $0] }
            return ItemExplanation(item: item, score: terms.reduce(0, +), contributions: [],
                                   terms: zip(codes, terms).enumerated().map { l, pair in .init("level \(l) code \(pair.0): log P", pair.1) })
        }
    }
}
