import Dispatch
import RecCore

/// Runs two pieces of work at once, the first on the calling thread, and returns when both are done.
enum Concurrently {
    static func run(_ first: () -> Void, _ second: () -> Void) {
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
}
