import RecCore

/// How good a set of semantic IDs is: codebook use, collisions, reconstruction, and two quality checks.
///
/// - Codebook use, per level: codes used of K, the entropy H = −Σ p log₂ p of the level's code
///   distribution over items, and the perplexity 2ᴴ (the number of equally used codes that would give the
///   same entropy; K when use is perfectly even).
/// - Collisions: 1 − (distinct full paths / items), before the disambiguation code; items per path.
/// - Reconstruction: mean ‖x − Σ_{m ≤ l} c_m‖² after each level l, and that over mean ‖x‖².
/// - Category purity at prefix depth p: for each prefix, the share of its categorised items that carry
///   its most common category (an item with several categories counts for each); averaged over prefixes
///   weighted by their categorised items. Depth 0 (the whole catalogue as one prefix) is the baseline.
/// - Co-consumption alignment at depth p: of the consecutive pairs (a, b), a ≠ b, in each user's history,
///   the share whose items share their depth-p prefix; chance is Σ_prefix P₁(prefix)·P₂(prefix) with P₁
///   and P₂ the prefix distributions of the pairs' first and second items; lift = share / chance.
public struct SemanticIDStats: Sendable, Equatable {
    public var items: Int
    public var levels: Int
    public var codesPerLevel: [Int]
    public var usedPerLevel: [Int]
    public var entropyPerLevel: [Double]
    public var perplexityPerLevel: [Double]
    public var uniquePaths: Int
    public var collisionRate: Double
    public var maxItemsPerPath: Int
    /// Paths by how many items they hold: sizes 1, 2, 3–4, 5–8, 9–16, 17+.
    public var pathSizeHistogram: [Int]
    public static let pathSizeBuckets = ["1", "2", "3-4", "5-8", "9-16", "17+"]
    /// Empty when no embeddings were given.
    public var reconstructionErrorPerLevel: [Double]
    public var relativeReconstructionErrorPerLevel: [Double]
    /// Depths 1 and 2 (fewer when there are fewer levels); empty without categories.
    public var categoryPurity: [Double]
    public var categoryPurityBaseline: Double?
    /// Prefixes at each depth (1, 2, …).
    public var prefixesPerDepth: [Int]
    public var coConsumptionPairs: Int
    /// Depths 1 and 2 (fewer when there are fewer levels); empty without histories.
    public var coConsumptionShared: [Double]
    public var coConsumptionChance: [Double]

    public var coConsumptionLift: [Double] {
        zip(coConsumptionShared, coConsumptionChance).map { $1 > 0 ? $0 / $1 : 0 }
    }

