import RecCore

/// A run another tool made (RecBole, Elliot, LensKit, trec tools), imported with `recscope import-run` and
/// stored as model `ext:NAME`: each user's ranked list as the file gave it, served as it is.
///
/// Nothing is trained. `recommend` walks the user's stored list, skipping excluded items, so it returns at
/// most the run's depth; a user the run does not list (or an index past `userCount`) gets an empty list, which
/// evaluation counts as a miss. Lists are stored best first in the one ranking order (score descending, item
/// index ascending): the importer orders a user's lines by score, then the file's rank, then item index, and
/// where two lines' scores are equal as `Float` but the file ranks them apart it lowers the later score to the
/// next float below (`nextDown`), so every consumer that sorts by `ScoredItem.ranksBefore` keeps the file's
/// order. `similarItems` is co-occurrence in the run's lists: how many users' lists hold both items.
public struct ExternalRun: TrainedModel {
    /// An imported run takes no parameters.
    public struct Configuration: ModelConfiguration {
        public init(_ p: inout ModelParameters) throws {}
        public var params: [String: String] { [:] }
    }

    public let kind: ModelKind
    /// Where the run came from (file, format, lines, score rule), as `import-run` recorded it.
    public let params: [String: String]
    public let userCount: Int
    public let itemCount: Int
    /// User u's list is `items[listStart[u]..<listStart[u + 1]]`, best first.
    let listStart: [Int]
    let items: [Int32]
    let scores: [Float]

    /// A run of `name` from per-user lists in CSR form, each list best first by `ScoredItem.ranksBefore`.
    /// - Throws: `ModelError.corruptArtifact` when a list is out of order, holds an item twice or an item
    ///   outside `0..<itemCount`, or the sizes disagree.
    public init(name: String, userCount: Int, itemCount: Int, listStart: [Int], items: [Int32], scores: [Float],
                params: [String: String] = [:]) throws {
        kind = .external(name)
        self.params = params
        self.userCount = userCount
        self.itemCount = itemCount
        self.listStart = listStart
        self.items = items
        self.scores = scores
        try _check()
    }

    public init(artifact: ModelArtifact) throws {
        guard case .external(let name) = artifact.kind else {
            throw ModelError.corruptArtifact("artifact is a \(artifact.kind.rawValue) model, expected an imported run")
        }
        let lengths = try artifact.array("run.lengths", rows: artifact.userCount, cols: 1).values
        let items = try artifact.array("run.items", cols: 1).values
        let scores = try artifact.array("run.scores", rows: items.count, cols: 1).values
        var start = [Int](repeating: 0, count: lengths.count + 1)
        for (u, l) in lengths.enumerated() { start[u + 1] = start[u] + Int(l) }
        try self.init(name: name, userCount: artifact.userCount, itemCount: artifact.itemCount, listStart: start,
                      items: items.map { Int32($0) }, scores: scores, params: artifact.params)
    }

    func _check() throws {
        guard listStart.count == userCount + 1, listStart.first == 0, listStart.last == items.count, scores.count == items.count else {
            throw ModelError.corruptArtifact("run \(kind.rawValue): list offsets, items and scores disagree in size")
        }
        guard itemCount <= _exactFloatLimit else {
            throw ModelError.corruptArtifact("run \(kind.rawValue): \(itemCount) items exceed the artifact limit of 2^24")
        }
        var seen = [Int32](repeating: -1, count: itemCount)
        for u in 0..<userCount {
            guard listStart[u] <= listStart[u + 1] else { throw ModelError.corruptArtifact("run \(kind.rawValue): list offsets decrease at user \(u)") }
            for n in listStart[u]..<listStart[u + 1] {
                let i = items[n]
                guard i >= 0 && Int(i) < itemCount, seen[Int(i)] != Int32(u) else {
                    throw ModelError.corruptArtifact("run \(kind.rawValue): user \(u)'s list holds item \(i) twice or past \(itemCount) items")
                }
                seen[Int(i)] = Int32(u)
                guard n == listStart[u] || ScoredItem.ranksBefore(ScoredItem(item: items[n - 1], score: scores[n - 1]),
                                                                  ScoredItem(item: i, score: scores[n])) else {
                    throw ModelError.corruptArtifact("run \(kind.rawValue): user \(u)'s list is not ordered by score, then item")
                }
            }
        }
    }

    /// The number of users with a list (at least one line in the run).
    public var listedUsers: Int { (0..<userCount).count { listStart[$0 + 1] > listStart[$0] } }

    /// The run's lines, as stored.
    public var lineCount: Int { items.count }

    /// User `user`'s stored list positions; empty for an unknown user.
    func _range(_ user: Int) -> Range<Int> {
        user >= 0 && user < userCount ? listStart[user]..<listStart[user + 1] : 0..<0
    }

    /// The user's stored list without the excluded items, cut at `k`.
    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        var out: [ScoredItem] = []
        guard k > 0 else { return out }
        for n in _range(user) where !exclude.contains(items[n]) {
            out.append(ScoredItem(item: items[n], score: scores[n]))
            if out.count == k { break }
        }
        return out
    }

    /// The run's score of each item for `user`; −∞ for an item the user's list does not hold.
    public func scores(user: Int, items wanted: [Int32]) -> [Float] {
        var score: [Int32: Float] = [:]
        for n in _range(user) { score[items[n]] = scores[n] }
        return wanted.map { score[$0] ?? -.infinity }
    }

    /// Items that share lists with `item`, by how many users' lists hold both (ties by index), never `item`.
    /// - Complexity: O(lines of the run).
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0 && item < itemCount, k > 0 else { return [] }
        var together = [Float](repeating: 0, count: itemCount)
        for u in 0..<userCount {
            let range = listStart[u]..<listStart[u + 1]
            guard items[range].contains(Int32(item)) else { continue }
            for n in range { together[Int(items[n])] += 1 }
        }
        together[item] = 0
        var top = TopK(k: k)
        for (i, c) in together.enumerated() where c > 0 { top.insert(item: Int32(i), score: c) }
        return top.sorted()
    }

    /// A what-if user is not in the run, so it gets no list.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] { [] }

    /// The run's own score, the one term there is: an imported run says nothing about why.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        let scored = user.index.map { scores(user: $0, items: items) } ?? items.map { _ in -Float.infinity }
        return zip(items, scored).map { ItemExplanation(item: $0, score: $1, contributions: [], terms: [.init("score in the run", $1)]) }
    }

    public func artifact() -> ModelArtifact {
        let lengths = (0..<userCount).map { Float(listStart[$0 + 1] - listStart[$0]) }
        return ModelArtifact(kind: kind, params: params, userCount: userCount, itemCount: itemCount,
                             arrays: ["run.lengths": ArtifactArray(column: lengths),
                                      "run.items": ArtifactArray(column: items.map { Float($0) }),
                                      "run.scores": ArtifactArray(column: scores)])
    }
}

extension ExternalRun: RegisteredModel {
    /// The registry's entry for every imported run; each run's own `kind` carries its name.
    public static var kind: ModelKind { .external("") }

    /// Runs are imported (`recscope import-run`), never trained; `ModelKind.train` refuses before this.
    public static func train(_ matrix: InteractionMatrix, configuration: Configuration, context: TrainingContext,
                             progress: TrainingProgress?) throws -> ExternalRun {
        throw ModelError.notTrainable(kind.rawValue)
    }
}
