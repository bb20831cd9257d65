import Foundation
import Testing
import RecCore
@testable import RecModels

@Suite struct ResidualQuantizerTests {
    /// `groups` well-separated clusters of `per` points each in 8 dimensions, labels interleaved.
    static func planted(groups: Int, per: Int, seed: UInt64) -> (DenseMatrix, [Int]) {
        var rng = SeededGenerator(seed: seed)
        var centres: [[Float]] = []
        for g in 0..<groups {
            var centre = [Float](repeating: 0, count: 8)
            centre[g % 8] = Float(20 * (1 + g / 8))
            centres.append(centre)
        }
        let labels = (0..<(groups * per)).map { $0 % groups }
        let data = DenseMatrix(rows: labels.count, cols: 8) { i, j in centres[labels[i]][j] + rng.nextUnitFloat() - 0.5 }
        return (data, labels)
    }

    @Test func levelOneRecoversPlantedClusters() {
        let (data, labels) = Self.planted(groups: 6, per: 40, seed: 3)
        let ids = ResidualQuantizer.fit(embeddings: data, configuration: .init(levels: 2, codes: 6, iterations: 20, seed: 4))
        #expect(ids.codesPerLevel == [6, 6])
        var codeOf: [Int: Int32] = [:]
        for (i, label) in labels.enumerated() {
            let code = ids.path(of: i).first!
            if let known = codeOf[label] { #expect(code == known) } else { codeOf[label] = code }
        }
        #expect(Set(codeOf.values).count == 6)
        // The second level quantises the residual noise: reconstruction improves level by level.
        let stats = SemanticIDStats(ids: ids, embeddings: data)
        #expect(stats.reconstructionErrorPerLevel[1] < stats.reconstructionErrorPerLevel[0])
        #expect(stats.reconstructionErrorPerLevel[0] < 8 * 0.25)
    }

    @Test func disambiguationMakesEveryPathUnique() {
        // Exact duplicates must share a path; the disambiguation code then tells them apart.
        let base = Self.planted(groups: 3, per: 10, seed: 1).0
        let data = DenseMatrix(rows: 60, cols: 8) { i, j in base[i % 30, j] }
        let ids = ResidualQuantizer.fit(embeddings: data, configuration: .init(levels: 2, codes: 4, seed: 2))
        let paths = (0..<60).map { ids.pathString(of: $0) }
        #expect(Set(paths).count == 60)
        #expect(Set((0..<60).map { ids.pathString(of: $0, disambiguated: false) }).count < 60)
        // Lower item index first on a shared path.
        for i in 0..<30 where ids.path(of: i) == ids.path(of: i + 30) {
            #expect(ids.disambiguation[i] < ids.disambiguation[i + 30])
        }
    }

    @Test func balancedCodesStayUnderTheCapacity() {
        // One dominant cluster: plain k-means gives a code of 120 items; balanced keeps every code ≤ ⌈n/K⌉.
        var rng = SeededGenerator(seed: 8)
        let data = DenseMatrix(rows: 160, cols: 4) { i, _ in
            let offset: Float = i < 120 ? 0 : Float(10 * (1 + (i - 120) / 10))
            return offset + rng.nextUnitFloat()
        }
        func largest(_ ids: SemanticIDs) -> Int {
            var counts = [Int](repeating: 0, count: ids.codesPerLevel[0])
            for i in 0..<ids.itemCount { counts[Int(ids.path(of: i).first!)] += 1 }
            return counts.max()!
        }
        let plain = ResidualQuantizer.fit(embeddings: data, configuration: .init(levels: 1, codes: 5, seed: 1))
        #expect(largest(plain) == 120)
        let balanced = ResidualQuantizer.fit(embeddings: data, configuration: .init(levels: 2, codes: 5, seed: 1, balance: 1))
        #expect(largest(balanced) <= 32)
        for level in 0..<2 {
            var counts = [Int](repeating: 0, count: 5)
            for i in 0..<160 { counts[Int(Array(balanced.path(of: i))[level])] += 1 }
            #expect(counts.max()! <= ResidualQuantizer.capacity(items: 160, codes: 5, balance: 1))
        }
    }

    @Test func autoShrinkFollowsTheSquareRootRule() {
        #expect(ResidualQuantizer.effectiveCodes(requested: 256, items: 100_000) == 256)
        #expect(ResidualQuantizer.effectiveCodes(requested: 256, items: 1682) == 42)
        #expect(ResidualQuantizer.effectiveCodes(requested: 16, items: 1682) == 16)
        #expect(ResidualQuantizer.effectiveCodes(requested: 256, items: 3) == 2)
        #expect(ResidualQuantizer.effectiveCodes(requested: 256, items: 1) == 1)
    }
}

@Suite struct SemanticIDStatsTests {
    /// Four items, two levels of two codes: paths 0-0, 0-0, 0-1, 1-0; 1-D embeddings.
    static let ids = SemanticIDs(codebooks: [DenseMatrix(rows: 2, cols: 1, values: [0, 10]),
                                             DenseMatrix(rows: 2, cols: 1, values: [0, 1])],
                                 codes: [0, 0, 0, 0, 0, 1, 1, 0])