    /// Computes every statistic.
    /// - Parameters:
    ///   - embeddings: the vectors the codes were fitted to (for reconstruction), or nil.
    ///   - categories: each item's category indices, or nil.
    ///   - historyUsers, historyItems: interactions grouped by user and in time order within a user.
    /// - Complexity: O(n · (levels + d · levels) + interactions) with hashing for the prefixes.
    public init(ids: SemanticIDs, embeddings: DenseMatrix? = nil, categories: [[Int32]]? = nil,
                historyUsers: [Int32] = [], historyItems: [Int32] = []) {
        let n = ids.itemCount, levels = ids.levels
        items = n
        self.levels = levels
        codesPerLevel = ids.codesPerLevel
        usedPerLevel = []
        entropyPerLevel = []
        perplexityPerLevel = []
        for level in 0..<levels {
            var counts = [Int](repeating: 0, count: ids.codesPerLevel[level])
            for i in 0..<n { counts[Int(ids.codes[i &* levels &+ level])] += 1 }
            let h = Self.entropy(counts)
            usedPerLevel.append(counts.filter { $0 > 0 }.count)
            entropyPerLevel.append(h)
            perplexityPerLevel.append(Self.pow2(h))
        }
        let depths = Array(1...min(2, levels))
        let prefixOf = (0...levels).map { Self.prefixKeys(ids, depth: $0) }
        prefixesPerDepth = (1...levels).map { Set(prefixOf[$0]).count }

        var pathSizes: [Int64: Int] = [:]
        for key in prefixOf[levels] { pathSizes[key, default: 0] += 1 }
        uniquePaths = pathSizes.count
        collisionRate = n > 0 ? 1 - Double(uniquePaths) / Double(n) : 0
        maxItemsPerPath = pathSizes.values.max() ?? 0
        pathSizeHistogram = [Int](repeating: 0, count: Self.pathSizeBuckets.count)
        for size in pathSizes.values { pathSizeHistogram[Self.bucket(size: size)] += 1 }

        reconstructionErrorPerLevel = []
        relativeReconstructionErrorPerLevel = []
        if let x = embeddings, x.rows == n, x.cols == ids.dimension {
            var residual = x
            var energy = 0.0
            for i in 0..<n { energy += Double(Kernels.squaredNorm(x.row(i), count: x.stride)) }
            for level in 0..<levels {
                var total = 0.0
                for i in 0..<n {
                    let row = residual.mutableRow(i)
                    let centroid = ids.codebooks[level].row(Int(ids.codes[i &* levels &+ level]))
                    Kernels.axpy(-1, centroid, row, count: x.stride)
                    total += Double(Kernels.squaredNorm(UnsafePointer(row), count: x.stride))
                }
                reconstructionErrorPerLevel.append(total / Double(max(n, 1)))
                relativeReconstructionErrorPerLevel.append(energy > 0 ? total / energy : 0)
            }
        }

        categoryPurity = []
        categoryPurityBaseline = nil
        if let categories, categories.count == n {
            categoryPurityBaseline = Self.purity(prefixOf[0], categories: categories)
            categoryPurity = depths.map { Self.purity(prefixOf[$0], categories: categories) }
        }

        coConsumptionPairs = 0
        coConsumptionShared = []
        coConsumptionChance = []
        var firsts: [Int32] = [], seconds: [Int32] = []
        if historyUsers.count == historyItems.count && historyItems.count > 1 {
            for r in 1..<historyItems.count where historyUsers[r] == historyUsers[r - 1] && historyItems[r] != historyItems[r - 1] {
                firsts.append(historyItems[r - 1])
                seconds.append(historyItems[r])
            }
        }
        coConsumptionPairs = firsts.count
        if !firsts.isEmpty {
            for depth in depths {
                let keys = prefixOf[depth]
                var shared = 0
                var p1: [Int64: Int] = [:], p2: [Int64: Int] = [:]
                for (a, b) in zip(firsts, seconds) {
                    let ka = keys[Int(a)], kb = keys[Int(b)]
                    if ka == kb { shared += 1 }
                    p1[ka, default: 0] += 1
                    p2[kb, default: 0] += 1
                }
                let total = Double(firsts.count)
                var chance = 0.0
                for (key, c1) in p1 { chance += Double(c1) / total * Double(p2[key] ?? 0) / total }
                coConsumptionShared.append(Double(shared) / total)
                coConsumptionChance.append(chance)
            }
        }
    }

    /// The index of the histogram bucket for a path holding `size` items.
    static func bucket(size: Int) -> Int {
        switch size {
        case ...1: return 0
        case 2: return 1
        case 3...4: return 2
        case 5...8: return 3
        case 9...16: return 4
        default: return 5
        }
    }

    /// Each item's depth-`depth` prefix as one integer (mixed radix over the levels' codebook sizes).
    static func prefixKeys(_ ids: SemanticIDs, depth: Int) -> [Int64] {
        (0..<ids.itemCount).map { i in
            var key: Int64 = 0
            for level in 0..<depth {
                key = key &* Int64(ids.codesPerLevel[level]) &+ Int64(ids.codes[i &* ids.levels &+ level])
            }
            return key
        }
    }

    /// Purity of the grouping `keys` (see the type's summary).
    static func purity(_ keys: [Int64], categories: [[Int32]]) -> Double {
        var groups: [Int64: (items: Int, counts: [Int32: Int])] = [:]
        for (i, key) in keys.enumerated() where !categories[i].isEmpty {
            var g = groups[key] ?? (0, [:])
            g.items += 1
            for c in Set(categories[i]) { g.counts[c, default: 0] += 1 }
            groups[key] = g
        }
        var pure = 0, total = 0
        for g in groups.values {
            pure += g.counts.values.max() ?? 0
            total += g.items
        }
        return total > 0 ? Double(pure) / Double(total) : 0
    }

    /// −Σ p log₂ p of a count vector.
    static func entropy(_ counts: [Int]) -> Double {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return 0 }
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / total
            h -= p * _log2(p)
        }
        return h
    }

    static func pow2(_ x: Double) -> Double { _exp2(x) }
}

#if canImport(Glibc)
import Glibc
private func _log2(_ x: Double) -> Double { Glibc.log2(x) }
private func _exp2(_ x: Double) -> Double { Glibc.exp2(x) }
#else
import Foundation
private func _log2(_ x: Double) -> Double { Foundation.log2(x) }
private func _exp2(_ x: Double) -> Double { Foundation.exp2(x) }
#endif
