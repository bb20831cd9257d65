import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

/// `recscope sid build|show|stats`: semantic IDs (RQ-KMeans codes of item embeddings).
struct SID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sid",
        abstract: "Semantic IDs: build RQ-KMeans codes of item embeddings, and measure them.",
        subcommands: [SIDBuild.self, SIDStats.self, SIDShow.self])
}

/// `recscope sid build --space S`.
struct SIDBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Fit RQ-KMeans codebooks to a space's item embeddings and store every item's code path.",
        discussion: """
            Level 1 clusters the embeddings, each next level the residuals; items whose whole path collides \
            get a final disambiguation code (their rank on the path by item index).

            --codes is shrunk to ⌈√items⌉ for small catalogs (1,682 items: 42), so level-1 codes hold √n \
            items on average while K^levels still exceeds the item count. --balanced caps every code at \
            ⌈capacity · items / K⌉ items (capacity-constrained k-means).

            When the space has no stored embeddings and is content, als or aligned, they are built first \
            with --dim, --weight and --seed (see recscope embeddings --help); --rebuild rebuilds them even \
            when stored.
            """)

    @OptionGroup var options: CatalogOptions
    @Option(help: "The embedding space: content, als, aligned or an imported name.") var space: String = "aligned"
    @Option(help: "Code levels.") var levels: Int = 3
    @Option(help: "Codes per level (shrunk to ⌈√items⌉ for small catalogs).") var codes: Int = 256
    @Flag(help: "Capacity-constrained codes: no code holds more than capacity × items / K items.") var balanced = false
    @Option(help: "With --balanced: the most items per code, as a multiple of items / K (≥ 1).") var capacity: Double = 1.25
    @Option(help: "k-means iterations per level.") var iterations: Int = 25
    @Option(help: "Random seed (k-means++; also the embeddings when they are built here).") var seed: UInt64 = 1
    @Option(help: "Worker threads.") var threads: Int = 1
    @Option(help: "Embedding dimension when the embeddings are built here.") var dim: Int = 64
    @Option(help: "aligned: the ALS weight when the embeddings are built here.") var weight: Float = 0.5
    @Flag(help: "Rebuild a built-in space's embeddings even when stored.") var rebuild = false
    @Flag(help: "Print the statistics as one JSON document.") var json = false

    func validate() throws {
        guard levels >= 1, levels <= 8 else { throw ValidationError("--levels must be in 1...8") }
        guard codes >= 2, codes <= 65_536 else { throw ValidationError("--codes must be in 2...65536") }
        guard capacity >= 1 else { throw ValidationError("--capacity must be at least 1") }
        guard iterations >= 1, threads >= 1, dim >= 1 else { throw ValidationError("--iterations, --threads and --dim must be positive") }
        guard weight >= 0, weight <= 1 else { throw ValidationError("--weight must be in [0, 1]") }
    }

    func run() throws {
        try reportingSIDErrors {
            let catalog = try options.open()
            let bench = SemanticIDWorkbench(catalog: catalog)
            var notes: [String] = []
            let builtIn = ItemEmbeddings.Space(rawValue: space)
            let stored = try catalog.loadItemEmbeddings(space: space) != nil
            if let builtIn, rebuild || !stored {
                let (vectors, note) = try bench.build(builtIn, dimension: dim, weight: weight, seed: seed, threads: threads)
                try catalog.saveItemEmbeddings(vectors, space: space)
                notes.append("built embeddings '\(space)': \(note)")
            }
            let configuration = ResidualQuantizer.Configuration(levels: levels, codes: codes, iterations: iterations, seed: seed,
                                                                threads: threads, balance: balanced ? capacity : nil)
            let watch = Stopwatch()
            let ids = try bench.buildSemanticIDs(space: space, configuration: configuration)
            let seconds = watch.elapsed
            guard let stats = try bench.stats(space: space) else { throw CommandError("semantic IDs of '\(space)' were not stored") }
            if json {
                var doc = SIDStats.document(stats, space: space, dimension: ids.dimension)
                doc["seconds"] = seconds
                doc["balanced"] = balanced
                try printJSON(doc)
                return
            }
            for note in notes { print(TerminalText.sanitize(note)) }
            print("Built semantic IDs for space '\(TerminalText.sanitize(space))': \(ids.itemCount) items, "
                + "\(levels) levels × \(ids.codesPerLevel[0]) codes\(balanced ? " (balanced)" : "") in \(String(format: "%.2f", seconds)) s")
            print(SIDStats.table(stats))
        }
    }
}

