import RecCatalog
import RecCore
import RecModels

/// Builds and reads a catalog's item embeddings and semantic IDs, for `recscope embeddings`/`sid` and the explorer.
///
/// Content embeddings read `items.title`, `items.year`, `item_categories`, `items.description` and the
/// `items.attributes` JSON object. Collaborative (ALS) embeddings are trained on the catalog's
/// interactions as a binary user × item matrix: on the training part of the stored `loo` split when
/// there is one (so codes used to evaluate on that split never saw its held-out items), else on every
/// interaction.
public struct SemanticIDWorkbench: Sendable {
    public let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// Every item's content, by dense index.
    public func itemContents() throws -> [ItemContent] {
        let categories = try catalog.itemCategoryLists()
        return try catalog.itemTexts().enumerated().map { idx, text in
            var item = ItemContent(title: text.title, year: text.year, text: text.description ?? "")
            item.categories = categories.lists[idx].map { categories.names[Int($0)] }
            item.attributes = text.attributes.map { ($0.name, $0.value) }
            return item
        }
    }

    /// The binary matrix ALS embeddings train on, and which interactions those are (see the type's summary).
    public func collaborativeTraining() throws -> (matrix: InteractionMatrix, source: String) {
        let models = try ModelWorkbench(catalog: catalog)
        if try catalog.loadSplit(name: "loo") != nil {
            return (models.matrix(try models.split("loo")), "the training part of the loo split")
        }
        return (models.matrix(nil), "every interaction (no loo split stored)")
    }

    /// Builds the embeddings of a built-in space; `aligned` builds its content and ALS parts afresh with
    /// the same dimension and seed (stored `content`/`als` vectors are not read).
    /// - Returns: the vectors and a one-line note on what they were made from.
    public func build(_ space: ItemEmbeddings.Space, dimension: Int = 64, weight: Float = 0.5, seed: UInt64 = 1,
                      threads: Int = 1) throws -> (vectors: DenseMatrix, note: String) {
        switch space {
        case .content:
            let items = try itemContents()
            return (ItemEmbeddings.content(items, dimension: dimension, seed: seed, threads: threads),
                    "hashed TF-IDF of titles, categories, years, text and attributes, randomized SVD to \(dimension) dims")
        case .als:
            let (train, source) = try collaborativeTraining()
            return (try ItemEmbeddings.collaborative(train: train, dimension: dimension, seed: seed, threads: threads),
                    "ALS item factors (\(dimension)) trained on \(source)")
        case .aligned:
            let content = try build(.content, dimension: dimension, seed: seed, threads: threads)
            let als = try build(.als, dimension: dimension, seed: seed, threads: threads)
            let vectors = ItemEmbeddings.aligned(content: content.vectors, collaborative: als.vectors, weight: weight,
                                                 dimension: dimension, seed: seed, threads: threads)
            return (vectors, "[√(1−w)·content, √w·ALS] with w = \(weight), reduced to \(dimension) dims; \(als.note)")
        }
    }

    /// The stored embeddings of `space`; for a built-in space not yet stored, builds them with the
    /// defaults and stores them.
    public func embeddings(space: String, threads: Int = 1) throws -> (vectors: DenseMatrix, built: Bool) {
        if let stored = try catalog.loadItemEmbeddings(space: space) { return (stored, false) }
        guard let builtIn = ItemEmbeddings.Space(rawValue: space) else {
            let known = try catalog.itemEmbeddingSpaces().map(\.space)
            throw WorkbenchError("no embeddings named '\(space)' in \(catalog.path) (stored: \(known.isEmpty ? "none" : known.joined(separator: ", "))); build them with recscope embeddings build --space content|als|aligned or import them with recscope embeddings import FILE --name \(space)")
        }
        let vectors = try build(builtIn, threads: threads).vectors
        try catalog.saveItemEmbeddings(vectors, space: space)
        return (vectors, true)
    }

    /// Fits RQ-KMeans to the embeddings of `space` and stores the codebooks and every item's path.
    public func buildSemanticIDs(space: String, configuration: ResidualQuantizer.Configuration) throws -> SemanticIDs {
        let vectors = try embeddings(space: space, threads: configuration.threads).vectors
        guard vectors.rows > 0 else { throw WorkbenchError("\(catalog.path) has no items to encode") }
        let ids = ResidualQuantizer.fit(embeddings: vectors, configuration: configuration)
        try catalog.saveSemanticIDs(ids.stored, space: space)
        return ids
    }

    /// Statistics of the stored semantic IDs of `space` (nil when there are none), with reconstruction
    /// against its stored embeddings, purity against `item_categories` and alignment on every user's history.
    public func stats(space: String) throws -> SemanticIDStats? {
        guard let stored = try catalog.loadSemanticIDs(space: space) else { return nil }
        let ids = SemanticIDs(stored)
        let vectors = try catalog.loadItemEmbeddings(space: space)
        let categories = try catalog.itemCategoryLists().lists
        let log = try catalog.interactionLog()
        return SemanticIDStats(ids: ids, embeddings: vectors, categories: categories,
                               historyUsers: log.users, historyItems: log.items)
    }
}
