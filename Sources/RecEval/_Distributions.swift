#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two-sided p-value of a standard normal statistic: 2·Φ(−|z|) = erfc(|z| / √2).
func _normalTwoSidedP(_ z: Double) -> Double {
    erfc(abs(z) / 2.0.squareRoot())
}

/// Two-sided p-value of Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
func _studentTwoSidedP(_ t: Double, df: Double) -> Double {
    if t.isInfinite { return 0 }
    return _regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
}

/// The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction
/// (Numerical Recipes, 3rd ed., §6.4), accurate to about 1e-14 relative.
func _regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x)
    if x < (a + 1) / (a + b + 2) {
        return exp(logFront) * _betaContinuedFraction(x, a: a, b: b) / a
    }
    return 1 - exp(logFront) * _betaContinuedFraction(1 - x, a: b, b: a) / b
}

func _betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300, epsilon = 1e-16
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
        let m = Double(m), m2 = 2 * m
        var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + aa * d
        if abs(d) < tiny { d = tiny }
        c = 1 + aa / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        let step = d * c
        h *= step
        if abs(step - 1) < epsilon { break }
    }
    return h
}

/// Average ranks (1-based) of `values`, ties sharing the mean of their positions, plus the tie-group sizes.
func _averageRanks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Int]) {
    let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
    var ranks = [Double](repeating: 0, count: values.count)
    var sizes: [Int] = []
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
        let rank = Double(start + 1 + end) / 2  // mean of positions start+1 … end
        for p in start..<end { ranks[order[p]] = rank }
        sizes.append(end - start)
        start = end
    }
    return (ranks, sizes)
}
