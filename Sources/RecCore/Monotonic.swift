#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one clock for durations: seconds on `CLOCK_MONOTONIC`, which never jumps with the wall clock.
///
/// Timings, progress rates and benchmarks read it; dates and timestamps never do.
public enum Monotonic {
    /// Seconds since an arbitrary fixed point (boot, on Linux).
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Time elapsed since it was started, on the `Monotonic` clock.
public struct Stopwatch: Sendable {
    /// `Monotonic.now()` when the stopwatch started.
    public let started: Double

    public init() { started = Monotonic.now() }

    /// Seconds since the start.
    public var elapsed: Double { Monotonic.now() - started }

    /// Milliseconds since the start, as the benchmarks report them.
    public var elapsedMilliseconds: Double { elapsed * 1000 }

    /// `body`'s result and the seconds it took.
    public static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
        let watch = Stopwatch()
        let result = try body()
        return (result, watch.elapsed)
    }
}
