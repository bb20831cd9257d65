import RecCore

extension TransformerRecommender {
    /// One forward pass over the window of `history`'s last items (BERT4Rec: then `[mask]`).
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        core.recommend(window: core.window(.whatIf(history)), k: k, exclude: exclude)
    }

    /// A transformer's score (the scoring position's hidden state · the item's embedding) is not a sum over
    /// the history; what the model shows is where it looked: each window item's last-block attention weight,
    /// averaged over heads (`basis` `.attention`), with every head's weights in the detail.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        let window = core.window(user)
        guard let window, let trace = core.attention(window: window) else { return core.ranking.explanations(items, term: "training users (no history: popularity)") }
        let scores = core.scores(window: window, items: items)
        let mean = trace.mean
        var weights: [(Int32, Float)] = []
        for (t, item) in trace.items.enumerated() where item >= 0 { weights.append((item, mean[t])) }
        let position = Dictionary(trace.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, b in b })
        let contributions = ItemExplanation.ordered(weights.map { ($0, $1) }, position: position)
        return zip(items, scores).map { item, score in
            ItemExplanation(item: item, score: score, basis: .attention, contributions: contributions, detail: .attention(trace))
        }
    }
}
