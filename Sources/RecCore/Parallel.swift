import Dispatch

/// Static work splitting over Dispatch threads, deterministic in what each piece computes.
public enum Parallel {
    /// Calls `body(range)` for `threads` contiguous, near-equal slices of `0..<count`, concurrently.
    ///
    /// Slices never overlap; with `threads == 1` (or a count of 0 or 1) `body` runs on the calling thread;
    /// `threads <= 0` means one per active processor. Results written by index are therefore the same
    /// for any thread count as long as `body` computes each index independently.
    public static func forEachSlice(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let t = max(1, min(threads <= 0 ? defaultThreads : threads, count))
        if t <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: t) { piece in
                let lo = count * piece / t, hi = count * (piece + 1) / t
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }

    /// `[transform(0), …, transform(count − 1)]`, computed in `threads` contiguous slices.
    ///
    /// Each element depends only on its index, so the array is the same for any thread count: the
    /// shape evaluation uses to score users in parallel.
    public static func map<T>(count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { out in
            let box = UncheckedSendable(out)
            forEachSlice(count: count, threads: threads) { range in
                for i in range { box.value[i] = transform(i) }
            }
        }
        return slots.map { $0! }
    }

    /// Runs two pieces of work at once, `first` on the calling thread and `second` on a Dispatch worker,
    /// and returns when both are done: the shape of an importer that parses one half of a file while the
    /// other half is read, or writes one table while sorting the next.
    public static func both(_ first: () -> Void, _ second: () -> Void) {
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let work = UncheckedSendable((first: first, second: second))
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) { work.value.second() }
                work.value.first()
                group.wait()
            }
        }
    }

    /// The number of threads to use when the caller passes 0: the active processor count.
    public static var defaultThreads: Int { _activeProcessorCount() }
}

#if canImport(Glibc)
import Glibc
private func _activeProcessorCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
#else
import Foundation
private func _activeProcessorCount() -> Int { ProcessInfo.processInfo.activeProcessorCount }
#endif
