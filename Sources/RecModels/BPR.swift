import RecCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bayesian personalised ranking matrix factorisation (Rendle et al., UAI 2009), trained by SGD.
///
/// Each epoch draws `nnz` triples: a training pair (u, i) uniformly among the interactions and a
/// negative j uniformly among all items (a draw that hits one of u's items is skipped, as `implicit`
/// does). With x̂ᵤᵢⱼ = xᵤ·(yᵢ − yⱼ) and σ the logistic function, each triple ascends
/// ln σ(x̂ᵤᵢⱼ) − λ(‖xᵤ‖² + ‖yᵢ‖² + ‖yⱼ‖²). Items carry a bias: the last factor column is fixed to 1 for
/// users and learned for items, so scores stay plain dot products for the SIMD core. Factors start
/// uniform in (−0.5, 0.5)/factors; items without training interactions start at zero.
public struct BPR: TrainedModel {
    public struct Configuration: ModelConfiguration, Equatable {
        public var factors = 64
        /// 400 epochs at learning rate 0.02: the best of a grid on MovieLens-100k's leave-one-out
        /// validation rows (bench/tune_models.py; lr ∈ {0.02, 0.05, 0.1} × epochs ∈ {100, 200, 400} ×
        /// λ ∈ {0.01, 0.001}).
        public var epochs = 400
        public var learningRate: Float = 0.02
        public var regularization: Float = 0.01
        public var seed: UInt64 = 42

        public init() {}
        public init(_ p: inout ModelParameters) throws {
            factors = try p.int("factors", default: factors, range: 1...4096)
            epochs = try p.int("epochs", default: epochs, range: 0...100_000)
            learningRate = try p.float("lr", default: learningRate)
            regularization = try p.float("regularization", default: regularization)
            seed = try p.seed()
        }

        public var params: [String: String] {
            ["factors": String(factors), "epochs": String(epochs), "lr": _param(learningRate),
             "regularization": _param(regularization), "seed": String(seed)]
        }
    }

    public let userCount: Int
    public let itemCount: Int
    public let params: [String: String]
    public let configuration: Configuration
    let scorer: _FactorScorer

    /// - Complexity: O(epochs · nnz · f), single-threaded so the result depends only on the seed.
    public init(train: InteractionMatrix, configuration c: Configuration = Configuration(),
                progress: TrainingProgress? = nil) {
        userCount = train.userCount
        itemCount = train.itemCount
        params = c.params
        configuration = c
        let width = c.factors + 1
        var rng = SeededGenerator(seed: c.seed)
        var users = DenseMatrix(rows: train.userCount, cols: width)
        var items = DenseMatrix(rows: train.itemCount, cols: width)
        let counts = train.itemCounts()
        let scale = 1 / Float(c.factors)
        for u in 0..<train.userCount {
            let p = users.mutableRow(u)
            for d in 0..<c.factors { p[d] = (rng.nextUnitFloat() - 0.5) * scale }
            p[c.factors] = 1
        }
        for i in 0..<train.itemCount {
            let p = items.mutableRow(i)
            for d in 0..<width { p[d] = (rng.nextUnitFloat() - 0.5) * scale }
            if counts[i] == 0 { p.update(repeating: 0, count: width) }
        }
        var owner = [Int32](repeating: 0, count: train.nonZeroCount)
        for u in 0..<train.userCount {
            for e in train.rowStart[u]..<train.rowStart[u + 1] { owner[e] = Int32(u) }
        }
        let watch = Stopwatch()
        let ub = users.mutableBaseAddress(), ib = items.mutableBaseAddress()
        let nnz = train.nonZeroCount
        if nnz > 0 && train.itemCount >= 2 {
            owner.withUnsafeBufferPointer { owner in
                train.itemIndices.withUnsafeBufferPointer { itemIndices in
                    train.rowStart.withUnsafeBufferPointer { rowStart in
                        let bits = train.userCount * train.itemCount
                        let seen: UnsafeMutablePointer<UInt64>? = bits <= 1 << 29 ? .allocate(capacity: bits / 64 + 1) : nil
                        defer { seen?.deallocate() }
                        if let seen {
                            seen.initialize(repeating: 0, count: bits / 64 + 1)
                            for u in 0..<train.userCount {
                                for e in rowStart[u]..<rowStart[u + 1] {
                                    let bit = u * train.itemCount + Int(itemIndices[e])
                                    seen[bit >> 6] |= 1 << UInt64(bit & 63)
                                }
                            }
                        }
                        let data = _Triples(owner: owner.baseAddress!, items: itemIndices.baseAddress!,
                                            rowStart: rowStart.baseAddress!, interactions: nnz, itemCount: train.itemCount,
                                            seen: seen.map { UnsafePointer($0) })
                        for epoch in 0..<c.epochs {
                            let (loss, used) = Self.epoch(data, users: ub, items: ib, stride: users.stride, c,
                                                          measureLoss: progress != nil, rng: &rng)
                            progress?(TrainingEvent(model: .bpr, epoch: epoch + 1, epochs: c.epochs,
                                                    loss: used > 0 ? loss / Double(used) : nil,
                                                    seconds: watch.elapsed))
                        }
                    }
                }
            }
        }
        scorer = _FactorScorer(userFactors: users, itemFactors: items,
                               historyLengths: (0..<train.userCount).map { Float(train.rowLength($0)) },
                               ranking: _PopularityRanking(train: train))
    }

