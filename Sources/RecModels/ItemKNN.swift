import RecCore

/// Item-based k-nearest neighbours with shrunk cosine similarity (Sarwar et al., WWW 2001).
///
/// sim(i, j) = Σᵤ xᵤᵢ·xᵤⱼ / (‖xᵢ‖·‖xⱼ‖ + shrink), over the training matrix's item columns. Each item keeps
/// its `k` most similar other items, N(i) (ties by lower index). Two ways to score with them:
/// - `orient=history`: score(u, j) = Σ_{i ∈ u, j ∈ N(i)} xᵤᵢ·sim(i, j): each history item votes for its own
///   neighbours (Sarwar's formulation);
/// - `orient=candidate`: score(u, j) = Σ_{i ∈ u, i ∈ N(j)} xᵤᵢ·sim(i, j): a candidate is scored by the history
///   items among its own neighbours (RecBole's, Deshpande & Karypis 2004, and most references).
/// Either way the scoring lists are sparse (items × about k), so scoring is a scatter-add into one dense
/// score vector, ranked by `TopK`. `similarItems(to: i)` is N(i) in both.
public struct ItemKNN: TrainedModel {
    public enum Orientation: String, Sendable, CaseIterable { case history, candidate }

    public struct Configuration: ModelConfiguration, Equatable {
        /// 100 neighbours, no shrinkage: the best shrinkage at k = 100 on MovieLens-100k's validation rows
        /// (k = 50 with shrink 10 scored slightly higher there; see bench/tune_models.py).
        public var neighbors = 100
        public var shrink: Float = 0
        /// History orientation: better on MovieLens-100k's validation rows at k = 100 (valid NDCG@10 0.0688
        /// against 0.0640), though candidate is better on its test rows (see bench/reference_models.py).
        public var orientation = Orientation.history
        public var threads = 1

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            neighbors = try p.int("k", default: 100, range: 1...Int(Int32.max))
            shrink = try p.float("shrink", default: 0)
            orientation = Orientation(rawValue: try p.choice("orient", default: Orientation.history.rawValue,
                                                             among: Orientation.allCases.map(\.rawValue)))!
            threads = try p.int("threads", default: 1, range: 1...256)
        }

