import RecCore

/// Semantic IDs: each item's tuple of codes from residual quantisation of its embedding (TIGER, OneRec).
///
/// Level 0 clusters the embeddings; level l clusters what is left after subtracting the centroids chosen
/// at levels 0..<l. Items sharing a prefix are close in the embedding space. Items whose whole path
/// collides get a final disambiguation code (TIGER's 4th token): their rank among the items on that
/// path, by item index.
public struct SemanticIDs: Sendable {
    /// Code levels (not counting the disambiguation code).
    public let levels: Int
    /// Codes in each level's codebook.
    public let codesPerLevel: [Int]
    /// Level l's centroids, `codesPerLevel[l]` × d.
    public let codebooks: [DenseMatrix]
    /// The codes of item i are `codes[i * levels ..< (i + 1) * levels]`.
    public let codes: [Int32]
    /// The item's rank among the items that share its whole path (0 for the lowest item index).
    public let disambiguation: [Int32]

    public init(codebooks: [DenseMatrix], codes: [Int32]) {
        precondition(!codebooks.isEmpty, "semantic IDs need at least one level")
        levels = codebooks.count
        codesPerLevel = codebooks.map(\.rows)
        self.codebooks = codebooks
        self.codes = codes
        precondition(codes.count % levels == 0, "codes must hold `levels` entries per item")
        disambiguation = Self.disambiguate(codes: codes, levels: levels)
    }

    /// Items encoded.
    public var itemCount: Int { codes.count / levels }
    /// Embedding dimension.
    public var dimension: Int { codebooks[0].cols }

    /// The item's codes, level 0 first: a slice of `codes`, so its indices start at `item * levels`.
    public func path(of item: Int) -> ArraySlice<Int32> {
        codes[item &* levels ..< (item &+ 1) &* levels]
    }

    /// `12-7-201` for the path alone, `12-7-201-0` with the disambiguation code.
    public func pathString(of item: Int, disambiguated: Bool = true) -> String {
        var parts = path(of: item).map(String.init)
        if disambiguated { parts.append(String(disambiguation[item])) }
        return parts.joined(separator: "-")
    }

    /// Rank of each item among the items with the same full path, by item index.
    /// - Complexity: O(n log n) for n items.
    static func disambiguate(codes: [Int32], levels: Int) -> [Int32] {
        let n = codes.count / levels
        let order = pathOrder(codes: codes, levels: levels).map { Int($0) }
        var result = [Int32](repeating: 0, count: n)
        for position in order.indices.dropFirst() {
            let item = order[position], previous = order[position &- 1]
            let same = (0..<levels).allSatisfy { codes[item &* levels &+ $0] == codes[previous &* levels &+ $0] }
            result[item] = same ? result[previous] &+ 1 : 0
        }
        return result
    }
}

extension SemanticIDs {
    /// Items sorted by path (codes level by level), then by index: the order of the code tree's leaves.
    public var pathOrder: [Int32] { Self.pathOrder(codes: codes, levels: levels) }

    /// Items of the item-major `codes` (`levels` per item) sorted by path, then by index.
    ///
    /// When every level's codes fit together in 63 bits, each item gets one packed key, so each step of
    /// the sort is a single integer compare.
    /// - Complexity: O(n log n) for n items.
    public static func pathOrder(codes: [Int32], levels: Int) -> [Int32] {
        let n = codes.count / levels
        var widths = [Int](repeating: 0, count: levels)
        var negative = false
        for item in 0..<n {
            for l in 0..<levels {
                let code = Int(codes[item &* levels &+ l])
                negative = negative || code < 0
                while widths[l] < 63 && (1 << widths[l]) <= code { widths[l] += 1 }
            }
        }
        var order = (0..<Int32(n)).map { $0 }
        if !negative && widths.reduce(0, +) <= 63 {
            var keys = [UInt64](repeating: 0, count: n)
            for item in 0..<n {
                var key: UInt64 = 0
                for l in 0..<levels { key = key << UInt64(widths[l]) | UInt64(codes[item &* levels &+ l]) }
                keys[item] = key
            }
            order.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
        } else {
            order.sort { a, b in
                let pa = Int(a) &* levels, pb = Int(b) &* levels
                for l in 0..<levels where codes[pa &+ l] != codes[pb &+ l] { return codes[pa &+ l] < codes[pb &+ l] }
                return a < b
            }
        }
        return order
    }
}

