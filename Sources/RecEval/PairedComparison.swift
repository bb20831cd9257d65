import RecCore

/// A test statistic with its two-sided p-value.
public struct SignificanceTest: Sendable, Equatable {
    public let statistic: Double
    public let pValue: Double
}

/// A percentile bootstrap confidence interval of the mean paired difference.
public struct BootstrapInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    /// Confidence level, 1 − α.
    public let level: Double
    public let resamples: Int
    public let seed: UInt64

    /// Whether the interval leaves out zero.
    public var excludesZero: Bool { lower > 0 || upper < 0 }
}

/// How the Wilcoxon signed-rank test treats zero differences (users on whom both models score the same).
public enum WilcoxonZeroMethod: String, Sendable, Codable {
    /// Drop zero differences (Wilcoxon 1945; scipy's default `zero_method="wilcox"`).
    case wilcox
    /// Rank zeros with the rest, then drop them from the rank sum and adjust mean and variance
    /// (Pratt 1959, Cureton 1967; scipy's `zero_method="pratt"`).
    case pratt
}

/// A paired comparison of two models on the same users: per-user values of one metric, A against B.
///
/// Users are the pairing unit; differences are dᵤ = aᵤ − bᵤ. Three views of the same question:
/// - paired t-test: t = mean(d) / (sd(d) / √n), sd with n − 1, two-sided p from Student's t with n − 1
///   degrees of freedom (scipy `ttest_rel`); all-zero differences give t = 0, p = 1 (scipy: NaN);
/// - Wilcoxon signed-rank, normal approximation, average ranks for ties, tie correction
///   Σ(t³ − t)/48 on the variance, no continuity correction (scipy `wilcoxon(method="asymptotic")`);
///   `statistic` is min(R⁺, R⁻) as scipy reports it, `z` the standardized R⁺;
/// - percentile bootstrap of mean(d): `resamples` draws of n users with replacement from
///   `SeededGenerator(seed:)`, interval at the α/2 and 1 − α/2 quantiles (numpy's linear interpolation).
/// No correction for multiple comparisons is applied.
public struct PairedComparison: Sendable {
    public let count: Int
    public let meanA: Double
    public let meanB: Double
    /// mean(a − b).
    public let meanDifference: Double
    public let tTest: SignificanceTest
    public let wilcoxon: SignificanceTest
    /// The standardized Wilcoxon statistic (R⁺ − mean) / sd.
    public let wilcoxonZ: Double
    public let bootstrap: BootstrapInterval
    public let alpha: Double

    /// Marked significant only when the three agree: both p-values below α and the interval excludes 0.
    public var isSignificant: Bool {
        tTest.pValue < alpha && wilcoxon.pValue < alpha && bootstrap.excludesZero
    }

    /// `*` when significant, else empty: the marker for tables.
    public var marker: String { isSignificant ? "*" : "" }

    /// - Complexity: O(n log n + resamples · n).
    public init(_ a: [Double], _ b: [Double], alpha: Double = 0.05, resamples: Int = 10_000, seed: UInt64 = 0,
                zeroMethod: WilcoxonZeroMethod = .wilcox) {
        precondition(a.count == b.count, "paired values differ in length: \(a.count) and \(b.count)")
        precondition(alpha > 0 && alpha < 1 && resamples > 0)
        let d = zip(a, b).map { $0 - $1 }
        count = d.count
        meanA = _mean(a)
        meanB = _mean(b)
        meanDifference = _mean(d)
        self.alpha = alpha
        tTest = Self.pairedT(d)
        (wilcoxon, wilcoxonZ) = Self.signedRank(d, zeroMethod: zeroMethod)
        bootstrap = Self.bootstrapInterval(d, level: 1 - alpha, resamples: resamples, seed: seed)
    }

