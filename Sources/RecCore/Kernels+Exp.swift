extension Kernels {
    /// eˣ lane by lane, to about 2 ulp for x in [−87.3, 88.7] (Cephes' `expf`): x = n·ln2 + r with
    /// |r| ≤ ln2/2, eʳ by a degree-6 polynomial, 2ⁿ from the exponent bits. Inputs below −87.3 give
    /// (close to) 0, above 88.7 they are clamped there; NaN stays NaN.
    @inlinable @inline(__always)
    public static func exp16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let lo = SIMD16<Float>(repeating: -87.33654), hi = SIMD16<Float>(repeating: 88.72283)
        let clamped = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // n = round(x·log₂e) by the 1.5·2²³ trick: adding it rounds to an integer kept in the low mantissa
        // bits, which an integer subtraction reads out (a lane-wise Float → Int32 conversion is not vectorised).
        let magic = SIMD16<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        var r = clamped - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        var p = SIMD16<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let r2 = r * r
        let y = p * r2 + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
        let bits = (integer &+ 127) &<< 23
        let scale = unsafeBitCast(bits, to: SIMD16<Float>.self)
        let out = y * scale
        return out.replacing(with: x, where: x .!= x)
    }

    /// eˣ for one value, by the same polynomial as `exp16` (so a scalar tail matches the vector body).
    @inlinable
    public static func exp(_ x: Float) -> Float {
        exp16(SIMD16(repeating: x))[0]
    }

    /// Replaces `count` values with e^(x − shift) in place and returns their sum (a softmax's denominator);
    /// a tail shorter than 16 goes through one `exp16` call too.
    @inlinable
    public static func exponentiate(_ p: UnsafeMutablePointer<Float>, count n: Int, subtracting shift: Float) -> Float {
        let m16 = SIMD16<Float>(repeating: shift)
        var sum16 = SIMD16<Float>(), c = 0
        while c &+ 16 <= n {
            let e = exp16(load16(UnsafePointer(p + c)) - m16)
            store16(e, p + c)
            sum16 += e
            c &+= 16
        }
        if c < n {
            var tail = SIMD16<Float>(repeating: -.infinity)
            for i in 0..<(n &- c) { tail[i] = p[c &+ i] }
            let e = exp16(tail - m16)
            for i in 0..<(n &- c) { p[c &+ i] = e[i] }
            sum16 += e
        }
        return reduce(sum16)
    }

    /// tanh(x) lane by lane from `exp16`: 1 − 2 / (e^{2x} + 1), exact at the limits.
    @inlinable @inline(__always)
    public static func tanh16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let e = exp16(x + x)
        return 1 - 2 / (e + 1)
    }
}
