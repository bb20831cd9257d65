import RecCore

extension GenerateRank {
    /// The same stages for a user known only by `history`: ALS (folded in), ItemKNN and the sid beam propose
    /// candidates from the items, and the ranker orders them.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        stages(.whatIf(history), k: k, exclude: exclude).items
    }

    /// Each feature's term w·f̂ in the ranker's logit (the terms; the score is σ of their sum, or σ − 1 for an
    /// item no retriever proposed), with the retrievers that proposed the item and at which rank.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        guard let user = rankUser(user) else { return sid.scorer.popularityExplanations(items) }
        let cands = Self.candidates(user: user, sid: sid, knn: itemKNN, n: configuration.candidates, seen: ExclusionSet(sorted: user.history))
        let ranks = cands.lists.map { list in Dictionary(list.enumerated().map { ($1.item, $0 + 1) }, uniquingKeysWith: { a, _ in a }) }
        return zip(items, featureRows(user: user, items: items)).map { item, row in
            let logit = ranker.score(row.features[...])
            let features = RankFeatures.names.indices.map { j in
                RankerDetail.Feature(name: RankFeatures.names[j], value: row.features[j],
                                     term: ranker.weights[j] * (row.features[j] - ranker.mean[j]) / ranker.scale[j])
            }
            let sources = zip(Self.retrieverNames, ranks).map { RankerDetail.Source(retriever: $0, rank: $1[item]) }
            return ItemExplanation(item: item, score: _sigmoid(logit) - (row.candidate ? 0 : 1),
                                   link: row.candidate ? .logistic : .logisticMinusOne, contributions: [],
                                   terms: features.map { .init($0.name, $0.term) },
                                   detail: .ranker(RankerDetail(features: features, sources: sources, candidate: row.candidate)))
        }
    }
}