    /// Compares one per-user metric of two reports made on the same users.
    public init(_ a: EvaluationReport, _ b: EvaluationReport, key: String, alpha: Double = 0.05,
                resamples: Int = 10_000, seed: UInt64 = 0) {
        precondition(a.users == b.users, "the two reports were made on different users")
        guard let va = a.perUser[key], let vb = b.perUser[key] else {
            preconditionFailure("no per-user values for \(key): it is not a per-user metric of both reports")
        }
        self.init(va, vb, alpha: alpha, resamples: resamples, seed: seed)
    }

    static func pairedT(_ d: [Double]) -> SignificanceTest {
        let n = Double(d.count)
        guard d.count >= 2 else { return SignificanceTest(statistic: .nan, pValue: .nan) }
        let mean = _mean(d)
        var ss = 0.0
        for x in d { ss += (x - mean) * (x - mean) }
        let sd = (ss / (n - 1)).squareRoot()
        if sd == 0 {
            return mean == 0 ? SignificanceTest(statistic: 0, pValue: 1)
                             : SignificanceTest(statistic: mean > 0 ? .infinity : -.infinity, pValue: 0)
        }
        let t = mean / (sd / n.squareRoot())
        return SignificanceTest(statistic: t, pValue: _studentTwoSidedP(t, df: n - 1))
    }

    static func signedRank(_ d: [Double], zeroMethod: WilcoxonZeroMethod) -> (SignificanceTest, Double) {
        let kept = zeroMethod == .wilcox ? d.filter { $0 != 0 } : d
        let (ranks, ties) = _averageRanks(kept.map { abs($0) })
        var rPlus = 0.0, rMinus = 0.0
        for (x, r) in zip(kept, ranks) {
            if x > 0 { rPlus += r } else if x < 0 { rMinus += r }
        }
        let n = Double(kept.count)
        var mean = n * (n + 1) / 4
        var variance = n * (n + 1) * (2 * n + 1)
        var tieSizes = ties
        if zeroMethod == .pratt {
            let zeros = Double(kept.filter { $0 == 0 }.count)
            mean -= zeros * (zeros + 1) / 4
            variance -= zeros * (zeros + 1) * (2 * zeros + 1)
            if zeros > 0 { tieSizes.removeFirst() }  // the zero group ranks first; it is not a tie
        }
        let tieCorrection = tieSizes.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
        let se = ((variance - tieCorrection / 2) / 24).squareRoot()
        guard se > 0 else { return (SignificanceTest(statistic: 0, pValue: 1), 0) }
        let z = (rPlus - mean) / se
        return (SignificanceTest(statistic: min(rPlus, rMinus), pValue: _normalTwoSidedP(z)), z)
    }

    static func bootstrapInterval(_ d: [Double], level: Double, resamples: Int, seed: UInt64) -> BootstrapInterval {
        guard !d.isEmpty else {
            return BootstrapInterval(lower: .nan, upper: .nan, level: level, resamples: resamples, seed: seed)
        }
        var rng = SeededGenerator(seed: seed)
        var means = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            var sum = 0.0
            for _ in 0..<d.count { sum += d[rng.nextIndex(below: d.count)] }
            means[r] = sum / Double(d.count)
        }
        means.sort()
        let tail = (1 - level) / 2
        return BootstrapInterval(lower: Quantile.linear(sorted: means, p: tail),
                                 upper: Quantile.linear(sorted: means, p: 1 - tail), level: level,
                                 resamples: resamples, seed: seed)
    }
}

extension PairedComparison {
    /// Compares A with B on each of `keys` (default: every per-user key of A), in report order.
    ///
    /// Each key's bootstrap uses the same `seed`, so a key's interval does not depend on which other keys
    /// are compared. - Complexity: O(keys · resamples · users).
    public static func compare(_ a: EvaluationReport, _ b: EvaluationReport, keys: [String]? = nil,
                               alpha: Double = 0.05, resamples: Int = 10_000,
                               seed: UInt64 = 0) -> [(key: String, comparison: PairedComparison)] {
        let wanted = keys ?? a.keys.filter { a.perUser[$0] != nil }
        return wanted.map { ($0, PairedComparison(a, b, key: $0, alpha: alpha, resamples: resamples, seed: seed)) }
    }
}
