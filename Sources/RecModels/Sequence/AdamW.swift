import RecCore

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019), as PyTorch's `torch.optim.AdamW` steps:
/// w ← w·(1 − lr·λ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
struct AdamW: Sendable {
    var learningRate: Float
    var weightDecay: Float
    let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    var m: TransformerWeights
    var v: TransformerWeights
    private(set) var steps = 0

    init(shape: TransformerShape, learningRate: Float, weightDecay: Float) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        m = TransformerWeights(zeros: shape)
        v = TransformerWeights(zeros: shape)
    }

    /// One step of every tensor with its gradient; padding stays zero (its gradient is zero).
    mutating func step(_ w: inout TransformerWeights, gradient g: TransformerWeights) {
        steps += 1
        let c1 = 1 - Float(Double(beta1).power(steps)), c2 = 1 - Float(Double(beta2).power(steps))
        let stepSize = learningRate / c1, root2 = c2.squareRoot()
        let decay = SIMD16<Float>(repeating: 1 - learningRate * weightDecay)
        let b1 = SIMD16<Float>(repeating: beta1), b2 = SIMD16<Float>(repeating: beta2)
        let o1 = SIMD16<Float>(repeating: 1 - beta1), o2 = SIMD16<Float>(repeating: 1 - beta2)
        let eps = SIMD16<Float>(repeating: epsilon), root = SIMD16<Float>(repeating: root2)
        let size = SIMD16<Float>(repeating: stepSize)
        for i in w.t.indices {
            let count = w.t[i].rows * w.t[i].stride
            let wp = w.t[i].mutableBaseAddress(), mp = m.t[i].mutableBaseAddress(), vp = v.t[i].mutableBaseAddress()
            let gp = g.t[i].baseAddress
            var k = 0
            while k < count {
                let gv = Kernels.load16(gp + k)
                let mv = b1 * Kernels.load16(UnsafePointer(mp + k)) + o1 * gv
                let vv = b2 * Kernels.load16(UnsafePointer(vp + k)) + o2 * gv * gv
                Kernels.store16(mv, mp + k)
                Kernels.store16(vv, vp + k)
                let denominator = vv.squareRoot() / root + eps
                let updated = Kernels.load16(UnsafePointer(wp + k)) * decay - size * mv / denominator
                Kernels.store16(updated, wp + k)
                k &+= 16
            }
        }
    }
}

extension Double {
    /// self raised to a non-negative integer power, by repeated squaring.
    func power(_ n: Int) -> Double {
        var result = 1.0, base = self, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