    /// The training interactions as raw pointers, for the sampling loop.
    struct _Triples {
        let owner: UnsafePointer<Int32>
        let items: UnsafePointer<Int32>
        let rowStart: UnsafePointer<Int>
        let interactions: Int
        let itemCount: Int

        /// users × items bits, row-major, when that is at most 64 MiB; else nil (binary search instead).
        let seen: UnsafePointer<UInt64>?

        /// Whether user `u` has item `j`: one bit test, or a binary search in the sorted row.
        @inline(__always)
        func has(_ u: Int, _ j: Int32) -> Bool {
            if let seen {
                let bit = u &* itemCount &+ Int(j)
                return seen[bit >> 6] & (1 << UInt64(bit & 63)) != 0
            }
            var lo = rowStart[u], hi = rowStart[u &+ 1]
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if items[mid] < j { lo = mid &+ 1 } else { hi = mid }
            }
            return lo < rowStart[u &+ 1] && items[lo] == j
        }
    }

    /// One epoch: `interactions` sampled triples; returns the summed loss (when measured) and the steps taken.
    static func epoch(_ d: _Triples, users: UnsafeMutablePointer<Float>, items: UnsafeMutablePointer<Float>,
                      stride s: Int, _ c: Configuration, measureLoss: Bool, rng: inout SeededGenerator) -> (Double, Int) {
        var loss = 0.0, used = 0
        for _ in 0..<d.interactions {
            let e = rng.nextIndex(below: d.interactions)
            let u = Int(d.owner[e])
            let i = Int(d.items[e])
            let j = rng.nextIndex(below: d.itemCount)
            if d.has(u, Int32(truncatingIfNeeded: j)) { continue }
            let x = step(user: users + u &* s, liked: items + i &* s, disliked: items + j &* s, stride: s,
                         biasColumn: c.factors, lr: c.learningRate, reg: c.regularization)
            if measureLoss { loss += Double(log1pf(expf(-x))) }
            used &+= 1
        }
        return (loss, used)
    }

    /// One SGD step on a triple; returns x̂ᵤᵢⱼ before the step (the loss term is ln(1 + e^−x̂)).
    @inline(__always)
    static func step(user: UnsafeMutablePointer<Float>, liked: UnsafeMutablePointer<Float>,
                     disliked: UnsafeMutablePointer<Float>, stride: Int, biasColumn: Int, lr: Float, reg: Float) -> Float {
        var acc = SIMD16<Float>()
        var c0 = 0
        while c0 < stride {
            let d = Kernels.load16(UnsafePointer(liked + c0)) - Kernels.load16(UnsafePointer(disliked + c0))
            acc.addProduct(Kernels.load16(UnsafePointer(user + c0)), d)
            c0 &+= 16
        }
        let x = Kernels.reduce(acc)
        let z = 1 / (1 + expf(x))  // σ(−x̂): the gradient weight
        let g = SIMD16<Float>(repeating: lr * z), decay = SIMD16<Float>(repeating: 1 - lr * reg)
        var c = 0
        while c < stride {
            let uv = Kernels.load16(UnsafePointer(user + c))
            let iv = Kernels.load16(UnsafePointer(liked + c))
            let jv = Kernels.load16(UnsafePointer(disliked + c))
            Kernels.store16(uv * decay + g * (iv - jv), user + c)
            Kernels.store16(iv * decay + g * uv, liked + c)
            Kernels.store16(jv * decay - g * uv, disliked + c)
            c &+= 16
        }
        user[biasColumn] = 1
        return x
    }

    public init(artifact: ModelArtifact) throws {
        userCount = artifact.userCount
        itemCount = artifact.itemCount
        params = artifact.params
        var p = ModelParameters(artifact.params, model: "bpr")
        configuration = try Configuration(&p)
        scorer = try _FactorScorer(artifact: artifact)
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
}

extension BPR: RegisteredModel {
    public static let kind = ModelKind.bpr

    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> BPR {
        BPR(train: matrix, configuration: configuration, progress: progress)
    }
}
