import RecCore

/// What the simulator knows about items: topics (categories or semantic-ID prefixes), titles, years,
/// popularity, and a taste space in which similar items lie close.
///
/// Both the simulated user and the agent read it; only the user holds a persona and a hidden state.
/// Popularity and newness are percentiles in [0, 1] (ties share the lower rank); an unknown year has
/// newness 0.5.
public struct SimulationCatalog: Sendable {
    public let itemCount: Int
    /// Topic names, by topic index (e.g. `Drama`, or `sid 12` for a semantic-ID prefix).
    public let topicNames: [String]
    /// Each item's topics, ascending.
    public let itemTopics: [[Int32]]
    public let titles: [String]
    /// External item ids, as the catalog's source spells them.
    public let itemIDs: [String]
    /// Release year, 0 when unknown.
    public let years: [Int32]
    /// Interaction count percentile: 1 for the most popular item.
    public let popularity: [Float]
    /// Release year percentile: 1 for the newest item.
    public let newness: [Float]
    /// Unit-length taste vectors, `dimension` floats per item, row-major.
    public let embeddings: [Float]
    public let dimension: Int
    /// For each topic, up to five topics that share the most items with it, most shared first.
    public let relatedTopics: [[Int32]]
    /// Items of each topic.
    public let topicSizes: [Int]
    /// The items of each topic, ascending.
    public let topicItems: [[Int32]]
    /// Each item's text beyond its title (description and attribute values; "" when none), for lexicons.
    public let itemText: [String]

    /// - Parameters:
    ///   - interactionCounts: interactions per item, for popularity.
    ///   - embeddings: `itemCount × dimension` floats; rows are normalised here.
    ///   - itemIDs: external ids (default: the dense index as text).
    ///   - itemText: text beyond the title per item (default: none).
    public init(topicNames: [String], itemTopics: [[Int32]], titles: [String], years: [Int32],
                interactionCounts: [Int], embeddings: [Float], dimension: Int, itemIDs: [String]? = nil, itemText: [String]? = nil) {
        let n = itemTopics.count
        precondition(titles.count == n && years.count == n && interactionCounts.count == n,
                     "every item needs a title, a year (0: unknown) and an interaction count")
        precondition(dimension > 0 && embeddings.count == n * dimension, "embeddings must hold itemCount × dimension floats")
        itemCount = n
        self.topicNames = topicNames
        self.itemTopics = itemTopics.map { $0.sorted() }
        self.titles = titles
        self.itemIDs = itemIDs ?? (0..<n).map(String.init)
        precondition(self.itemIDs.count == n, "every item needs an external id")
        self.itemText = itemText ?? [String](repeating: "", count: n)
        precondition(self.itemText.count == n, "item text, when given, is one string per item")
        self.years = years
        popularity = Self.percentiles(interactionCounts.map(Float.init), known: { _ in true })
        newness = Self.percentiles(years.map(Float.init), known: { $0 > 0 })
        var unit = embeddings
        for i in 0..<n {
            var norm: Float = 0
            for j in 0..<dimension { norm += unit[i * dimension + j] * unit[i * dimension + j] }
            let scale: Float = norm > 0 ? 1 / norm.squareRoot() : 0
            for j in 0..<dimension { unit[i * dimension + j] *= scale }
        }
        self.embeddings = unit
        self.dimension = dimension
        var sizes = [Int](repeating: 0, count: topicNames.count)
        var shared = [[Int]](repeating: [Int](repeating: 0, count: topicNames.count), count: topicNames.count)
        for topics in itemTopics {
            for a in topics {
                sizes[Int(a)] += 1
                for b in topics where b != a { shared[Int(a)][Int(b)] += 1 }
            }
        }
        topicSizes = sizes
        var members = [[Int32]](repeating: [], count: topicNames.count)
        for (i, topics) in itemTopics.enumerated() { for t in topics { members[Int(t)].append(Int32(i)) } }
        topicItems = members
        var related: [[Int32]] = []
        for a in 0..<topicNames.count {
            let row = shared[a]
            let candidates = (0..<topicNames.count).filter { row[$0] > 0 }
            let ranked = candidates.sorted { (x: Int, y: Int) -> Bool in row[x] > row[y] || (row[x] == row[y] && x < y) }
            related.append(ranked.prefix(5).map { Int32($0) })
        }
        relatedTopics = related
    }

    /// The cosine of two items' taste vectors.
    @inlinable
    public func similarity(_ a: Int32, _ b: Int32) -> Float {
        dot(embeddings, Int(a) &* dimension, embeddings, Int(b) &* dimension)
    }

    /// The cosine of `vector` (unit length) with item `item`'s taste vector.
    @inlinable
    public func similarity(_ vector: [Float], _ item: Int32) -> Float {
        dot(vector, 0, embeddings, Int(item) &* dimension)
    }

    @inlinable
    func dot(_ x: [Float], _ xo: Int, _ y: [Float], _ yo: Int) -> Float {
        var s: Float = 0
        for j in 0..<dimension { s += x[xo &+ j] * y[yo &+ j] }
        return s
    }

    /// The external id of `item`.
    public func itemID(_ item: Int32) -> String { itemIDs[Int(item)] }

    /// How many topics items `a` and `b` share, and how many they have between them (for topic Jaccard).
    public func topicOverlap(_ a: Int32, _ b: Int32) -> (common: Int, union: Int) {
        let x = itemTopics[Int(a)], y = itemTopics[Int(b)]
        var common = 0
        for t in x where y.sortedContains(t) { common += 1 }
        return (common, x.count + y.count - common)
    }

    /// The topic whose name matches `name`, ignoring case.
    public func topic(named name: String) -> Int32? {
        let lower = name.lowercased()
        return topicNames.firstIndex { $0.lowercased() == lower }.map(Int32.init)
    }

    /// Percentile of each value among the known values (ties take the lower rank); unknown values get 0.5.
    static func percentiles(_ values: [Float], known: (Float) -> Bool) -> [Float] {
        let order = values.indices.filter { known(values[$0]) }.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var out = [Float](repeating: 0.5, count: values.count)
        guard order.count > 1 else { return out }
        var rank = 0
        for (position, i) in order.enumerated() {
            if position > 0 && values[i] != values[order[position - 1]] { rank = position }
            out[i] = Float(rank) / Float(order.count - 1)
        }
        return out
    }
}

extension SimulationCatalog {
    /// Item taste vectors by random projection of who interacted with them (Achlioptas 2003).
    ///
    /// Each user gets a seeded Gaussian vector gᵤ; item i's vector is Σ gᵤ over its users, so the cosine of
    /// two items approximates the cosine of their user sets. It depends on no recommender, so no model is
    /// favoured by the simulator's notion of taste. - Complexity: O(nnz · dimension).
    public static func cooccurrenceEmbeddings(_ matrix: InteractionMatrix, dimension: Int = 32, seed: UInt64 = 7) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var out = [Float](repeating: 0, count: matrix.itemCount * dimension)
        var g = [Float](repeating: 0, count: dimension)
        for u in 0..<matrix.userCount {
            for j in 0..<dimension { g[j] = Float(rng.nextGaussian()) }
            for i in matrix.items(ofUser: u) {
                let base = Int(i) &* dimension
                for j in 0..<dimension { out[base &+ j] += g[j] }
            }
        }
        return out
    }
}
