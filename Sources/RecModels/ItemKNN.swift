import RecCore

/// Item-based k-nearest neighbours with shrunk cosine similarity (Sarwar et al., WWW 2001).
///
/// sim(i, j) = Σᵤ xᵤᵢ·xᵤⱼ / (‖xᵢ‖·‖xⱼ‖ + shrink), over the training matrix's item columns. Each item keeps
/// its `neighbors` most similar other items (ties by lower index); score(u, j) = Σ_{i ∈ u} xᵤᵢ·sim(i, j)
/// over the items i that kept j. The pruned similarity is sparse (items × neighbors), so scoring is a
/// scatter-add into one dense score vector, ranked by `TopK`.
public struct ItemKNN: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        /// 100 neighbours, no shrinkage: the best shrinkage at k = 100 on MovieLens-100k's validation rows
        /// (k = 50 with shrink 10 scored slightly higher there; see bench/tune_models.py).
        public var neighbors = 100
        public var shrink: Float = 0
        public var threads = 1

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            neighbors = try p.int("k", default: 100, range: 1...Int(Int32.max))
            shrink = try p.float("shrink", default: 0)
            threads = try p.int("threads", default: 1, range: 1...256)
        }

        /// The parameters that shape the model, as stored (`threads` only changes the speed).
        public var params: [String: String] { ["k": String(neighbors), "shrink": _param(shrink)] }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let history: InteractionMatrix
    /// Item i's kept neighbours: `neighborItems[neighborStart[i] ..< neighborStart[i + 1]]`, best first.
    let neighborStart: [Int]
    let neighborItems: [Int32]
    let neighborScores: [Float]
    let ranking: _PopularityRanking

    /// - Complexity: O(Σᵤ |u|²) multiply-adds for the co-occurrences, O(items · m log k) for pruning.
    public init(train: InteractionMatrix, configuration: Configuration = Configuration()) {
        userCount = train.userCount
        itemCount = train.itemCount
        history = train
        ranking = _PopularityRanking(train: train)
        params = configuration.params
        let columns = train.transposed()
        let n = train.itemCount
        var norms = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 0
            for v in columns.values(ofItem: i) { s += v * v }
            norms[i] = s.squareRoot()
        }
        // Each item's neighbour list, computed independently, so any thread count gives the same lists.
        var lists = [[ScoredItem]](repeating: [], count: n)
        let k = configuration.neighbors, shrink = configuration.shrink
        lists.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            Parallel.forEachSlice(count: n, threads: configuration.threads) { range in
                var acc = [Float](repeating: 0, count: n)
                var mark = [Int](repeating: -1, count: n)
                var touched: [Int32] = []
                for i in range {
                    for (u, xui) in zip(columns.users(ofItem: i), columns.values(ofItem: i)) {
                        let row = train.rowStart[Int(u)]..<train.rowStart[Int(u) + 1]
                        for e in row {
                            let j = Int(train.itemIndices[e])
                            if mark[j] != i { mark[j] = i; touched.append(Int32(j)) }
                            acc[j] += xui * train.values[e]
                        }
                    }
                    var top = TopK(k: k)
                    for j in touched {
                        let c = acc[Int(j)]
                        acc[Int(j)] = 0
                        if Int(j) == i { continue }
                        let s = c / (norms[i] * norms[Int(j)] + shrink)
                        if s > top.gate && s > 0 { top.insert(item: j, score: s) }
                    }
                    touched.removeAll(keepingCapacity: true)
                    box.value[i] = top.sorted()
                }
            }
        }
        var start = [0], items: [Int32] = [], scores: [Float] = []
        for list in lists {
            for s in list { items.append(s.item); scores.append(s.score) }
            start.append(items.count)
        }
        neighborStart = start
        neighborItems = items
        neighborScores = scores
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        history = try .fromArtifact(artifact, prefix: "history")
        ranking = try _PopularityRanking(artifact: artifact)
        let neighbors = try InteractionMatrix.fromArtifactLengths(artifact, prefix: "neighbors", rows: artifact.itemCount)
        let scores = try artifact.array("neighbors.scores", rows: neighbors.items.count, cols: 1).values
        neighborStart = neighbors.start
        neighborItems = neighbors.items
        neighborScores = scores
    }

    /// Scores every item for `user` into `out` (itemCount floats).
    func score(user: Int, into out: UnsafeMutableBufferPointer<Float>) {
        out.update(repeating: 0)
        for e in history.rowStart[user]..<history.rowStart[user + 1] {
            let i = Int(history.itemIndices[e])
            let x = history.values[e]
            for n in neighborStart[i]..<neighborStart[i + 1] {
                out[Int(neighborItems[n])] += x * neighborScores[n]
            }
        }
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard _isKnown(user, history: history) else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        var buffer = [Float](repeating: 0, count: itemCount)
        return buffer.withUnsafeMutableBufferPointer { b in
            score(user: user, into: b)
            return _topK(UnsafeBufferPointer(b), k: k, exclude: exclude)
        }
    }

    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard _isKnown(user, history: history) else { return ranking.scores(items: items) }
        var buffer = [Float](repeating: 0, count: itemCount)
        buffer.withUnsafeMutableBufferPointer { score(user: user, into: $0) }
        return items.map { buffer[Int($0)] }
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < itemCount, k > 0 else { return [] }
        var top = TopK(k: k)
        for n in neighborStart[item]..<neighborStart[item + 1] {
            top.insert(item: neighborItems[n], score: neighborScores[n])
        }
        return top.sorted()
    }

    public func artifact() -> ModelArtifact {
        var arrays = history.artifactArrays(prefix: "history")
        arrays["popularity"] = ranking.artifactArray
        arrays["neighbors.lengths"] = ArtifactArray(column: (0..<itemCount).map { Float(neighborStart[$0 + 1] - neighborStart[$0]) })
        arrays["neighbors.items"] = ArtifactArray(column: neighborItems.map { Float($0) })
        arrays["neighbors.scores"] = ArtifactArray(column: neighborScores)
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }
}

extension InteractionMatrix {
    /// Reads `PREFIX.lengths` (rows × 1) and `PREFIX.items` as CSR offsets and indices, checking bounds.
    static func fromArtifactLengths(_ artifact: ModelArtifact, prefix: String, rows: Int) throws -> (start: [Int], items: [Int32]) {
        let lengths = try artifact.array(prefix + ".lengths", rows: rows, cols: 1).values
        let items = try artifact.array(prefix + ".items", cols: 1).values
        var start = [0]
        for l in lengths { start.append(start.last! + Int(l)) }
        guard start.last == items.count else {
            throw ModelError.corruptArtifact("\(prefix) lengths sum to \(start.last!), but there are \(items.count) entries")
        }
        let indices = items.map { Int32($0) }
        guard indices.allSatisfy({ $0 >= 0 && Int($0) < artifact.itemCount }) else {
            throw ModelError.corruptArtifact("\(prefix) holds an item outside 0..<\(artifact.itemCount)")
        }
        return (start, indices)
    }
}

extension ItemKNN: RegisteredModel {
    public static let kind = ModelKind.itemknn

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> ItemKNN {
        ItemKNN(train: matrix, configuration: configuration)
    }
}
