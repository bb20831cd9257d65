import Dispatch

/// Runs two pieces of work at once, the first on the calling thread, and returns when both are done.
enum Concurrently {
    static func run(_ first: () -> Void, _ second: () -> Void) {
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                let work = UncheckedPair(first: first, second: second)
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) { work.second() }
                work.first()
                group.wait()
            }
        }
    }

    private struct UncheckedPair: @unchecked Sendable {
        let first: () -> Void
        let second: () -> Void
    }
}
