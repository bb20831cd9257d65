#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The item-exposure fairness measures of the critical study (Rampisela et al. 2024), original and corrected
/// (`_our`), as its code computes them; `docs/METRICS.md` gives each formula with its range. A value that is
/// undefined for these lists (a single list, n ≤ K, no exposed item) is NaN, printed as null or "—".
extension ItemExposure {
    /// The value of a whole-list beyond-accuracy measure (`metric.isPerUser` is false).
    public func value(_ metric: BeyondAccuracyMetric) -> Double {
        switch metric {
        case .coverage: return qf
        case .gini: return gini
        case .jain: return jain
        case .jainCorrected: return jainCorrected
        case .qfCorrected: return qfCorrected
        case .entropy: return entropy
        case .entropyCorrected: return entropyCorrected
        case .giniCorrected: return giniCorrected
        case .giniW: return giniW
        case .giniWCorrected: return giniWCorrected
        case .fsat: return fsat
        case .fsatCorrected: return fsatCorrected
        case .vocd: return vocd
        case .iiD: return iiD
        case .aiD: return aiD
        case .koccSkewness: return Hubness(self).skewness
        case .hubOccurrence: return Hubness(self).hubOccurrence
        case .novelty, .averagePopularity, .tailShare: preconditionFailure("\(metric) is a per-user metric")
        }
    }

    /// Jain's index, (Σcᵢ)² / (n Σcᵢ²) (Jain et al. 1984): 1 when every item is shown equally.
    public var jain: Double {
        let squares = counts.reduce(0.0) { $0 + Double($1) * Double($1) }
        return squares > 0 ? Double(slots) * Double(slots) / (Double(itemCount) * squares) : .nan
    }

    /// Jain_our = (Jain − K/n) / (Jain_max − K/n), Jain_max the index of the fairest allocation: in [0, 1].
    public var jainCorrected: Double { shape.jainCorrected(jain) }

    /// QF, the share of items shown at least once (= coverage@K; Zhu et al. 2020's qualification fairness).
    public var qf: Double { itemCount > 0 ? Double(exposedItems) / Double(itemCount) : .nan }

    /// QF_our = (|exposed| − K) / (n − K) when mK ≥ n, else (|exposed| − K) / (K(m − 1)): in [0, 1].
    public var qfCorrected: Double {
        let exposed = Double(exposedItems), k = Double(k)
        return slots >= itemCount ? _ratio(exposed - k, Double(itemCount) - k) : _ratio(exposed - k, k * (fullLists - 1))
    }

