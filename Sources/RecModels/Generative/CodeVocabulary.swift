import RecCore

/// Semantic-ID codes as a transformer's tokens (TIGER, Rajput et al. 2023): level l's code c is token
/// `offsets[l] + c`, so the same code at two levels is two tokens, and an item is the sequence of its codes.
/// When codes collide (two items share every level), the item's disambiguation code is one more level, so
/// every full path names exactly one item and decoding needs no tie rule.
struct CodeVocabulary: Sendable, Equatable {
    /// Generated levels: the semantic levels, plus one when codes collide.
    let levels: Int
    /// Codes per generated level.
    let sizes: [Int]
    /// Level l's first token.
    let offsets: [Int]
    /// Item i's codes, level 0 first: `codes[i * levels ..< (i + 1) * levels]`.
    let codes: [Int32]
    /// The valid paths: what decoding is constrained to.
    let trie: PrefixTrie

    var tokenCount: Int { offsets.last! + sizes.last! }
    var itemCount: Int { codes.count / levels }

    /// The vocabulary of `ids`, with the disambiguation level when any two items share a path.
    init(_ ids: SemanticIDs) {
        let collides = ids.disambiguation.contains { $0 > 0 }
        var sizes = ids.codesPerLevel, codes = ids.codes
        if collides {
            let levels = ids.levels
            sizes.append(Int(ids.disambiguation.max()!) + 1)
            codes = []
            codes.reserveCapacity(ids.itemCount * (levels + 1))
            for i in 0..<ids.itemCount {
                codes += ids.path(of: i)
                codes.append(ids.disambiguation[i])
            }
        }
        self.init(sizes: sizes, codes: codes)
    }

    init(sizes: [Int], codes: [Int32]) {
        precondition(!sizes.isEmpty && codes.count % sizes.count == 0)
        levels = sizes.count
        self.sizes = sizes
        var offsets = [0]
        for s in sizes.dropLast() { offsets.append(offsets.last! + s) }
        self.offsets = offsets
        self.codes = codes
        trie = PrefixTrie(codes: codes, levels: sizes.count)
    }

    /// Item i's tokens, level 0 first.
    func tokens(of item: Int32) -> [Int32] {
        (0..<levels).map { Int32(offsets[$0]) + codes[Int(item) &* levels &+ $0] }
    }

    /// The tokens of `items`, one item after another.
    func tokens(of items: some Collection<Int32>) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(items.count * levels)
        for item in items { out += tokens(of: item) }
        return out
    }

    /// Each item's codes are in range for its level.
    var isConsistent: Bool {
        codes.enumerated().allSatisfy { n, c in c >= 0 && Int(c) < sizes[n % levels] }
    }

    // MARK: artifacts

    var artifactArrays: [String: ArtifactArray] {
        ["codes.sizes": ArtifactArray(column: sizes.map(Float.init)),
         "codes.items": ArtifactArray(rows: itemCount, cols: levels, values: codes.map(Float.init))]
    }

    init(artifact: ModelArtifact) throws {
        let sizes = try artifact.array("codes.sizes", cols: 1).values.map { Int($0) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ModelError.corruptArtifact("sidgen's code sizes are empty") }
        let codes = try artifact.array("codes.items", rows: artifact.itemCount, cols: sizes.count).values.map { Int32($0) }
        self.init(sizes: sizes, codes: codes)
        guard isConsistent else { throw ModelError.corruptArtifact("sidgen's item codes are out of their levels' ranges") }
    }
}