    @Test func statisticsOfAHandMadeExampleMatchHandComputedValues() {
        let x = DenseMatrix(rows: 4, cols: 1, values: [0.5, -0.5, 1, 10])
        let s = SemanticIDStats(ids: Self.ids, embeddings: x, categories: [[0], [0, 1], [1], [0]],
                                historyUsers: [0, 0, 0, 1, 1, 1], historyItems: [0, 1, 3, 2, 2, 0])
        let h = -(0.75 * log2(0.75) + 0.25 * log2(0.25))   // 0.8113 bits
        #expect(s.usedPerLevel == [2, 2])
        #expect(abs(s.entropyPerLevel[0] - h) < 1e-12 && abs(s.entropyPerLevel[1] - h) < 1e-12)
        #expect(abs(s.perplexityPerLevel[0] - pow(2, h)) < 1e-12)
        #expect(s.uniquePaths == 3)
        #expect(s.collisionRate == 0.25)
        #expect(s.maxItemsPerPath == 2)
        #expect(s.pathSizeHistogram == [2, 1, 0, 0, 0, 0])
        #expect(s.prefixesPerDepth == [2, 3])
        // Residuals after level 1: 0.5, −0.5, 1, 0; after level 2: 0.5, −0.5, 0, 0.
        #expect(abs(s.reconstructionErrorPerLevel[0] - 0.375) < 1e-6)
        #expect(abs(s.reconstructionErrorPerLevel[1] - 0.125) < 1e-6)
        #expect(abs(s.relativeReconstructionErrorPerLevel[0] - 1.5 / 101.5) < 1e-6)
        // Purity: prefix 0 = {A}, {A, B}, {B} → 2 of 3; prefix 1 = {A} → 1 of 1; overall 3/4.
        #expect(s.categoryPurity == [0.75, 1])
        #expect(s.categoryPurityBaseline == 0.75)
        // Pairs (0,1), (1,3), (2,0); (2,2) repeats an item and is skipped.
        #expect(s.coConsumptionPairs == 3)
        #expect(abs(s.coConsumptionShared[0] - 2.0 / 3) < 1e-12)
        #expect(abs(s.coConsumptionChance[0] - 2.0 / 3) < 1e-12)
        #expect(abs(s.coConsumptionShared[1] - 1.0 / 3) < 1e-12)
        #expect(abs(s.coConsumptionChance[1] - 4.0 / 9) < 1e-12)
        #expect(abs(s.coConsumptionLift[1] - 0.75) < 1e-12)
    }

