import Dispatch
import RecCore

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky, ICDM 2008).
///
/// Minimises Σ_{u,i} cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + λ(Σ‖xᵤ‖² + Σ‖yᵢ‖²) with preference pᵤᵢ = 1 for observed pairs
/// (0 otherwise) and confidence cᵤᵢ = 1 + α·rᵤᵢ (1 for unobserved pairs). Each half-step solves, per user,
/// (YᵀY + Yᵀ(Cᵤ − I)Y + λI) xᵤ = YᵀCᵤpᵤ, where YᵀY is shared and Cᵤ − I is non-zero only on the user's
/// items. Solves are either a few warm-started conjugate-gradient steps (Takács et al. 2011; the default,
/// as in `implicit`) or an exact Cholesky solve. With α = 0 every confidence is 1, the system matrix
/// A = YᵀY + λI is the same for every row, and both solvers use its inverse once: xᵤ = Σ_{i ∈ u} zᵢ with
/// Z = Y·A⁻¹ (exact, and the cheapest: one f × f inverse and one GEMM per half-step).
/// `implicit`'s `alpha = a` corresponds to `alpha = a − 1` here for binary data (it uses c = a·r, without
/// the 1 +), so its defaults are α = 0 here.
public struct ALS: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        public var factors = 64
        public var iterations = 15
        /// λ = 10 and α = 0: the best of a grid on MovieLens-100k's leave-one-out validation rows
        /// (bench/tune_models.py; α ∈ {0, 1, 2, 5} × λ ∈ {0.01, 1, 10, 30, 100}).
        public var regularization: Float = 10
        public var alpha: Float = 0
        public var solver = "cg"
        public var cgSteps = 3
        public var seed: UInt64 = 42
        /// Workers for the per-user solves; the result does not depend on it.
        public var threads = 1

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            factors = try p.int("factors", default: factors, range: 1...4096)
            iterations = try p.int("iterations", default: iterations, range: 0...10_000)
            regularization = try p.float("regularization", default: regularization)
            alpha = try p.float("alpha", default: alpha)
            solver = try p.choice("solver", default: solver, among: ["cg", "cholesky"])
            cgSteps = try p.int("cg_steps", default: cgSteps, range: 1...1000)
            seed = try p.seed()
            threads = try p.int("threads", default: threads, range: 1...256)
        }

        /// The parameters that shape the model, as stored (`threads` only changes the speed).
        public var params: [String: String] {
            ["factors": String(factors), "iterations": String(iterations), "regularization": _param(regularization),
             "alpha": _param(alpha), "solver": solver, "cg_steps": String(cgSteps), "seed": String(seed)]
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    let scorer: _FactorScorer
    /// The user half-step for one list of items, against the stored item factors (what-if users, explanations).
    let foldIn: _FactorFoldIn

    /// Trains from random factors uniform in [0, 0.01) drawn from `seed` (users, then items).
    /// - Complexity: per iteration O(nnz·f·steps + (users + items)·f²) with CG; O(nnz·f² + (users + items)·f³)
    ///   with Cholesky.
    public init(train: InteractionMatrix, configuration c: Configuration = Configuration(),
                progress: TrainingProgress? = nil) throws {
        userCount = train.userCount
        itemCount = train.itemCount
        params = c.params
        var rng = SeededGenerator(seed: c.seed)
        var users = DenseMatrix.random(rows: train.userCount, cols: c.factors, in: 0..<0.01, using: &rng)
        var items = DenseMatrix.random(rows: train.itemCount, cols: c.factors, in: 0..<0.01, using: &rng)
        let byUser = _ConfidenceRows(train, alpha: c.alpha)
        let byItem = _ConfidenceRows(train.transposedMatrix(), alpha: c.alpha)
        let watch = Stopwatch()
        for iteration in 0..<c.iterations {
            try Self.solve(&users, fixed: items, rows: byUser, c)
            try Self.solve(&items, fixed: users, rows: byItem, c)
            if let progress {
                let loss = Self.loss(users: users, items: items, rows: byUser, regularization: c.regularization)
                progress(TrainingEvent(model: .als, epoch: iteration + 1, epochs: c.iterations, loss: loss,
                                       seconds: watch.elapsed))
            }
        }
        // One last user half-step, so the stored user factors are the solves against the stored item factors:
        // a user folded in from their own items (`_FactorFoldIn`) then scores as their stored factor does, and
        // an explanation's contributions add up to the score the list ranks by.
        if c.iterations > 0 { try Self.solve(&users, fixed: items, rows: byUser, c) }
        scorer = _FactorScorer(userFactors: users, itemFactors: items,
                               historyLengths: (0..<train.userCount).map { Float(train.rowLength($0)) },
                               ranking: _PopularityRanking(train: train))
        foldIn = _FactorFoldIn(itemFactors: items, regularization: c.regularization, alpha: c.alpha)
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        scorer = try _FactorScorer(artifact: artifact)
        var p = ModelParameters(artifact.params, model: "als")
        let c = try Configuration(&p)
        foldIn = _FactorFoldIn(itemFactors: scorer.itemFactors, regularization: c.regularization, alpha: c.alpha)
    }

    public var userFactors: DenseMatrix { scorer.userFactors }
    public var itemFactors: DenseMatrix { scorer.itemFactors }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        scorer.recommend(user: user, k: k, exclude: exclude)
    }
    public func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        scorer.recommend(users: users, k: k, exclude: exclude)
    }
    public func scores(user: Int, items: [Int32]) -> [Float] { scorer.scores(user: user, items: items) }
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { scorer.similarItems(to: item, k: k) }
    public func artifact() -> ModelArtifact {
        ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount, arrays: scorer.artifactArrays())
    }

    /// One half-step: every row of `target` re-solved against the fixed factors.
    static func solve(_ target: inout DenseMatrix, fixed y: DenseMatrix, rows: _ConfidenceRows, _ c: Configuration) throws {
        var yty = Gram.dense(y)
        let f = y.cols, s = y.stride
        for d in 0..<f { yty[d, d] += c.regularization }
        // With every confidence 1 (alpha = 0), the system matrix A = YᵀY + λI is the same for every row, so
        // xᵤ = A⁻¹ Σ_{i ∈ u} yᵢ = Σ_{i ∈ u} zᵢ with Z = Y·A⁻¹ (one GEMM; A is symmetric): an exact solve,
        // whichever solver was asked for, at the cost of gathering the right-hand side.
        let shared = rows.allUnitConfidence
        let z = shared ? Gemm.multiplyTransposed(y, try _positiveDefinite { try Cholesky.inverse(yty) }) : y
        let out = target.mutableBaseAddress()
        let failure = _FirstError()
        withExtendedLifetime((yty, y, z)) {
            let outBox = UncheckedSendable(out)
            Parallel.forEachSlice(count: rows.count, threads: c.threads) { range in
                let scratch = _SolveScratch(dim: f, stride: s)
                defer { scratch.release() }
                for r in range {
                    let x = outBox.value + r &* s
                    do {
                        if shared {
                            scratch.rightHandSide(rows, row: r, y: z)
                            x.update(from: scratch.b, count: s)
                        } else if c.solver == "cholesky" {
                            try scratch.exactSolve(rows, row: r, y: y, yty: yty, into: x)
                        } else {
                            scratch.conjugateGradient(rows, row: r, y: y, yty: yty, steps: c.cgSteps, x: x)
                        }
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        if let error = failure.error { throw error }
    }

    /// Σ cᵤᵢ(pᵤᵢ − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²), over all pairs, computed in O(nnz·f + users·f²).
    static func loss(users: DenseMatrix, items: DenseMatrix, rows: _ConfidenceRows, regularization: Float) -> Double {
        let yty = Gram.dense(items)
        let s = items.stride
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: s)
        tmp.initialize(repeating: 0, count: s)
        defer { tmp.deallocate() }
        var total = 0.0
        withExtendedLifetime((users, items, yty)) {
            for u in 0..<rows.count {
                let x = users.row(u)
                Kernels.multiply(yty.view, x, into: tmp)
                total += Double(Kernels.dot(x, UnsafePointer(tmp), count: s))
                for e in rows.start[u]..<rows.start[u + 1] {
                    let conf = rows.confidence[e]
                    let score = Kernels.dot(x, items.row(Int(rows.index[e])), count: s)
                    total += Double((conf - 1) * score * score - 2 * conf * score + conf)
                }
            }
            var norms = 0.0
            for u in 0..<users.rows { norms += Double(Kernels.squaredNorm(users.row(u), count: s)) }
            for i in 0..<items.rows { norms += Double(Kernels.squaredNorm(items.row(i), count: s)) }
            total += Double(regularization) * norms
        }
        return total
    }
}

/// CSR rows with confidences c = 1 + α·r, from either orientation of the interaction matrix.
struct _ConfidenceRows: Sendable {
    let start: [Int]
    let index: [Int32]
    let confidence: [Float]
    let allUnitConfidence: Bool
    var count: Int { start.count - 1 }

    init(_ m: InteractionMatrix, alpha: Float) {
        start = m.rowStart
        index = m.itemIndices
        confidence = m.values.map { 1 + alpha * $0 }
        allUnitConfidence = confidence.allSatisfy { $0 == 1 }
    }
}

extension InteractionMatrix {
    /// The item × user matrix as an `InteractionMatrix` (rows are items), for models that alternate sides.
    func transposedMatrix() -> InteractionMatrix {
        let t = transposed()
        return InteractionMatrix(userCount: itemCount, itemCount: userCount, rowStart: t.colStart,
                                 itemIndices: t.userIndices, values: t.values)
    }
}

/// The first error thrown by any parallel worker.
final class _FirstError: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private(set) var error: Error?
    func record(_ e: Error) {
        lock.wait()
        if error == nil { error = e }
        lock.signal()
    }
}

extension ALS: RegisteredModel {
    public static let kind = ModelKind.als

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> ALS {
        try ALS(train: matrix, configuration: configuration, progress: progress)
    }
}
