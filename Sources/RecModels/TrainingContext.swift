import RecCore

/// What some models need beyond the binary training matrix: time order, held-out rows, item metadata.
///
/// Matrix-only models (`pop`, `itemknn`, `als`, `bpr`, `ease`) ignore it. `sid` learns code transitions
/// from `sequences` (and with `space=NAME` beam-searches the codes in `semanticIDs[NAME]`); `rank` also fits its ranker on `validation` and reads `itemCategories`. Everything is
/// optional: without sequences there is no transition term, without validation rows `rank` holds out each
/// user's last training item itself.
public struct TrainingContext: Sendable {
    /// Each user's training interactions in time order (timestamp ties broken by source order).
    public var sequences: UserSequences?
    /// Rows a model may fit its second stage on (a split's valid rows), user × item; never the test rows.
    public var validation: InteractionMatrix?
    /// For `pop` with `window_days`: the training interactions inside the window.
    public var recent: InteractionMatrix?
    /// Category indices of each item (CSR over items), when the catalog has categories.
    public var itemCategories: ItemCategories?
    /// Stored semantic IDs by space name, for `sid` (and `rank`'s sid) with `space=NAME`.
    public var semanticIDs: [String: SemanticIDs]

    public init(sequences: UserSequences? = nil, validation: InteractionMatrix? = nil, recent: InteractionMatrix? = nil,
                itemCategories: ItemCategories? = nil, semanticIDs: [String: SemanticIDs] = [:]) {
        self.sequences = sequences
        self.validation = validation
        self.recent = recent
        self.itemCategories = itemCategories
        self.semanticIDs = semanticIDs
    }

    public static let none = TrainingContext()
}

/// Every user's interactions in time order: user u's items are `items[start[u] ..< start[u + 1]]`, oldest first.
public struct UserSequences: Sendable, Equatable {
    public let start: [Int]
    public let items: [Int32]
    /// Seconds since the epoch, aligned with `items` (0 when unknown).
    public let timestamps: [Double]

    public var userCount: Int { start.count - 1 }

    public init(start: [Int], items: [Int32], timestamps: [Double]) {
        precondition(start.first == 0 && start.last == items.count && timestamps.count == items.count,
                     "sequences need start offsets from 0 to items.count and one timestamp per item")
        self.start = start
        self.items = items
        self.timestamps = timestamps
    }

    /// Groups interaction rows by user and orders each user's rows by (timestamp, source order).
    /// - Complexity: O(n log n) for n rows.
    public init(userCount: Int, users: [Int32], items: [Int32], timestamps: [Double], sourceOrder: [Int64]) {
        precondition(users.count == items.count && items.count == timestamps.count && timestamps.count == sourceOrder.count,
                     "sequences need one user, item, timestamp and source position per row")
        let order = users.indices.sorted { a, b in
            if users[a] != users[b] { return users[a] < users[b] }
            if timestamps[a] != timestamps[b] { return timestamps[a] < timestamps[b] }
            return sourceOrder[a] < sourceOrder[b]
        }
        var start = [Int](repeating: 0, count: userCount + 1)
        for u in users { start[Int(u) + 1] += 1 }
        for u in 0..<userCount { start[u + 1] += start[u] }
        self.init(start: start, items: order.map { items[$0] }, timestamps: order.map { timestamps[$0] })
    }

    /// User u's items, oldest first (empty for an index outside the sequences).
    public func items(ofUser u: Int) -> ArraySlice<Int32> {
        guard u >= 0 && u < userCount else { return [] }
        return items[start[u]..<start[u + 1]]
    }

    /// The sequences without each user's last `count` items (for holding out the newest interactions).
    public func droppingLast(_ count: Int = 1) -> (kept: UserSequences, dropped: [[Int32]]) {
        var s = [0], kept: [Int32] = [], times: [Double] = [], dropped = [[Int32]](repeating: [], count: userCount)
        for u in 0..<userCount {
            let n = start[u + 1] - start[u]
            let keep = n > count ? n - count : n  // a user with too few items keeps them all
            kept.append(contentsOf: items[start[u]..<(start[u] + keep)])
            times.append(contentsOf: timestamps[start[u]..<(start[u] + keep)])
            dropped[u] = Array(items[(start[u] + keep)..<start[u + 1]])
            s.append(kept.count)
        }
        return (UserSequences(start: s, items: kept, timestamps: times), dropped)
    }

    /// The binary user × item matrix of the sequences (repeats count once).
    public func matrix(itemCount: Int) -> InteractionMatrix {
        var users: [Int32] = []
        users.reserveCapacity(items.count)
        for u in 0..<userCount { users.append(contentsOf: repeatElement(Int32(u), count: start[u + 1] - start[u])) }
        let m = InteractionMatrix(userCount: userCount, itemCount: itemCount, users: users, items: items)
        return InteractionMatrix(userCount: userCount, itemCount: itemCount, rowStart: m.rowStart, itemIndices: m.itemIndices,
                                 values: [Float](repeating: 1, count: m.nonZeroCount))
    }
}

/// Each item's category indices: item i's are `categories[start[i] ..< start[i + 1]]`.
public struct ItemCategories: Sendable, Equatable {
    public let start: [Int]
    public let categories: [Int32]
    public let categoryCount: Int

    public init(start: [Int], categories: [Int32], categoryCount: Int) {
        precondition(start.first == 0 && start.last == categories.count, "category offsets must run from 0 to categories.count")
        precondition(categories.allSatisfy { $0 >= 0 && Int($0) < categoryCount }, "category indices must be below \(categoryCount)")
        self.start = start
        self.categories = categories
        self.categoryCount = categoryCount
    }

    /// From one list of category indices per item.
    public init(lists: [[Int32]], categoryCount: Int) {
        var start = [0]
        for l in lists { start.append(start.last! + l.count) }
        self.init(start: start, categories: lists.flatMap { $0 }, categoryCount: categoryCount)
    }

    public var itemCount: Int { start.count - 1 }
    public func categories(of item: Int) -> ArraySlice<Int32> {
        guard item >= 0 && item < itemCount else { return [] }
        return categories[start[item]..<start[item + 1]]
    }
}