        /// The parameters that shape the model, as stored (`threads` only changes the speed). `orient` is
        /// stored only when it is `candidate`: models stored before it existed are history-oriented.
        public var params: [String: String] {
            var out = ["k": String(neighbors), "shrink": _param(shrink)]
            if orientation == .candidate { out["orient"] = orientation.rawValue }
            return out
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let history: InteractionMatrix
    /// N(i), item i's kept neighbours, best first: `neighbors.columns[neighbors.rowStart[i] ..< neighbors.rowStart[i + 1]]`.
    let neighbors: SparseMatrix
    /// What a history item i adds to: N(i) (history orientation) or the items j with i ∈ N(j) (candidate).
    let votes: SparseMatrix
    let ranking: _PopularityRanking

    /// - Complexity: O(Σᵤ |u|²) multiply-adds for the co-occurrences, O(items · m log k) for pruning.
    public init(train: InteractionMatrix, configuration: Configuration = Configuration()) {
        userCount = train.userCount
        itemCount = train.itemCount
        history = train
        ranking = _PopularityRanking(train: train)
        params = configuration.params
        neighbors = Self.neighbors(train, k: configuration.neighbors, shrink: configuration.shrink, threads: configuration.threads)
        votes = configuration.orientation == .candidate ? neighbors.transposed() : neighbors
    }

    /// Each item's `k` most similar other items by shrunk cosine. Each list is computed independently and
    /// ties break by lower index whatever the visiting order, so any thread count gives the same lists.
    ///
    /// Item i's co-occurrences are a scatter-add of its users' rows into a dense accumulator. An item whose
    /// users' rows hold more than n/4 entries then scans the whole accumulator with SIMD (no per-entry
    /// bookkeeping, no branch in the scatter); a quieter item remembers which entries it touched.
    static func neighbors(_ train: InteractionMatrix, k: Int, shrink: Float, threads: Int) -> SparseMatrix {
        let columns = train.transposed()
        let n = train.itemCount
        var norms = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 0
            for v in columns.values(ofItem: i) { s += v * v }
            norms[i] = s.squareRoot()
        }
        var lists = [[ScoredItem]](repeating: [], count: n)
        lists.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            train.rowStart.withUnsafeBufferPointer { rowStart in
            train.itemIndices.withUnsafeBufferPointer { itemIndices in
            train.values.withUnsafeBufferPointer { values in
            columns.colStart.withUnsafeBufferPointer { colStart in
            columns.userIndices.withUnsafeBufferPointer { colUsers in
            columns.values.withUnsafeBufferPointer { colValues in
            norms.withUnsafeBufferPointer { norms in
                let p = UncheckedSendable(NeighbourInputs(rowStart: rowStart.baseAddress!, itemIndices: itemIndices.baseAddress,
                                                          values: values.baseAddress, colStart: colStart.baseAddress!,
                                                          colUsers: colUsers.baseAddress, colValues: colValues.baseAddress,
                                                          norms: norms.baseAddress, n: n, k: k, shrink: shrink))
                Parallel.forEachSlice(count: n, threads: threads) { range in
                    var scratch = NeighbourScratch(n: n)
                    defer { scratch.free() }
                    for i in range { box.value[i] = p.value.neighbours(of: i, &scratch) }
                }
            }}}}}}}
        }
        return SparseMatrix(neighbourLists: lists)
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        history = try .fromArtifact(artifact, prefix: "history")
        ranking = try _PopularityRanking(artifact: artifact)
        let lists = try InteractionMatrix.fromArtifactLengths(artifact, prefix: "neighbors", rows: artifact.itemCount)
        let scores = try artifact.array("neighbors.scores", rows: lists.items.count, cols: 1).values
        neighbors = SparseMatrix(rows: artifact.itemCount, cols: artifact.itemCount, rowStart: lists.start, columns: lists.items, values: scores)
        votes = artifact.params["orient"] == Orientation.candidate.rawValue ? neighbors.transposed() : neighbors
    }

    /// Scores every item for `user` into `out` (itemCount floats).
    func score(user: Int, into out: UnsafeMutableBufferPointer<Float>) {
        out.update(repeating: 0)
        for e in history.rowStart[user]..<history.rowStart[user + 1] {
            let i = Int(history.itemIndices[e])
            let x = history.values[e]
            for n in votes.rowStart[i]..<votes.rowStart[i + 1] {
                out[Int(votes.columns[n])] += x * votes.values[n]
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
        for n in neighbors.rowStart[item]..<neighbors.rowStart[item + 1] {
            top.insert(item: neighbors.columns[n], score: neighbors.values[n])
        }
        return top.sorted()
    }

    public func artifact() -> ModelArtifact {
        var arrays = history.artifactArrays(prefix: "history")
        arrays["popularity"] = ranking.artifactArray
        arrays["neighbors.lengths"] = ArtifactArray(column: (0..<itemCount).map { Float(neighbors.rowStart[$0 + 1] - neighbors.rowStart[$0]) })
        arrays["neighbors.items"] = ArtifactArray(column: neighbors.columns.map { Float($0) })
        arrays["neighbors.scores"] = ArtifactArray(column: neighbors.values)
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }
}

/// The training matrix in both orientations, as raw pointers, for the neighbour search.
struct NeighbourInputs {
    let rowStart: UnsafePointer<Int>
    let itemIndices: UnsafePointer<Int32>?
    let values: UnsafePointer<Float>?
    let colStart: UnsafePointer<Int>
    let colUsers: UnsafePointer<Int32>?
    let colValues: UnsafePointer<Float>?
    let norms: UnsafePointer<Float>?
    let n: Int, k: Int
    let shrink: Float

    /// Item i's `k` best neighbours by shrunk cosine, score desc, index asc.
    func neighbours(of i: Int, _ scratch: inout NeighbourScratch) -> [ScoredItem] {
        let acc = scratch.acc
        var work = 0
        for c in colStart[i]..<colStart[i &+ 1] { let u = Int(colUsers![c]); work &+= rowStart[u &+ 1] &- rowStart[u] }
        var top = TopK(k: k)
        let ni = norms![i]
        if work &* 4 > n {
            for c in colStart[i]..<colStart[i &+ 1] {
                let u = Int(colUsers![c]), xui = colValues![c]
                for e in rowStart[u]..<rowStart[u &+ 1] { acc[Int(itemIndices![e])] += xui * values![e] }
            }
            acc[i] = 0
            scan(acc, ni: ni, into: &top)
            acc.update(repeating: 0, count: n)
        } else {
            let mark = scratch.mark, touched = scratch.touched, me = Int32(truncatingIfNeeded: i)
            var count = 0
            for c in colStart[i]..<colStart[i &+ 1] {
                let u = Int(colUsers![c]), xui = colValues![c]
                for e in rowStart[u]..<rowStart[u &+ 1] {
                    let j = Int(itemIndices![e])
                    if mark[j] != me { mark[j] = me; touched[count] = Int32(truncatingIfNeeded: j); count &+= 1 }
                    acc[j] += xui * values![e]
                }
            }
            for t in 0..<count {
                let j = Int(touched[t])
                let c = acc[j]
                acc[j] = 0
                if j == i { continue }
                offer(j, c / (ni * norms![j] + shrink), &top)
            }
        }
        return top.sorted()
    }

    /// Offers every entry of the dense accumulator, eight at a time: only lanes whose similarity reaches the
    /// gate are looked at one by one.
    @inline(__always)
    func scan(_ acc: UnsafeMutablePointer<Float>, ni: Float, into top: inout TopK) {
        let norms = norms!
        let niv = SIMD8<Float>(repeating: ni), shrinkv = SIMD8<Float>(repeating: shrink)
        var j = 0
        while j &+ 8 <= n {
            let a = UnsafeRawPointer(acc + j).loadUnaligned(as: SIMD8<Float>.self)
            if any(a .> 0) {
                let d = niv * UnsafeRawPointer(norms + j).loadUnaligned(as: SIMD8<Float>.self) + shrinkv
                let sim = a / d
                let floor = SIMD8<Float>(repeating: max(top.gate, 0))
                if any((sim .>= floor) .& (a .> 0)) {
                    for t in 0..<8 where a[t] > 0 { offer(j &+ t, sim[t], &top) }
                }
            }
            j &+= 8
        }
        while j < n {
            if acc[j] > 0 { offer(j, acc[j] / (ni * norms[j] + shrink), &top) }
            j &+= 1
        }
    }

    /// A neighbour enters when positive and it ranks before the current k-th (ties: lower index).
    @inline(__always)
    func offer(_ j: Int, _ s: Float, _ top: inout TopK) {
        if s > 0 && s >= top.gate { top.insert(item: Int32(truncatingIfNeeded: j), score: s) }
    }
}

/// One thread's buffers for the neighbour search.
struct NeighbourScratch {
    let acc: UnsafeMutablePointer<Float>
    let mark: UnsafeMutablePointer<Int32>
    let touched: UnsafeMutablePointer<Int32>

    init(n: Int) {
        acc = .allocate(capacity: max(n, 1))
        acc.initialize(repeating: 0, count: n)
        mark = .allocate(capacity: max(n, 1))
        mark.initialize(repeating: -1, count: n)
        touched = .allocate(capacity: max(n, 1))
    }

    func free() { acc.deallocate(); mark.deallocate(); touched.deallocate() }
}

extension SparseMatrix {
    /// Per item, its list of (item, similarity) pairs as one row (n × n).
    init(neighbourLists lists: [[ScoredItem]]) {
        var start = [0], items: [Int32] = [], scores: [Float] = []
        let total = lists.reduce(0) { $0 + $1.count }
        items.reserveCapacity(total)
        scores.reserveCapacity(total)
        for list in lists {
            for s in list { items.append(s.item); scores.append(s.score) }
            start.append(items.count)
        }
        self.init(rows: lists.count, cols: lists.count, rowStart: start, columns: items, values: scores)
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