/// RQ-KMeans: k-means on the embeddings, then on the residuals, level by level, on the SIMD core.
public enum ResidualQuantizer {
    /// How many levels and codes, and how hard k-means works.
    public struct Configuration: Sendable {
        public var levels = 3
        public var codes = 256
        public var iterations = 25
        public var seed: UInt64 = 1
        public var threads = 1
        /// When set, each level is capacity-constrained k-means (`KMeans.fitBalanced`): no code holds more
        /// than ⌈balance · n / K⌉ items. 1 forces near-equal codes; nil is plain k-means.
        public var balance: Double? = nil
        public init(levels: Int = 3, codes: Int = 256, iterations: Int = 25, seed: UInt64 = 1, threads: Int = 1) {
            self.levels = levels
            self.codes = codes
            self.iterations = iterations
            self.seed = seed
            self.threads = threads
        }

        public init(levels: Int = 3, codes: Int = 256, iterations: Int = 25, seed: UInt64 = 1, threads: Int = 1,
                    balance: Double?) {
            self.init(levels: levels, codes: codes, iterations: iterations, seed: seed, threads: threads)
            self.balance = balance
        }
    }

    /// The codebook size used for `items` items: the requested size, at most ⌈√items⌉ (and at least 2,
    /// never more than the items).
    ///
    /// Why √n: a level-1 code then holds √n items on average, so the top of the tree splits the catalogue
    /// into groups that are neither singletons nor the whole thing, and the path space Kᴸ ≥ n^(L/2) ≥ n
    /// (for L ≥ 2 levels) still leaves room for every item to have its own path. MovieLens-100k (1,682
    /// items) gets 42 codes a level instead of 256 mostly-singleton codes; 100,000 items keep 256.
    public static func effectiveCodes(requested: Int, items: Int) -> Int {
        let root = Int(Double(max(items, 1)).squareRoot().rounded(.up))
        return max(1, min(requested, max(2, root), items))
    }

    /// The most items a code may hold at a level of `codes` codes over `items` items with `balance`.
    public static func capacity(items: Int, codes: Int, balance: Double) -> Int {
        let even = (items + codes - 1) / codes
        return max(even, Int((Double(items) / Double(codes) * max(1, balance)).rounded(.up)))
    }

    /// Fits the codebooks to the rows of `embeddings` and encodes every row.
    /// - Complexity: O(levels · iterations · n · K · d).
    public static func fit(embeddings: DenseMatrix, configuration c: Configuration) -> SemanticIDs {
        let n = embeddings.rows, d = embeddings.cols
        precondition(n > 0 && c.levels > 0, "RQ-KMeans needs items and at least one level")
        let k = effectiveCodes(requested: c.codes, items: n)
        var residual = embeddings
        var codebooks: [DenseMatrix] = []
        var codes = [Int32](repeating: 0, count: n &* c.levels)
        for level in 0..<c.levels {
            let seed = c.seed &+ UInt64(level)
            let result: KMeans.Result
            if let balance = c.balance {
                result = KMeans.fitBalanced(data: residual, k: k, capacity: capacity(items: n, codes: k, balance: balance),
                                            iterations: c.iterations, seed: seed, threads: c.threads)
            } else {
                result = KMeans.fit(data: residual, k: k, iterations: c.iterations, seed: seed, threads: c.threads)
            }
            for i in 0..<n {
                let code = result.assignments[i]
                codes[i &* c.levels &+ level] = code
                let centroid = result.centroids.row(Int(code))
                let row = residual.mutableRow(i)
                for j in 0..<d { row[j] -= centroid[j] }
            }
            codebooks.append(result.centroids)
        }
        return SemanticIDs(codebooks: codebooks, codes: codes)
    }
}
