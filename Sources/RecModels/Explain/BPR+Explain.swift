import Foundation
import RecCore

extension BPR {
    /// A user's factor from `items` with the item factors held fixed: BPR's own objective for that one row,
    /// ascended by SGD as training did (the same learning rate, regularisation and number of epochs, each
    /// epoch |items| triples with a uniform negative outside the items), from zero, seeded by the model's seed.
    /// - Complexity: O(epochs · |items| · f).
    public func foldedInFactor(history: [Int32]) -> [Float] {
        let items = ExplainedUser.whatIf(history).items
        let c = configuration
        let y = scorer.itemFactors
        let s = y.stride
        var x = [Float](repeating: 0, count: s)
        x[c.factors] = 1
        guard !items.isEmpty, itemCount > items.count else { return x }
        let owned = Set(items)
        var rng = SeededGenerator(seed: c.seed).derived(UInt64(items.count))
        withExtendedLifetime(y) {
            x.withUnsafeMutableBufferPointer { xb in
                let u = xb.baseAddress!
                for _ in 0..<(c.epochs * items.count) {
                    let i = items[rng.nextIndex(below: items.count)]
                    let j = Int32(truncatingIfNeeded: rng.nextIndex(below: itemCount))
                    if owned.contains(j) { continue }
                    let yi = y.row(Int(i)), yj = y.row(Int(j))
                    var d: Float = 0
                    for k in 0..<c.factors { d += u[k] * (yi[k] - yj[k]) }
                    let g = c.learningRate / (1 + expf(d))
                    let decay = 1 - c.learningRate * c.regularization
                    for k in 0..<c.factors { u[k] = u[k] * decay + g * (yi[k] - yj[k]) }
                }
            }
        }
        return x
    }

    /// Folds the user in (`foldedInFactor(history:)`) and ranks by it.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard !ExplainedUser.whatIf(history).items.isEmpty else { return scorer.ranking.top(k: k, exclude: exclude) }
        return scorer.recommend(query: foldedInFactor(history: history), k: k, exclude: exclude)
    }

    /// BPR's score is xᵤ·yⱼ + bⱼ, and xᵤ is learned, not a sum over the history: the score splits exactly into
    /// the item bias and the factor part (the terms), and each history item is shown by the cosine of its
    /// factors with the item's (the contributions, `basis` `.similarity`).
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        guard !user.items.isEmpty else { return scorer.popularityExplanations(items) }
        let query = scorer.storedFactor(user) ?? foldedInFactor(history: user.items)
        let y = scorer.itemFactors
        let f = configuration.factors
        let position = Dictionary(user.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return withExtendedLifetime(y) {
            zip(items, scorer.scores(query: query, items: items)).map { j, score in
                let yj = y.row(Int(j))
                let bias = yj[f]
                let similarities = user.items.map { i -> (Int32, Float) in
                    let yi = y.row(Int(i))
                    var dot: Float = 0, a: Float = 0, b: Float = 0
                    for k in 0..<f { dot += yi[k] * yj[k]; a += yi[k] * yi[k]; b += yj[k] * yj[k] }
                    return (i, a > 0 && b > 0 ? dot / (a * b).squareRoot() : 0)
                }
                return ItemExplanation(item: j, score: score, basis: .similarity,
                                       contributions: ItemExplanation.ordered(similarities.map { ($0, $1) }, position: position),
                                       terms: [.init("item bias", bias), .init("user · item factors", score - bias)])
            }
        }
    }
}
