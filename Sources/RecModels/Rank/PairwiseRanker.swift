import Foundation

/// One user's candidates in a ranker's training data: a feature row per candidate and which one was chosen.
public struct RankingGroup: Sendable {
    public let dimension: Int
    /// Row-major, `count × dimension`.
    public let features: [Float]
    /// The row of the item the user went on to pick.
    public let positive: Int

    public init(dimension: Int, features: [Float], positive: Int) {
        precondition(dimension > 0 && features.count % dimension == 0, "features must hold whole rows of \(dimension)")
        precondition(positive >= 0 && positive < features.count / dimension, "the positive row must be one of the candidates")
        self.dimension = dimension
        self.features = features
        self.positive = positive
    }

    public var count: Int { features.count / dimension }
    public func row(_ r: Int) -> ArraySlice<Float> { features[(r * dimension)..<((r + 1) * dimension)] }
}

/// A linear ranker fitted by pairwise logistic regression (RankNet's loss with a linear scorer).
///
/// Features are standardised (mean and scale from the training rows). For every group and every
/// negative n, d = f̂(positive) − f̂(n); minimises Σ log(1 + e^(−w·d)) + (λ/2)‖w‖² by Newton's method
/// (the loss is convex; each step solves the d × d system H Δ = −g). score(f) = w · f̂.
public struct PairwiseRanker: Sendable, Equatable {
    public let weights: [Float]
    public let mean: [Float]
    public let scale: [Float]

    public init(weights: [Float], mean: [Float], scale: [Float]) {
        precondition(weights.count == mean.count && mean.count == scale.count, "ranker arrays differ in length")
        self.weights = weights
        self.mean = mean
        self.scale = scale
    }

    /// The ranker that scores everything 0 (before training).
    public static func untrained(dimension: Int) -> PairwiseRanker {
        PairwiseRanker(weights: [Float](repeating: 0, count: dimension), mean: [Float](repeating: 0, count: dimension),
                       scale: [Float](repeating: 1, count: dimension))
    }

    public var dimension: Int { weights.count }

    /// w · f̂ for one feature row.
    public func score(_ f: ArraySlice<Float>) -> Float {
        var s: Float = 0
        for (j, x) in f.enumerated() { s += weights[j] * (x - mean[j]) / scale[j] }
        return s
    }

    /// The fraction of (positive, negative) pairs the ranker orders right (ties count half).
    public func pairwiseAccuracy(_ groups: [RankingGroup]) -> Double {
        var right = 0.0, pairs = 0.0
        for g in groups {
            let p = score(g.row(g.positive))
            for r in 0..<g.count where r != g.positive {
                let n = score(g.row(r))
                right += p > n ? 1 : (p == n ? 0.5 : 0)
                pairs += 1
            }
        }
        return pairs == 0 ? 0 : right / pairs
    }

    /// Fits w on `groups` (groups with one candidate teach nothing and are skipped).
    /// - Complexity: O(iterations · P · d²) for P pairs and d features.
    public static func fit(_ groups: [RankingGroup], l2: Double = 1, iterations: Int = 20) -> PairwiseRanker {
        guard let d = groups.first?.dimension else { return .untrained(dimension: 0) }
        var sum = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d), n = 0.0
        for g in groups {
            for (k, x) in g.features.enumerated() { sum[k % d] += Double(x); sq[k % d] += Double(x) * Double(x) }
            n += Double(g.count)
        }
        let mean = sum.map { n > 0 ? $0 / n : 0 }
        let scale = (0..<d).map { j -> Double in
            let v = n > 0 ? sq[j] / n - mean[j] * mean[j] : 0
            return v > 1e-12 ? v.squareRoot() : 1
        }
        // The pair differences, standardised (the mean cancels in a difference).
        var diffs: [Double] = []
        for g in groups where g.count > 1 {
            let p = g.row(g.positive)
            for r in 0..<g.count where r != g.positive {
                for (j, (a, b)) in zip(p, g.row(r)).enumerated() { diffs.append((Double(a) - Double(b)) / scale[j]) }
            }
        }
        let pairs = diffs.count / d
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<iterations {
            var grad = w.map { l2 * $0 }
            var hess = [Double](repeating: 0, count: d * d)
            for j in 0..<d { hess[j * d + j] = l2 }
            for p in 0..<pairs {
                let base = p * d
                var m = 0.0
                for j in 0..<d { m += w[j] * diffs[base + j] }
                let s = 1 / (1 + exp(m))          // σ(−m)
                let curvature = s * (1 - s)
                for j in 0..<d {
                    let dj = diffs[base + j]
                    grad[j] -= s * dj
                    let c = curvature * dj
                    for k in j..<d { hess[j * d + k] += c * diffs[base + k] }
                }
            }
            for j in 0..<d { for k in 0..<j { hess[j * d + k] = hess[k * d + j] } }
            guard let step = _solve(hess, grad.map { -$0 }, d) else { break }
            for j in 0..<d { w[j] += step[j] }
            if step.map(abs).max() ?? 0 < 1e-7 { break }
        }
        return PairwiseRanker(weights: w.map { Float($0) }, mean: mean.map { Float($0) }, scale: scale.map { Float($0) })
    }
}

/// Solves A x = b (A is d × d, symmetric positive definite here) by Gaussian elimination with partial pivoting.
func _solve(_ a: [Double], _ b: [Double], _ d: Int) -> [Double]? {
    var m = a, x = b
    for col in 0..<d {
        var pivot = col
        for r in (col + 1)..<max(col + 1, d) where abs(m[r * d + col]) > abs(m[pivot * d + col]) { pivot = r }
        guard abs(m[pivot * d + col]) > 1e-300 else { return nil }
        if pivot != col {
            for k in 0..<d { m.swapAt(col * d + k, pivot * d + k) }
            x.swapAt(col, pivot)
        }
        for r in (col + 1)..<max(col + 1, d) {
            let f = m[r * d + col] / m[col * d + col]
            if f == 0 { continue }
            for k in col..<d { m[r * d + k] -= f * m[col * d + k] }
            x[r] -= f * x[col]
        }
    }
    for col in stride(from: d - 1, through: 0, by: -1) {
        var s = x[col]
        for k in (col + 1)..<d { s -= m[col * d + k] * x[k] }
        x[col] = s / m[col * d + col]
    }
    return x
}
