import RecCore

/// Embarrassingly shallow autoencoder (Steck, WWW 2019), in closed form.
///
/// G = XᵀX + λI, P = G⁻¹, B = −P / diag(P) column-wise with a zero diagonal (Bᵢⱼ = −Pᵢⱼ/Pⱼⱼ, i ≠ j);
/// score(u, ·) = xᵤ·B, the sum of B's rows over the user's items (SIMD `axpy`s), ranked by `TopK`.
/// B is dense items × items, so training refuses catalogs whose matrices would not fit the memory limit.
public struct EASE: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        /// λ = 100: the best of {25, 50, 100, 200, 500, 1000} on MovieLens-100k's leave-one-out validation rows.
        public var lambda: Float = 100
        /// Refuse more items than this, whatever the memory.
        public var maxItems = 40_000
        /// Refuse when the estimated peak memory exceeds this many bytes.
        public var memoryLimitBytes = 8 << 30

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            lambda = try p.float("lambda", default: lambda)
            maxItems = try p.int("max_items", default: maxItems, range: 1...Int(Int32.max))
            let gb = try p.float("memory_gb", default: Float(memoryLimitBytes >> 30))
            memoryLimitBytes = Int(Double(gb) * Double(1 << 30))
        }

        /// The parameters that shape the model, as stored (the limits only decide whether it is trained).
        public var params: [String: String] { ["lambda": _param(lambda)] }
    }

    /// Bytes at the peak of training for `items` items: four items × items float matrices alive at once
    /// inside `Cholesky.inverse` (G, its factor L, L⁻¹ and the product), B then reusing the product.
    public static func memoryEstimate(items: Int) -> Int {
        4 * items * DenseMatrix.paddedStride(items) * 4
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let history: InteractionMatrix
    /// B, items × items.
    public let weights: DenseMatrix
    let ranking: _PopularityRanking

    /// - Complexity: O(Σᵤ |u|²) for the Gram matrix, about n³ float multiply-adds for the inverse.
    /// - Throws: `ModelError.infeasible` when the item count or memory estimate is over the limit;
    ///   `LinearAlgebraError` when λ is too small for G to be positive definite in float precision.
    public init(train: InteractionMatrix, configuration c: Configuration = Configuration()) throws {
        let n = train.itemCount
        if n > c.maxItems {
            throw ModelError.infeasible("EASE needs a dense \(n) × \(n) item matrix; \(n) items exceed max_items=\(c.maxItems) (use itemknn or als, or filter rare items first)")
        }
        let need = Self.memoryEstimate(items: n)
        if need > c.memoryLimitBytes {
            throw ModelError.infeasible("EASE on \(n) items needs about \(need >> 20) MiB, over the limit of \(c.memoryLimitBytes >> 20) MiB (raise --param memory_gb=N, or use itemknn or als)")
        }
        guard c.lambda > 0 else {
            throw ModelError.badParameter(model: "ease", name: "lambda", value: "\(c.lambda)", expected: "a positive number (e.g. 100)")
        }
        userCount = train.userCount
        itemCount = n
        history = train
        ranking = _PopularityRanking(train: train)
        params = c.params
        // P = G⁻¹ in float through RecCore's Cholesky inverse: on MovieLens-100k its loo metrics match a
        // double-precision inverse to four digits for λ from 1 to 100.
        var p = try _positiveDefinite { try Cholesky.inverse(Self.regularizedGram(train, lambda: c.lambda)) }
        // B = −P / diag(P) by columns, zero diagonal, in place.
        let scale = (0..<n).map { -1 / p[$0, $0] }
        for i in 0..<n {
            let row = p.mutableRow(i)
            for j in 0..<n { row[j] *= scale[j] }
            row[i] = 0
        }
        weights = p
    }

    /// G = XᵀX + λI (RecCore's `Gram.sparse`; exact for binary data up to 2²⁴ co-occurrences).
    /// - Complexity: O(Σᵤ |u|²).
    static func regularizedGram(_ x: InteractionMatrix, lambda: Float) -> DenseMatrix {
        var g = Gram.sparse(x)
        for i in 0..<g.rows { g[i, i] += lambda }
        return g
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        history = try .fromArtifact(artifact, prefix: "history")
        ranking = try _PopularityRanking(artifact: artifact)
        weights = try artifact.array("weights", rows: artifact.itemCount, cols: artifact.itemCount).matrix
    }

    /// score = Σ_{i ∈ u} xᵤᵢ · B[i, ·] into `out` (stride floats).
    func score(user: Int, into out: UnsafeMutablePointer<Float>) {
        let s = weights.stride
        out.update(repeating: 0, count: s)
        withExtendedLifetime(weights) {
            for e in history.rowStart[user]..<history.rowStart[user + 1] {
                Kernels.axpy(history.values[e], weights.row(Int(history.itemIndices[e])), out, count: s)
            }
        }
    }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        guard _isKnown(user, history: history) else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: weights.stride)
        defer { buffer.deallocate() }
        score(user: user, into: buffer)
        return _topK(UnsafeBufferPointer(start: buffer, count: itemCount), k: k, exclude: exclude)
    }

    public func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: weights.stride)
        defer { buffer.deallocate() }
        return users.map { user in
            guard _isKnown(user, history: history) else { return ranking.top(k: k, exclude: exclude(user)) }
            guard k > 0 else { return [] }
            score(user: user, into: buffer)
            return _topK(UnsafeBufferPointer(start: buffer, count: itemCount), k: k, exclude: exclude(user))
        }
    }

    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard _isKnown(user, history: history) else { return ranking.scores(items: items) }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: weights.stride)
        defer { buffer.deallocate() }
        score(user: user, into: buffer)
        return items.map { buffer[Int($0)] }
    }

    /// The items whose scores `item` raises most: row `item` of B.
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < itemCount, k > 0 else { return [] }
        return withExtendedLifetime(weights) {
            _topK(UnsafeBufferPointer(start: weights.row(item), count: itemCount), k: k, exclude: _excluding(item))
        }
    }

    public func artifact() -> ModelArtifact {
        var arrays = history.artifactArrays(prefix: "history")
        arrays["popularity"] = ranking.artifactArray
        arrays["weights"] = ArtifactArray(weights)
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: arrays)
    }
}

extension EASE: RegisteredModel {
    public static let kind = ModelKind.ease

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> EASE {
        try EASE(train: matrix, configuration: configuration)
    }
}
