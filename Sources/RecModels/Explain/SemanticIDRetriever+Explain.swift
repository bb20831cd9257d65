import RecCore

extension SemanticIDRetriever {
    /// The beam search for a user known only by `history`: their ALS fold-in as the query, their items as the
    /// transition context.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard let q = query(for: .whatIf(history)) else { return scorer.ranking.top(k: k, exclude: exclude) }
        return recommend(q, k: k, exclude: exclude)
    }

    /// score = xᵤ·yⱼ + w·Σ transition terms: the ALS part over the history items (as ALS explains it) plus the
    /// transition term; the detail gives the item's code path, each level's prefix score and transition term,
    /// and the last history item the transitions start from.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        guard let q = query(for: user) else { return scorer.popularityExplanations(items) }
        let als = _foldInParts(items, user: ExplainedUser(index: user.index, items: user.items.isEmpty ? q.recent : user.items),
                               scorer: scorer, foldIn: foldIn).parts
        let scores = self.scores(q, items: items)
        let last = q.recent.last
        return withQuery(q) { query, t in
            zip(items, zip(scores, als)).map { item, pair in
                let (score, part) = pair
                let path = Array(semanticIDs.path(of: Int(item)))
                var previous: Float = 0
                let levels = (0..<trie.levels).map { l -> SemanticPathDetail.Level in
                    let node = trie.node(of: Int(item), level: l)
                    let centroid: Float
                    if let means = prefixMeans?[l] {
                        let total = withExtendedLifetime(means) { Kernels.dot(query, means.row(node), count: means.stride) }
                        centroid = total - previous
                        previous = total
                    } else {
                        let book = semanticIDs.codebooks[l]
                        centroid = withExtendedLifetime(book) { Kernels.dot(query, book.row(Int(path[l])), count: book.stride) }
                    }
                    return .init(code: path[l], centroid: centroid, transition: t.term(level: l, node: node))
                }
                let detail = SemanticPathDetail(levels: levels, itemTransition: t.term(level: trie.levels, node: Int(item)),
                                                transitionWeight: transitionWeight, lastItem: last,
                                                lastPath: last.map { Array(semanticIDs.path(of: Int($0))) } ?? [])
                return ItemExplanation(item: item, score: score, contributions: part.contributions,
                                       terms: part.terms + [.init("transition (w · path terms)", transitionWeight * t.pathTerm(item: Int(item)))],
                                       detail: .semanticPath(detail))
            }
        }
    }
}