/// `recscope sid stats [--space S] [--json]`.
struct SIDStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Codebook use, collisions, reconstruction, category purity and co-consumption alignment of semantic IDs.",
        discussion: """
            perplexity = 2^entropy of a level's code distribution (K when all codes are used evenly).

            collision rate = 1 − distinct paths / items, before the disambiguation code.

            category purity at depth p = share of a prefix's categorised items carrying its commonest \
            category, weighted over prefixes; depth 0 (the whole catalog) is the baseline. Small prefixes \
            are pure by chance, so compare spaces at similar prefix counts: random codes on MovieLens-100k \
            score 0.44 at depth 1 and 0.80 at depth 2.

            co-consumption alignment = share of consecutive pairs in users' histories whose items share the \
            depth-p prefix, against chance Σ P(first in prefix)·P(second in prefix); lift = alignment / chance.

            Without --space: the only space with semantic IDs (or an error listing them).
            """)

    @OptionGroup var options: CatalogOptions
    @Option(help: "The space whose semantic IDs to measure.") var space: String?
    @Flag(help: "Print one JSON document.") var json = false

    func run() throws {
        try reportingSIDErrors {
            let catalog = try options.open()
            let spaces = try catalog.semanticIDSpaces()
            let chosen: String
            if let space {
                chosen = space
            } else if spaces.count == 1 {
                chosen = spaces[0]
            } else if spaces.isEmpty {
                throw CommandError("\(catalog.path) has no semantic IDs; build them with recscope sid build --space content|als|aligned")
            } else {
                throw CommandError("\(catalog.path) has semantic IDs for several spaces (\(spaces.joined(separator: ", "))); pick one with --space")
            }
            guard let stats = try SemanticIDWorkbench(catalog: catalog).stats(space: chosen) else {
                throw CommandError("no semantic IDs for space '\(chosen)' in \(catalog.path) (built: \(spaces.isEmpty ? "none" : spaces.joined(separator: ", "))); run recscope sid build --space \(chosen)")
            }
            if json {
                let dimension = try catalog.loadSemanticIDs(space: chosen)?.codebooks.first?.cols ?? 0
                try printJSON(Self.document(stats, space: chosen, dimension: dimension))
            } else {
                print("space          \(TerminalText.sanitize(chosen))")
                print(Self.table(stats))
            }
        }
    }

    /// The JSON document (keys as in the command-line contract, plus more).
    static func document(_ s: SemanticIDStats, space: String, dimension: Int) -> [String: Any] {
        var histogram: [String: Int] = [:]
        for (name, count) in zip(SemanticIDStats.pathSizeBuckets, s.pathSizeHistogram) { histogram[name] = count }
        return [
            "space": space, "items": s.items, "dimension": dimension, "levels": s.levels,
            "codes_per_level": s.codesPerLevel, "used_per_level": s.usedPerLevel,
            "entropy_per_level": s.entropyPerLevel.map(jsonNumber), "perplexity_per_level": s.perplexityPerLevel.map(jsonNumber),
            "unique_paths": s.uniquePaths, "collision_rate": jsonNumber(s.collisionRate),
            "max_items_per_path": s.maxItemsPerPath, "items_per_path_histogram": histogram,
            "prefixes_per_depth": s.prefixesPerDepth,
            "reconstruction_error_per_level": s.reconstructionErrorPerLevel.map(jsonNumber),
            "relative_reconstruction_error_per_level": s.relativeReconstructionErrorPerLevel.map(jsonNumber),
            "category_purity": s.categoryPurity.map(jsonNumber),
            "category_purity_baseline": s.categoryPurityBaseline.map(jsonNumber) ?? NSNull(),
            "co_consumption_pairs": s.coConsumptionPairs,
            "co_consumption_alignment": s.coConsumptionShared.map(jsonNumber),
            "co_consumption_chance": s.coConsumptionChance.map(jsonNumber),
            "co_consumption_lift": s.coConsumptionLift.map(jsonNumber),
        ]
    }

    /// The statistics as aligned text lines.
    static func table(_ s: SemanticIDStats) -> String {
        func f(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
        func list(_ xs: [Double], _ digits: Int = 3) -> String { xs.map { f($0, digits) }.joined(separator: "  ") }
        var lines = [
            "items          \(s.items)",
            "codes used     " + zip(s.usedPerLevel, s.codesPerLevel).map { "\($0)/\($1)" }.joined(separator: "  "),
            "entropy (bits) " + list(s.entropyPerLevel, 2),
            "perplexity     " + list(s.perplexityPerLevel, 1),
            "prefixes       " + s.prefixesPerDepth.map(String.init).joined(separator: "  "),
            "collision rate \(f(s.collisionRate, 4))  (\(s.uniquePaths) distinct paths; most items on one path: \(s.maxItemsPerPath))",
            "items per path " + zip(SemanticIDStats.pathSizeBuckets, s.pathSizeHistogram).map { "\($0): \($1)" }.joined(separator: "  "),
        ]
        if !s.reconstructionErrorPerLevel.isEmpty {
            lines.append("reconstruction " + list(s.reconstructionErrorPerLevel, 4) + "  (relative " + list(s.relativeReconstructionErrorPerLevel) + ")")
        }
        if let baseline = s.categoryPurityBaseline {
            lines.append("purity         " + s.categoryPurity.enumerated().map { "depth \($0 + 1): \(f($1))" }.joined(separator: "  ")
                + "  (whole catalog: \(f(baseline)))")
        }
        if s.coConsumptionPairs > 0 {
            let depths = s.coConsumptionShared.indices.map { d in
                "depth \(d + 1): \(f(s.coConsumptionShared[d])) vs chance \(f(s.coConsumptionChance[d])) (lift \(f(s.coConsumptionLift[d], 1)))"
            }
            lines.append("co-consumption " + depths.joined(separator: "  ") + "  over \(s.coConsumptionPairs) consecutive pairs")
        }
        return lines.joined(separator: "\n")
    }
}
