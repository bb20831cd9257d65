import RecCore

/// The independent random sub-streams of one synthesis run.
///
/// Every stream is derived from the untouched root generator, and per-entity streams (one per item,
/// one per user) are derived from their stream, so a draw made for one user never shifts the draws
/// of another and reordering loops cannot change the output.
struct SynthStreams {
    private let root: SeededGenerator

    init(seed: UInt64) { root = SeededGenerator(seed: seed) }

    enum Stream: UInt64 {
        case clusters = 1, itemYears, itemGenres, popularity, titles, sequels, international, descriptions
        case neighbors, users, sessions, clusterTaste
    }

    /// The generator for a whole stream (used where draws are inherently sequential).
    func generator(_ stream: Stream) -> SeededGenerator { root.derived(stream.rawValue) }

    /// The generator for entity `index` within a stream.
    func generator(_ stream: Stream, _ index: Int) -> SeededGenerator {
        root.derived(stream.rawValue).derived(UInt64(index))
    }
}

extension SeededGenerator {
    /// An exponential sample with the given mean.
    mutating func nextExponential(mean: Double) -> Double {
        var u = nextUnitDouble()
        if u < 1e-300 { u = 1e-300 }
        return -mean * _synthLog(u)
    }

    /// True with probability `p`.
    mutating func nextBool(probability p: Double) -> Bool { nextUnitDouble() < p }

    /// An element of a non-empty array, uniformly.
    mutating func pick<T>(_ array: [T]) -> T { array[nextIndex(below: array.count)] }

    /// An index drawn with probability proportional to `weights` (non-negative, positive total).
    mutating func nextIndex(weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var target = nextUnitDouble() * total
        for (i, w) in weights.enumerated() {
            target -= w
            if target < 0 { return i }
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }
}

/// Natural logarithm without importing Foundation into every file.
func _synthLog(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #else
    return Darwin.log(x)
    #endif
}

func _synthExp(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.exp(x)
    #else
    return Darwin.exp(x)
    #endif
}

func _synthPow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(x, y)
    #else
    return Darwin.pow(x, y)
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts between Unix seconds and civil years (proleptic Gregorian, UTC).
///
/// Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms.
enum CivilTime {
    static func unixSeconds(year: Int, month: Int = 1, day: Int = 1) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400
    }

    static func year(ofUnixSeconds seconds: Int) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return yoe + era * 400 + (month <= 2 ? 1 : 0)
    }
}
