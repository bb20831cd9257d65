import RecCatalog
import RecCore
import RecEval
import RecModels
import Synchronization

/// One split of a workbench's interactions seen per user: each user's training history and held-out items in
/// time order, and, made on first use from those, the training matrix and what evaluation on the test rows
/// needs. Built once per split; the explorer's panes and the simulator's inputs read it.
///
/// It holds no row of the log itself, so a workbench can drop its rows once the view is made: at 24M
/// interactions the log is 670 MB, the histories 96 MB, and each of the two matrices made on demand ~190 MB.
public struct SplitView: Sendable {
    /// The split's name (`loo`, ...): the workbench's `split(name)` gives its roles per log row.
    public let name: String
    /// Per user, training items in time order (oldest first; ties by source order).
    public let history: [[Int32]]
    /// Per user, held-out items in time order with their role.
    public let heldOut: [[(item: Int32, role: SplitRole)]]
    public let itemCount: Int
    private let made = Derived()

    /// The views of `split` over `log`, whose rows are in (user, time, source) order.
    public init(name: String, split: Split, log: InteractionLog) {
        self.name = name
        itemCount = log.itemCount
        var history = [[Int32]](repeating: [], count: log.userCount)
        var heldOut = [[(item: Int32, role: SplitRole)]](repeating: [], count: log.userCount)
        for r in 0..<log.count {
            let u = Int(log.users[r])
            if split.roles[r] == .train { history[u].append(log.items[r]) } else { heldOut[u].append((log.items[r], split.roles[r])) }
        }
        self.history = history
        self.heldOut = heldOut
    }

    public var userCount: Int { history.count }

    /// User × item, the split's training rows, binary (what models are trained on).
    public var train: InteractionMatrix {
        made.train.withLock { m in
            if let m { return m }
            let built = matrix { u, add in for i in history[u] { add(i) } }
            let binary = InteractionMatrix(userCount: built.userCount, itemCount: built.itemCount, rowStart: built.rowStart,
                                           itemIndices: built.itemIndices, values: [Float](repeating: 1, count: built.nonZeroCount))
            m = binary
            return binary
        }
    }

    /// What evaluation on the test rows needs (truth, and train + valid items to exclude).
    public var test: HeldOut {
        made.test.withLock { t in
            if let t { return t }
            let truth = matrix { u, add in for h in heldOut[u] where h.role == .test { add(h.item) } }
            let seen = matrix { u, add in
                for i in history[u] { add(i) }
                for h in heldOut[u] where h.role == .valid { add(h.item) }
            }
            let built = HeldOut(truth: truth, seen: seen)
            t = built
            return built
        }
    }

    /// Items `user` has before the test rows (train and valid): what a ranking leaves out. Read from the user's
    /// own rows, so Compare never makes the whole `test` matrix.
    public func seen(_ user: Int) -> ExclusionSet {
        ExclusionSet(unsorted: history[user] + heldOut[user].lazy.filter { $0.role == .valid }.map(\.item))
    }

    /// The user × item matrix of the items `rows(u, add)` adds for each user, as `Split.matrix` builds it
    /// from log rows (one entry per row, duplicates merged).
    private func matrix(_ rows: (Int, (Int32) -> Void) -> Void) -> InteractionMatrix {
        var users: [Int32] = [], items: [Int32] = []
        for u in 0..<userCount {
            rows(u) { users.append(Int32(u)); items.append($0) }
        }
        return InteractionMatrix(userCount: userCount, itemCount: itemCount, users: users, items: items)
    }

    /// The matrices made on first use, shared by every copy of the view.
    private final class Derived: Sendable {
        let train = Mutex<InteractionMatrix?>(nil)
        let test = Mutex<HeldOut?>(nil)
    }
}

extension ModelWorkbench {
    /// The split `name` seen per user (the stored split when it still matches, else made and stored).
    public func view(_ name: String) throws -> SplitView {
        SplitView(name: name, split: try split(name), log: log)
    }
}
