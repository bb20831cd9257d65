@testable import RecCore

/// Exact double-precision references the SIMD core is tested against.
enum Reference {
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Scores of every row of `items` against `query`, in Double.
    static func scores(_ items: DenseMatrix, _ query: [Float]) -> [Double] {
        (0..<items.rows).map { dot(items.rowArray($0), query) }
    }

    /// The exact top-k: score desc, index asc, skipping excluded and non-allowed items, −∞/NaN dropped.
    static func topK(_ scores: [Double], k: Int, exclude: Set<Int32> = [], allow: Set<Int32>? = nil) -> [(Int32, Double)] {
        let eligible = scores.indices.filter { i in
            !exclude.contains(Int32(i)) && (allow?.contains(Int32(i)) ?? true) && scores[i] > -.infinity
        }
        let sorted = eligible.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        return sorted.prefix(k).map { (Int32($0), scores[$0]) }
    }

    /// Checks a float top-k list against exact scores, allowing rounding `tol` at the boundary.
    static func agrees(_ got: [ScoredItem], exact: [Double], k: Int, exclude: Set<Int32> = [],
                       allow: Set<Int32>? = nil, tol: Double = 1e-4) -> Bool {
        let want = topK(exact, k: k, exclude: exclude, allow: allow)
        guard got.count == want.count else { return false }
        for (a, b) in zip(got, got.dropFirst()) where !ScoredItem.ranksBefore(a, b) { return false }
        let chosen = Set(got.map(\.item))
        guard chosen.count == got.count else { return false }
        for g in got {
            if exclude.contains(g.item) { return false }
            if let allow, !allow.contains(g.item) { return false }
            if abs(Double(g.score) - exact[Int(g.item)]) > tol * max(1, abs(exact[Int(g.item)])) { return false }
        }
        // Nothing left out may beat anything kept by more than the tolerance.
        let worstKept = got.map { exact[Int($0.item)] }.min() ?? .infinity
        for (i, s) in exact.enumerated() where !chosen.contains(Int32(i)) && !exclude.contains(Int32(i))
            && (allow?.contains(Int32(i)) ?? true) {
            if s > worstKept + tol * max(1, abs(s)) { return false }
        }
        return true
    }

    static func matrix(_ rows: Int, _ cols: Int, seed: UInt64, integers: Bool = false) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        if integers {
            return DenseMatrix(rows: rows, cols: cols) { _, _ in Float(rng.nextIndex(below: 5) - 2) }
        }
        return DenseMatrix.random(rows: rows, cols: cols, using: &rng)
    }
}
