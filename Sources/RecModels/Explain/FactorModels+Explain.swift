import RecCore

extension _FactorScorer {
    /// The top `k` for a query vector of `itemFactors.stride` floats (zero padding).
    func recommend(query: [Float], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard k > 0 else { return [] }
        precondition(query.count == itemFactors.stride, "a query holds \(itemFactors.stride) floats, got \(query.count)")
        return withExtendedLifetime(itemFactors) {
            query.withUnsafeBufferPointer { Retrieval.topK(query: $0.baseAddress!, items: itemFactors.view, k: k, exclude: exclude) }
        }
    }

    /// q · yᵢ for each item.
    func scores(query: [Float], items: [Int32]) -> [Float] {
        withExtendedLifetime(itemFactors) {
            query.withUnsafeBufferPointer { q in
                items.map { Kernels.dot(q.baseAddress!, itemFactors.row(Int($0)), count: itemFactors.stride) }
            }
        }
    }

    /// The stored factor of a trained user with history, as a padded array; nil otherwise.
    func storedFactor(_ user: ExplainedUser) -> [Float]? {
        guard let u = user.index, isKnown(u) else { return nil }
        return withExtendedLifetime(userFactors) { Array(UnsafeBufferPointer(start: userFactors.row(u), count: userFactors.stride)) }
    }

    /// Popularity explanations, for a user with no history (every model's non-personal answer).
    func popularityExplanations(_ items: [Int32]) -> [ItemExplanation] {
        ranking.explanations(items, term: "training users (no history: popularity)")
    }
}

extension _PopularityRanking {
    /// Each item's count as one term, with its place in the popularity order.
    func explanations(_ items: [Int32], term: String) -> [ItemExplanation] {
        items.map { i in
            let count = counts[Int(i)]
            return ItemExplanation(item: i, score: count, contributions: [], terms: [.init(term, count)],
                                   detail: .popularity(count: count, rank: rank(of: i), items: counts.count))
        }
    }
}

/// Explanations of a score q·yⱼ over the user's items through the closed-form fold-in (ALS, and sid's ALS part).
///
/// The query is the trained user's stored factor when there is one, else the fold-in of their items. The
/// contributions are cᵢ·yᵢ·A⁻¹yⱼ; when the stored factor is not exactly the fold-in (CG solves with α > 0) the
/// difference is one more term, so the parts always add up to the score.
func _foldInParts(_ items: [Int32], user: ExplainedUser, scorer: _FactorScorer, foldIn: _FactorFoldIn)
    -> (query: [Float], parts: [(score: Float, contributions: [ItemExplanation.Contribution], terms: [ItemExplanation.Term])]) {
    let history = user.items
    let y = scorer.itemFactors
    let query = scorer.storedFactor(user) ?? foldIn.factor(items: history, y: y)
    let system = foldIn.system(items: history, y: y)
    let position = Dictionary(history.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let scores = scorer.scores(query: query, items: items)
    let parts = zip(items, scores).map { item, score in
        let values = foldIn.contributions(of: item, items: history, y: y, system: system)
        let sum = values.reduce(0, +)
        var terms: [ItemExplanation.Term] = []
        let residual = score - sum
        if abs(residual) > 1e-4 * max(1, abs(score)) { terms.append(.init("stored factor − fold-in", residual)) }
        return (score, ItemExplanation.ordered(Array(zip(history, values)).map { ($0, $1) }, position: position), terms)
    }
    return (query, parts)
}

extension ALS {
    /// Folds the user in (`_FactorFoldIn`: the user half-step against the stored item factors) and ranks by it.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        let items = ExplainedUser.whatIf(history).items
        guard !items.isEmpty else { return scorer.ranking.top(k: k, exclude: exclude) }
        return scorer.recommend(query: foldIn.factor(items: items, y: scorer.itemFactors), k: k, exclude: exclude)
    }

    /// The score over the user's items through the closed-form user solve: score(j) = Σᵢ cᵢ·yⱼᵀA⁻¹yᵢ
    /// (implicit's `explain`), exact up to float rounding.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        guard !user.items.isEmpty else { return scorer.popularityExplanations(items) }
        return zip(items, _foldInParts(items, user: user, scorer: scorer, foldIn: foldIn).parts).map { item, p in
            ItemExplanation(item: item, score: p.score, contributions: p.contributions, terms: p.terms)
        }
    }

    /// The factor `recommend(history:)` ranks by: the user half-step for `history`, `itemFactors.stride` floats.
    public func foldedInFactor(history: [Int32]) -> [Float] {
        foldIn.factor(items: ExplainedUser.whatIf(history).items, y: scorer.itemFactors)
    }
}
