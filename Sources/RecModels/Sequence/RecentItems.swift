import RecCore

/// Each user's most recent training items, in time order, packed end to end: what a sequence model reads
/// when it serves a user (`sasrec`, `bert4rec`, `sidgen`), stored in its artifact as `history.*`.
struct RecentItems: Sendable {
    /// User u's items are `items[start[u] ..< start[u + 1]]`.
    let start: [Int]
    let items: [Int32]

    var userCount: Int { start.count - 1 }

    /// The last `keep` items of each history.
    init(_ histories: [[Int32]], keep: Int) {
        var start = [0], items: [Int32] = []
        start.reserveCapacity(histories.count + 1)
        for h in histories {
            items += h.suffix(keep)
            start.append(items.count)
        }
        self.start = start
        self.items = items
    }

    /// The recent items of `user`; nil for an unknown user or one without history.
    func of(_ user: Int) -> ArraySlice<Int32>? {
        guard user >= 0 && user < userCount, start[user + 1] > start[user] else { return nil }
        return items[start[user]..<start[user + 1]]
    }

    var artifactArrays: [String: ArtifactArray] {
        ["history.start": ArtifactArray(column: start.map(Float.init)), "history.items": ArtifactArray(column: items.map(Float.init))]
    }

    /// The histories an artifact stored, checked against its user and item counts.
    init(artifact: ModelArtifact) throws {
        let start = try artifact.array("history.start", rows: artifact.userCount + 1, cols: 1).values.map { Int($0) }
        let items = try artifact.array("history.items", cols: 1).values.map { Int32($0) }
        guard start.first == 0, start.last == items.count, zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }),
              items.allSatisfy({ $0 >= 0 && Int($0) < artifact.itemCount }) else {
            throw ModelError.corruptArtifact("the \(artifact.kind.rawValue) artifact's histories are not consistent")
        }
        self.start = start
        self.items = items
    }
}

extension TransformerWeights {
    /// Every tensor under its name, prefixed `net.` (a model artifact's arrays).
    func artifactArrays(_ shape: TransformerShape) -> [String: ArtifactArray] {
        var out: [String: ArtifactArray] = [:]
        for (n, s) in Self.shapes(shape).enumerated() { out["net." + s.name] = ArtifactArray(t[n]) }
        return out
    }

    /// The tensors of `shape` read back from an artifact's `net.` arrays.
    init(artifact: ModelArtifact, shape: TransformerShape) throws {
        self.init(tensors: try Self.shapes(shape).map { try artifact.array("net." + $0.name, rows: $0.rows, cols: $0.cols).matrix })
    }
}
