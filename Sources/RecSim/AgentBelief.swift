import RecCore

/// The agent's belief about one user: a Bayesian linear model of the response to an item,
/// y = φ(i)ᵀθ + ε, ε ~ N(0, σ²), with a Gaussian prior θ ~ N(μ₀, diag(v₀)) whose mean ranks items as the
/// base model does (`BeliefFeatures`).
///
/// Observations update the posterior in closed form (Bishop, *PRML* §3.3): precision
/// A = diag(1/v₀) + Σ ωⱼ φⱼφⱼᵀ/σ² and b = diag(1/v₀)·μ₀ + Σ ωⱼ yⱼ φⱼ/σ², mean μ = A⁻¹b, covariance A⁻¹.
/// A Thompson draw is θ̃ = A⁻¹(b + L·z) with A = L·Lᵀ and z ~ N(0, I), whose covariance is
/// A⁻¹·L·Lᵀ·A⁻¹ = A⁻¹: one Cholesky solve gives mean and noise together.
/// - Complexity: an observation O(d²), `refresh` O(d³/3), a draw O(d²), with d = `features.dimension`.
public struct AgentBelief: Sendable {
    public let features: BeliefFeatures
    /// A, lower triangle (the upper part is not kept up to date).
    var precision: DenseMatrix
    /// b.
    var target: [Float]
    /// The Cholesky factor L of A as of the last `refresh`.
    var factor: DenseMatrix
    /// μ = A⁻¹b as of the last `refresh`.
    public private(set) var mean: [Float]
    /// Weighted observations so far (a skip below the last click counts 0 for `cascade`).
    public private(set) var observations: Float = 0
    /// Clicks among them.
    public private(set) var positives = 0

    public init(features: BeliefFeatures) {
        self.features = features
        let d = features.dimension
        var a = DenseMatrix(rows: d, cols: d)
        var b = [Float](repeating: 0, count: d)
        for j in 0..<d {
            a[j, j] = 1 / features.priorVariance[j]
            b[j] = features.priorMean[j] / features.priorVariance[j]
        }
        precision = a
        target = b
        var l = DenseMatrix(rows: d, cols: d)
        for j in 0..<d { l[j, j] = a[j, j].squareRoot() }
        factor = l
        mean = features.priorMean
    }

    /// Adds one response `y` to the item with features `phi` (`dimension` floats), with weight `weight`.
    /// Call `refresh()` before reading `mean` or drawing.
    public mutating func observe(_ phi: UnsafePointer<Float>, response y: Float, weight: Float) {
        guard weight > 0 else { return }
        let d = features.dimension, scale = weight / features.noise
        let a = precision.mutableBaseAddress(), s = precision.stride
        for r in 0..<d where phi[r] != 0 {
            Kernels.axpy(scale * phi[r], phi, a + r * s, count: r + 1)
        }
        target.withUnsafeMutableBufferPointer { Kernels.axpy(scale * y, phi, $0.baseAddress!, count: d) }
        observations += weight
        if y > 0 { positives += 1 }
    }

    /// Factors the precision and solves for the posterior mean.
    public mutating func refresh() {
        let d = features.dimension
        var l = precision
        let p = l.mutableBaseAddress()
        // A is a prior diagonal plus weighted outer products: positive definite, so this cannot fail
        // unless a feature is not finite.
        do { try Cholesky.factorInPlace(p, n: d, stride: l.stride) } catch {
            preconditionFailure("the belief's precision is not positive definite: \(error)")
        }
        for r in 0..<d { (p + r * l.stride + r + 1).update(repeating: 0, count: l.stride - r - 1) }
        factor = l
        mean = solve(target)
    }

    /// A⁻¹·v through the current factor.
    func solve(_ v: [Float]) -> [Float] {
        var x = v
        withExtendedLifetime(factor) {
            x.withUnsafeMutableBufferPointer { Cholesky.solveInPlace(factor.baseAddress, n: features.dimension, stride: factor.stride, $0.baseAddress!) }
        }
        return x
    }

    /// One draw from the posterior N(μ, A⁻¹) (Thompson sampling), from `rng`.
    public func sample(_ rng: inout SeededGenerator) -> [Float] {
        let d = features.dimension
        var z = [Float](repeating: 0, count: d)
        for j in 0..<d { z[j] = Float(rng.nextGaussian()) }
        var shifted = target
        withExtendedLifetime(factor) {
            z.withUnsafeBufferPointer { zp in
                for r in 0..<d { shifted[r] += features.prior.explorationScale * Kernels.dot(factor.row(r), zp.baseAddress!, count: r + 1) }
            }
        }
        return solve(shifted)
    }

    /// The posterior mean and standard deviation of vᵀθ: the predicted response to an item with features v.
    public func predictive(_ v: [Float]) -> (mean: Float, deviation: Float) {
        let m = Kernels.dot(v, mean)
        let variance = Kernels.dot(v, solve(v))
        return (m, max(0, variance).squareRoot())
    }

    /// The prior standard deviation of vᵀθ (the diagonal prior).
    public func priorDeviation(_ v: [Float]) -> Float {
        var s: Float = 0
        for j in v.indices { s += v[j] * v[j] * features.priorVariance[j] }
        return s.squareRoot()
    }
}
