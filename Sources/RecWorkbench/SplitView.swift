import RecCatalog
import RecCore
import RecEval
import RecModels

/// One split of a workbench's interactions seen per user: the training matrix, each user's training
/// history and held-out items in time order, and what evaluation on the test rows needs. Built once per
/// split; the explorer's panes and the simulator's inputs read it.
public struct SplitView: Sendable {
    public let name: String
    public let split: Split
    /// User × item, the split's training rows, binary (what models are trained on).
    public let train: InteractionMatrix
    /// Per user, training items in time order (oldest first; ties by source order).
    public let history: [[Int32]]
    /// Per user, held-out items in time order with their role.
    public let heldOut: [[(item: Int32, role: SplitRole)]]
    /// What evaluation on the test rows needs (truth, and train + valid items to exclude).
    public let test: HeldOut

    /// The views of `split` over `log`, whose rows are in (user, time, source) order.
    public init(name: String, split: Split, log: InteractionLog) {
        self.name = name
        self.split = split
        let m = split.matrix(of: [.train], users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
        train = InteractionMatrix(userCount: m.userCount, itemCount: m.itemCount, rowStart: m.rowStart,
                                  itemIndices: m.itemIndices, values: [Float](repeating: 1, count: m.nonZeroCount))
        var history = [[Int32]](repeating: [], count: log.userCount)
        var heldOut = [[(item: Int32, role: SplitRole)]](repeating: [], count: log.userCount)
        for r in 0..<log.count {
            let u = Int(log.users[r])
            if split.roles[r] == .train { history[u].append(log.items[r]) } else { heldOut[u].append((log.items[r], split.roles[r])) }
        }
        self.history = history
        self.heldOut = heldOut
        test = split.heldOut(.test, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
    }

    public var userCount: Int { history.count }

    /// Items `user` has before the test rows (train and valid): what a ranking leaves out.
    public func seen(_ user: Int) -> ExclusionSet { ExclusionSet(sorted: test.seen.items(ofUser: user)) }
}

extension ModelWorkbench {
    /// The split `name` seen per user (the stored split when it still matches, else made and stored).
    public func view(_ name: String) throws -> SplitView {
        SplitView(name: name, split: try split(name), log: log)
    }
}
