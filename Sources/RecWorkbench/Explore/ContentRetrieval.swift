import RecCatalog
import RecCore
import RecModels

/// Plain content retrieval: a user's query is the mean of their training items' vectors in a stored
/// embedding space (each unit length), and items are ranked by cosine with it. It reads no interaction of
/// the items it ranks, so it can recommend items no one has interacted with: the baseline a generative
/// model over content codes is judged against on the cold-item split.
public struct ContentRetrieval: Recommender {
    public let name: String
    public let userCount: Int
    public var itemCount: Int { unit.rows }
    let unit: DenseMatrix
    let history: [[Int32]]

    /// `vectors` (items × d) normalised row by row; `history` each user's training items.
    public init(space: String, vectors: DenseMatrix, history: [[Int32]]) {
        name = "content:\(space)"
        var unit = vectors
        for r in 0..<unit.rows {
            let p = unit.mutableRow(r)
            let norm = Kernels.norm(UnsafePointer(p), count: unit.stride)
            if norm > 0 { Kernels.scale(p, by: 1 / norm, count: unit.stride) }
        }
        self.unit = unit
        self.history = history
        userCount = history.count
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard user >= 0 && user < userCount, !history[user].isEmpty, k > 0 else { return [] }
        var query = [Float](repeating: 0, count: unit.stride)
        withExtendedLifetime(unit) {
            query.withUnsafeMutableBufferPointer { q in
                for item in history[user] { Kernels.axpy(1, unit.row(Int(item)), q.baseAddress!, count: unit.stride) }
            }
        }
        return query.withUnsafeBufferPointer { q in
            withExtendedLifetime(unit) { Retrieval.topK(query: q.baseAddress!, items: unit.view, k: k, exclude: exclude) }
        }
    }
}

extension ModelWorkbench {
    /// Content retrieval over space `space`'s stored embeddings, from the training part of `view`.
    public func contentRetrieval(space: String, view: SplitView) throws -> ContentRetrieval {
        guard let vectors = try store.loadItemEmbeddings(space: space) else {
            throw WorkbenchError("\(store.name) has no embeddings for space '\(space)'; build them with recscope embeddings build --catalog \(store.name) --space \(space)")
        }
        guard vectors.rows == log.itemCount else {
            throw WorkbenchError("the embeddings of '\(space)' cover \(vectors.rows) items, \(store.name) has \(log.itemCount); rebuild them")
        }
        return ContentRetrieval(space: space, vectors: vectors, history: view.history)
    }
}
