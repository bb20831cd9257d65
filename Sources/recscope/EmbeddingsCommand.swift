import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

/// `recscope embeddings import|build|list`: item vectors for semantic IDs.
struct Embeddings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Item embeddings for semantic IDs: build them from the catalog or import them.",
        discussion: """
            content: hashed TF-IDF of titles (words, bigrams, character trigrams), categories, year and \
            decade, free text and attributes, reduced to --dim by randomized SVD; rows L2-normalised.

            als: ALS item factors (raw: their length carries popularity), trained on the training part of \
            the stored loo split when there is one, else on every interaction.

            aligned: [√(1−w)·content, √w·als] with both L2-normalised, so inner products are \
            (1−w)·content cosine + w·ALS cosine, reduced back to --dim by randomized SVD.

            `recscope sid build --space S` builds a missing built-in space itself with the defaults.
            """,
        subcommands: [EmbeddingsImport.self, EmbeddingsBuild.self, EmbeddingsList.self])
}

/// `recscope embeddings import FILE --name NAME`.
struct EmbeddingsImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import item vectors made elsewhere: .npy (float32, 2-D) or CSV/TSV item_id,v1,...,vd.",
        discussion: """
            CSV/TSV: the first field is the item's external id; a first line whose second field is not a \
            number is a header; every row must have the same number of values; an unknown or repeated id is \
            an error naming the file and line.

            .npy: float32 in C order; rows are the catalog's items in index order, or the items listed in \
            --ids FILE (one external id per line, one per row).

            Items without a vector are an error unless --missing zero, which gives them zero vectors.
            """)

    @OptionGroup var options: CatalogOptions
    @Argument(help: "The .npy, .csv or .tsv file.") var file: String
    @Option(help: "The space name to store the vectors under (used by sid build --space NAME).") var name: String
    @Option(help: "For .npy: a file of external item ids, one per row of the array.") var ids: String?
    @Option(help: "Items without a vector: error (default) or zero.") var missing: String = "error"

    func validate() throws {
        guard ["error", "zero"].contains(missing) else { throw ValidationError("--missing must be error or zero") }
        guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
    }

    func run() throws {
        try reportingSIDErrors {
            let catalog = try options.open()
            let index = Vocabulary(ids: try catalog.itemIDs())
            let bytes = try readFile(file)
            let rowIDs = try ids.map { path in
                String(decoding: try readFile(path), as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let result = try EmbeddingImport.read(bytes, path: file, itemIndex: index, itemCount: index.count,
                                                  ids: rowIDs, fillMissing: missing == "zero")
            try catalog.saveItemEmbeddings(result.embeddings, space: name)
            print("Imported \(result.embeddings.rows) item vectors of dimension \(result.embeddings.cols) as space '\(TerminalText.sanitize(name))'"
                + (result.missing.isEmpty ? "" : " (\(result.missing.count) items had none and got zero vectors)"))
        }
    }
}

/// `recscope embeddings build --space content|als|aligned`.
struct EmbeddingsBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build content, als or aligned item embeddings from the catalog and store them.")

    @OptionGroup var options: CatalogOptions
    @Option(help: "content, als or aligned.") var space: String
    @Option(help: "Embedding dimension.") var dim: Int = 64
    @Option(help: "aligned: the weight w of the ALS part, in [0, 1].") var weight: Float = 0.5
    @Option(help: "Store under this name instead of the space's (e.g. aligned-0.3).") var name: String?
    @Option(help: "Random seed (SVD sketch, ALS initialisation).") var seed: UInt64 = 1
    @Option(help: "Worker threads.") var threads: Int = 1

    func validate() throws {
        guard ItemEmbeddings.Space(rawValue: space) != nil else { throw ValidationError("--space must be content, als or aligned") }
        guard dim > 0, dim <= 4096 else { throw ValidationError("--dim must be in 1...4096") }
        guard weight >= 0, weight <= 1 else { throw ValidationError("--weight must be in [0, 1]") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        try reportingSIDErrors {
            let catalog = try options.open()
            let bench = SemanticIDWorkbench(catalog: catalog)
            let watch = Stopwatch()
            let (vectors, note) = try bench.build(ItemEmbeddings.Space(rawValue: space)!, dimension: dim, weight: weight,
                                                  seed: seed, threads: threads)
            let target = name ?? space
            try catalog.saveItemEmbeddings(vectors, space: target)
            print("Built \(vectors.rows) × \(vectors.cols) embeddings as space '\(TerminalText.sanitize(target))' in "
                + String(format: "%.2f s", watch.elapsed) + ": \(note)")
        }
    }
}

/// `recscope embeddings list`.
struct EmbeddingsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored item embedding spaces.")

    @OptionGroup var options: CatalogOptions
    @Flag(help: "Print one JSON document.") var json = false

    func run() throws {
        try reportingSIDErrors {
            let catalog = try options.open()
            let spaces = try catalog.itemEmbeddingSpaces()
            let withIDs = Set(try catalog.semanticIDSpaces())
            if json {
                try printJSON(["spaces": spaces.map { ["space": $0.space, "items": $0.items, "dimension": $0.dimension,
                                                       "semantic_ids": withIDs.contains($0.space)] as [String: Any] }])
                return
            }
            if spaces.isEmpty { print("No embeddings stored (recscope embeddings build --space content|als|aligned).") }
            for s in spaces {
                print("\(TerminalText.sanitize(s.space))  \(s.items) items × \(s.dimension)\(withIDs.contains(s.space) ? "  (semantic IDs built)" : "")")
            }
        }
    }
}

/// Reads a whole file, or fails naming it.
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandError("\(path): cannot read the file (does it exist?)")
    }
    return [UInt8](data)
}

/// `reportingModelErrors`, also for embedding import errors.
func reportingSIDErrors<T>(_ body: () throws -> T) throws -> T {
    try reportingModelErrors {
        do {
            return try body()
        } catch let error as EmbeddingImportError {
            throw CommandError(error.description)
        }
    }
}
