import RecCore

/// The part of an evaluation split an interaction row belongs to.
///
/// The raw values are what the catalog stores (`0` train, `1` valid, `2` test); they never change.
public enum SplitRole: UInt8, Sendable, CaseIterable, Codable {
    case train = 0
    case valid = 1
    case test = 2
}

/// How a split was made, with every parameter needed to make it again.
public enum SplitKind: Sendable, Equatable, Codable {
    /// Per user, by time: last interaction test, second-to-last validation (see `Split.leaveOneOut`).
    case leaveOneOut
    /// One global time order cut into train, valid, test by the given fractions of rows.
    case temporal(validFraction: Double, testFraction: Double)
    /// Per user, a seeded random split by the given fractions of the user's rows.
    case ratio(validFraction: Double, testFraction: Double, seed: UInt64)
    /// A seeded share of the items held out whole: every interaction with them is test (see `Split.coldItems`).
    case coldItems(fraction: Double, seed: UInt64)

    /// Short name, as the command line spells it (`loo`, `temporal`, `ratio`, `cold-items`).
    public var name: String {
        switch self {
        case .leaveOneOut: "loo"
        case .temporal: "temporal"
        case .ratio: "ratio"
        case .coldItems: "cold-items"
        }
    }
}

/// An evaluation split: one role per interaction row, aligned with the caller's row arrays.
///
/// This is the stored form: every model is judged on the same `roles`. The helpers build what the
/// evaluator needs from the same row arrays the split was made from: the training matrix, each user's
/// held-out items, and the items to exclude from a ranking.
public struct Split: Sendable, Equatable {
    public let kind: SplitKind
    /// `roles[r]` is the role of interaction row `r`.
    public let roles: [SplitRole]

    public init(kind: SplitKind, roles: [SplitRole]) {
        self.kind = kind
        self.roles = roles
    }

    /// Number of rows with each role.
    public func count(of role: SplitRole) -> Int {
        roles.reduce(0) { $0 + ($1 == role ? 1 : 0) }
    }

    /// The user × item matrix of the rows whose role is in `included` (value 1 per row unless given).
    ///
    /// `matrix(of: [.train], ...)` is what models train on; `[.train, .valid]` is the refit set once
    /// hyper-parameters are chosen; `[.test]` is each user's test items (sorted, duplicates merged).
    /// - Complexity: O(rows + users + nnz·log(row length)).
    public func matrix(of included: Set<SplitRole>, users: [Int32], items: [Int32], values: [Float]? = nil,
                       userCount: Int, itemCount: Int) -> InteractionMatrix {
        precondition(users.count == roles.count && items.count == roles.count,
                     "the split has \(roles.count) rows but the arrays have \(users.count) and \(items.count)")
        var u: [Int32] = [], i: [Int32] = []
        var v: [Float]? = values == nil ? nil : []
        for r in roles.indices where included.contains(roles[r]) {
            u.append(users[r])
            i.append(items[r])
            if let values { v!.append(values[r]) }
        }
        return InteractionMatrix(userCount: userCount, itemCount: itemCount, users: u, items: i, values: v)
    }

    /// What an evaluation on `role` needs: the truth per user and the items each user is known to have.
    ///
    /// For `.test`, `seen` holds train and valid items: they are excluded from the ranking, as RecBole's
    /// full-sort evaluation does. For `.valid`, `seen` holds the train items only.
    public func heldOut(_ role: SplitRole, users: [Int32], items: [Int32], userCount: Int,
                        itemCount: Int) -> HeldOut {
        let earlier: Set<SplitRole> = role == .test ? [.train, .valid] : [.train]
        return HeldOut(
            truth: matrix(of: [role], users: users, items: items, userCount: userCount, itemCount: itemCount),
            seen: matrix(of: earlier, users: users, items: items, userCount: userCount, itemCount: itemCount))
    }
}

/// Each user's held-out items and the items to leave out of that user's ranking.
public struct HeldOut: Sendable {
    /// User × item: the relevant items of each user (rows may be empty: such users are not evaluated).
    public let truth: InteractionMatrix
    /// User × item: items the user already has, excluded from the ranking.
    public let seen: InteractionMatrix

    public init(truth: InteractionMatrix, seen: InteractionMatrix) {
        precondition(truth.userCount == seen.userCount && truth.itemCount == seen.itemCount,
                     "truth and seen matrices differ in shape")
        self.truth = truth
        self.seen = seen
    }

    /// The users with at least one held-out item, ascending: the users an evaluation scores.
    public var evaluatedUsers: [Int] {
        (0..<truth.userCount).filter { truth.rowLength($0) > 0 }
    }
}
