import RecCore
@testable import RecEval

/// A recommender over a fixed score table (`scores[user][item]`), ranking by `ScoredItem.ranksBefore`.
struct TableRecommender: Recommender {
    let name: String
    let scores: [[Float]]
    /// When set, lists come back with tied scores in descending item order, as a careless model might.
    var reverseTies = false

    var userCount: Int { scores.count }
    var itemCount: Int { scores.first?.count ?? 0 }

    func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard user < userCount else { return [] }
        var all: [ScoredItem] = []
        for (i, s) in scores[user].enumerated() where !exclude.contains(Int32(i)) {
            all.append(ScoredItem(item: Int32(i), score: s))
        }
        all.sort(by: ScoredItem.ranksBefore)
        var top = Array(all.prefix(k))
        if reverseTies {
            top.sort { $0.score != $1.score ? $0.score > $1.score : $0.item > $1.item }
        }
        return top
    }
}

/// A seeded score table with many exact ties (scores are multiples of 1/8).
func seededTable(users: Int, items: Int, seed: UInt64) -> [[Float]] {
    var rng = SeededGenerator(seed: seed)
    return (0..<users).map { _ in (0..<items).map { _ in Float(rng.nextIndex(below: 8)) / 8 } }
}