    /// H = −Σ_{cᵢ>0} pᵢ log_n pᵢ, pᵢ = cᵢ / slots (Shannon entropy of exposure, base n, 0·log 0 = 0): in [0, 1].
    /// The study's code takes the sum over all n items and so gives NaN as soon as one item is unexposed.
    public var entropy: Double {
        guard itemCount > 1, slots > 0 else { return .nan }
        let logN = log(Double(itemCount)), total = Double(slots)
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / total
            h -= p * log(p) / logN
        }
        return h
    }

    /// Ent_our = (H − log_n K) / (H_max − log_n K), H_max the entropy of the fairest allocation
    /// (log_n(mK) when mK < n): in [0, 1].
    public var entropyCorrected: Double { shape.entropyCorrected(entropy) }

    /// Gini = Σⱼ (2j − n − 1) c₍ⱼ₎ / (n Σcᵢ), counts ascending (Gini 1912; the study's Gini_ori): in [0, 1 − K/n].
    public var gini: Double { Self.gini(sortedCounts.map(Double.init), itemCount: itemCount) }

    /// Gini_our = (Gini − Gini_min) / (1 − K/n − Gini_min), Gini_min = (n − r) r / (n mK), r = mK mod n: in [0, 1].
    public var giniCorrected: Double { shape.giniCorrected(gini) }

    /// Gini-w: Gini of the rank-weighted exposure wᵢ = Σ 1 / log₂(rank + 1) (Do & Usunier 2022).
    public var giniW: Double { Self.gini(rankWeights.sorted(), itemCount: itemCount) }

    /// Gini-w_our = (Gini-w − min) / (max − min), the extremes of the study's Eq. for Gini-w: in [0, 1].
    public var giniWCorrected: Double {
        let n = Double(itemCount), m = fullLists
        let discount = (1...k).map { 1 / log2(Double($0 + 1)) }
        let denominator = n * m * discount.reduce(0, +)
        // Most unfair: every list holds the same K items, rank l at the n − l + 1-th smallest position.
        var highest = 0.0
        for t in 0..<k { highest += (2 * (n - Double(k) + 1 + Double(t)) - n - 1) * m * discount[k - 1 - t] }
        // Fairest when mK ≤ n: every item shown at most once, the M = ⌊m′⌋ items of rank l side by side.
        var lowest = 0.0
        if slots <= itemCount {
            let whole = Double(Int(m))
            for l in 1...k {
                let a = n - Double(l) * whole + 1
                lowest += (whole * (2 * a + whole - 1) - whole * (n + 1)) * discount[l - 1]
            }
        }
        return _ratio(giniW - lowest / denominator, highest / denominator - lowest / denominator)
    }

    /// FSat: the share of items shown at least their maximin share ⌊mK/n⌋ times (Patro et al. 2020).
    public var fsat: Double {
        let share = floorShare
        return itemCount > 0 ? Double(counts.reduce(0) { $0 + ($1 >= share ? 1 : 0) }) / Double(itemCount) : .nan
    }

    /// FSat_our = (FSat − K/n) / (1 − K/n): in [0, 1].
    public var fsatCorrected: Double { _ratio(fsat - kOverN, 1 - kOverN) }

    /// VoCD as the study's code computes it: the mean over pairs of exposed items of |cᵢ − cⱼ| / max(cᵢ, cⱼ)
    /// (Wang & Wang's variance-of-coverage-difference idea; no corrected form). NaN with fewer than two exposed items.
    /// - Complexity: O(n log n), from the sorted counts rather than every pair.
    public var vocd: Double {
        let exposed = sortedCounts.filter { $0 > 0 }
        guard exposed.count > 1 else { return .nan }
        var sum = 0.0, below = 0.0
        for (j, c) in exposed.enumerated() {
            sum += Double(j) - below / Double(c)
            below += Double(c)
        }
        let pairs = Double(exposed.count) * Double(exposed.count - 1) / 2
        return sum / pairs
    }

    /// II-D (Diaz et al. 2020, as the study computes it): the mean over all m × n (user, item) pairs of
    /// (E_ui − ẽ)², E_ui = γ^(rank − 1) for a recommended item else 0, ẽ = (1 − γᴷ) / ((1 − γ) n).
    public var iiD: Double {
        guard itemCount > 0, listCount > 0 else { return .nan }
        let target = _rbpTarget
        var sum = rbpSquares - 2 * target * rbpExposure.reduce(0, +) + Double(slots) * target * target
        sum += (Double(listCount) * Double(itemCount) - Double(slots)) * target * target
        return sum / (Double(listCount) * Double(itemCount))
    }

    /// AI-D: the mean over items of ((1/m) Σᵤ E_ui − ẽ)².
    public var aiD: Double {
        guard itemCount > 0, listCount > 0 else { return .nan }
        let target = _rbpTarget, m = Double(listCount)
        return rbpExposure.reduce(0.0) { sum, s in
            let d = s / m - target
            return sum + d * d
        } / Double(itemCount)
    }

    var _rbpTarget: Double {
        let g = Self.rbpPatience
        return (1 - pow(g, Double(k))) / (1 - g) / Double(itemCount)
    }

    /// Σⱼ (2j − n − 1) x₍ⱼ₎ / (n Σx) of values sorted ascending; NaN when they sum to 0.
    static func gini(_ ascending: [Double], itemCount: Int) -> Double {
        let n = ascending.count
        let total = ascending.reduce(0, +)
        guard n > 0, total > 0 else { return .nan }
        var weighted = 0.0
        for j in 0..<n { weighted += Double(2 * (j + 1) - n - 1) * ascending[j] }
        return weighted / (Double(n) * total)
    }
}

/// n, K and the number of slots: what the corrected forms need besides the original measure, shared by
/// `ItemExposure` and the Pareto frontier, which updates the original measures one replacement at a time.
struct _ExposureShape: Sendable {
    let n: Int
    let k: Int
    let slots: Int

    /// ⌊mK/n⌋ and mK mod n: the fairest allocation gives mK mod n items one exposure more than the rest.
    var floorShare: Int { n > 0 ? slots / n : 0 }
    var remainder: Int { n > 0 ? slots % n : 0 }
    /// K / n: the exposure share of one list's items, the corrected measures' reference point.
    var kOverN: Double { Double(k) / Double(n) }

    func jainCorrected(_ jain: Double) -> Double {
        let f = Double(floorShare), r = Double(remainder), n = Double(n)
        let best = Double(slots) * Double(slots) / n / (n * f * f + r * (2 * f + 1))
        return _ratio(jain - kOverN, best - kOverN)
    }

    func entropyCorrected(_ entropy: Double) -> Double {
        guard n > 1, slots > 0 else { return .nan }
        let n = Double(n), logN = log(n), total = Double(slots)
        let logK = log(Double(k)) / logN
        let denominator: Double
        if slots >= self.n {
            let x = Double(floorShare) / total, y = Double(floorShare + 1) / total
            var best = -(n - Double(remainder)) * x * log(x) / logN
            if remainder > 0 { best -= Double(remainder) * y * log(y) / logN }
            denominator = best - logK
        } else {
            denominator = log(total / Double(k)) / logN
        }
        return _ratio(entropy - logK, denominator)
    }

    func giniCorrected(_ gini: Double) -> Double {
        let n = Double(n), r = Double(remainder)
        let least = (n - r) * r / (n * Double(slots))
        return _ratio(gini - least, 1 - kOverN - least)
    }
}

/// a / b, NaN when b is 0 (a corrected measure whose range collapses is undefined, not 0 or infinite).
func _ratio(_ a: Double, _ b: Double) -> Double {
    b == 0 || !b.isFinite ? .nan : a / b
}