    @Test func withoutOptionalInputsTheirStatisticsAreEmpty() {
        let s = SemanticIDStats(ids: Self.ids)
        #expect(s.reconstructionErrorPerLevel.isEmpty)
        #expect(s.categoryPurity.isEmpty && s.categoryPurityBaseline == nil)
        #expect(s.coConsumptionPairs == 0 && s.coConsumptionShared.isEmpty)
    }
}

@Suite struct ItemEmbeddingTests {
    static let films: [ItemContent] = [
        ItemContent(title: "Star Wars", year: 1977, categories: ["Action", "Sci-Fi"]),
        ItemContent(title: "Return of the Jedi", year: 1983, categories: ["Action", "Sci-Fi"]),
        ItemContent(title: "The Empire Strikes Back", year: 1980, categories: ["Action", "Sci-Fi"]),
        ItemContent(title: "Sense and Sensibility", year: 1995, categories: ["Drama", "Romance"]),
        ItemContent(title: "Pride and Prejudice", year: 1995, categories: ["Drama", "Romance"]),
        ItemContent(title: "Emma", year: 1996, categories: ["Drama", "Romance"], text: "A matchmaker in a village"),
        ItemContent(title: "", year: nil, categories: []),
    ]

    @Test func contentEmbeddingsPutItemsWithTheSameCategoriesTogether() {
        let e = ItemEmbeddings.content(Self.films, dimension: 4, seed: 1)
        #expect(e.rows == 7 && e.cols == 4)
        func cos(_ a: Int, _ b: Int) -> Float { Kernels.cosine(e.row(a), e.row(b), count: e.stride) }
        #expect(cos(0, 1) > cos(0, 3) + 0.3)
        #expect(cos(3, 4) > cos(3, 0) + 0.3)
        #expect(e.rowArray(6) == [0, 0, 0, 0])      // no content, zero row
        #expect(abs(Kernels.norm(e.row(0), count: e.stride) - 1) < 1e-5)
        #expect(e == ItemEmbeddings.content(Self.films, dimension: 4, seed: 1))
        // More dimensions than the catalogue supports: the rest are zero.
        #expect(ItemEmbeddings.content(Self.films, dimension: 32, seed: 1).cols == 32)
    }

    @Test func tfidfWeighsRareTokensUpAndNormalisesEachField() {
        let m = ContentFeatures().matrix(Self.films)
        #expect(m.rows == 7)
        #expect(m.rowStart[7] == m.rowStart[6])      // the empty item has no features
        // Each row is the sum of field blocks, each of norm = its weight: ‖row‖² = Σ weight².
        let f = ContentFeatures()
        let w = f.weights
        let expected = [w[.titleWords]!, w[.titleTrigrams]!, w[.categories]!, w[.year]!].reduce(0) { $0 + $1 * $1 }
        let row0 = m.values[m.rowStart[0]..<m.rowStart[1]].reduce(0) { $0 + $1 * $1 }
        #expect(abs(row0 - expected) < 1e-4)
        #expect(ContentFeatures.words("Star Wars: Episode IV (1977)") == ["star", "wars", "episode", "iv", "1977"])
    }

    @Test func alignedInnerProductsBlendTheTwoCosines() {
        let c = DenseMatrix(rows: 3, cols: 2, values: [1, 0, 0, 2, 1, 1])
        let a = DenseMatrix(rows: 3, cols: 2, values: [3, 4, 0, 1, -1, 0])
        let w: Float = 0.3
        let e = ItemEmbeddings.aligned(content: c, collaborative: a, weight: w, dimension: 4, seed: 1)
        for i in 0..<3 {
            for j in 0..<3 {
                let blended = (1 - w) * Kernels.cosine(c.row(i), c.row(j), count: 16)
                    + w * Kernels.cosine(a.row(i), a.row(j), count: 16)
                #expect(abs(Kernels.dot(e.row(i), e.row(j), count: e.stride) - blended) < 1e-5)
            }
        }
        // Reduced to fewer dimensions, the blend is kept as well as a rank-2 approximation allows.
        let reduced = ItemEmbeddings.aligned(content: c, collaborative: a, weight: w, dimension: 3, seed: 1)
        #expect(reduced.cols == 3)
        #expect(abs(Kernels.dot(reduced.row(0), reduced.row(0), count: reduced.stride) - 1) < 1e-4)
    }
}
