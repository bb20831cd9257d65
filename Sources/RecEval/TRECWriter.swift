import RecCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the score column of a TREC run holds.
public enum TRECScore: String, Sendable, Codable {
    /// `depth − rank + 1`: strictly decreasing, so every tool reads our exact order, ties included.
    /// trec_eval re-sorts by score and breaks ties by docno (descending); ranx's sort is not stable.
    /// With this column both recompute our metrics exactly; it is the default.
    case rankDerived
    /// The model's own score. Readable, but tied scores may be re-ordered by the tool that reads the file.
    case model
}

/// Why a TREC run or qrels could not be made; the message says what to change.
public enum TRECExportError: Error, CustomStringConvertible, Equatable {
    /// TREC columns are whitespace-separated, so an id or tag with whitespace (or an empty one) breaks them.
    case invalidField(kind: String, value: String)
    /// The file could not be opened or fully written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidField(let kind, let value):
            "TREC \(kind) \"\(value)\" is empty or holds whitespace, which would split its column; re-import with ids that have none, or pick another tag"
        case .cannotWrite(let path, let reason):
            "cannot write TREC file \(path): \(reason)"
        }
    }
}

/// Writes ranked lists as a TREC run (`qid Q0 docid rank score tag`) and held-out items as qrels
/// (`qid 0 docid 1`), with the caller's external ids, so trec_eval or ranx can recompute our metrics.
///
/// Output is deterministic: users ascending by dense index, rank 1 first, qrels items by dense index,
/// single spaces, `\n` line ends, scores as Swift's shortest round-trip decimal (`0.25`, `1e-05`).
public struct TRECWriter: Sendable {
    /// External user id per dense user index (the qid column).
    public let userIDs: [String]
    /// External item id per dense item index (the docid column).
    public let itemIDs: [String]

    /// - Throws: `TRECExportError.invalidField` for the first id that is empty or holds whitespace.
    public init(userIDs: [String], itemIDs: [String]) throws {
        if let bad = userIDs.first(where: Self.isInvalid) { throw TRECExportError.invalidField(kind: "user id", value: bad) }
        if let bad = itemIDs.first(where: Self.isInvalid) { throw TRECExportError.invalidField(kind: "item id", value: bad) }
        self.userIDs = userIDs
        self.itemIDs = itemIDs
    }

    static func isInvalid(_ field: String) -> Bool { field.isEmpty || field.contains(where: \.isWhitespace) }

    /// The run file text for `lists`, tagged `tag` (one word, e.g. the model name).
    /// - Throws: `TRECExportError.invalidField` when the tag is empty or holds whitespace.
    public func run(_ lists: RankedLists, tag: String, score: TRECScore = .rankDerived) throws -> String {
        if Self.isInvalid(tag) { throw TRECExportError.invalidField(kind: "run tag", value: tag) }
        var out = ""
        for (n, user) in lists.users.enumerated() {
            let qid = userIDs[user]
            for (p, entry) in lists.lists[n].enumerated() {
                let value: String
                switch score {
                case .rankDerived: value = String(lists.depth - p)
                case .model: value = "\(entry.score)"
                }
                out += "\(qid) Q0 \(itemIDs[Int(entry.item)]) \(p + 1) \(value) \(tag)\n"
            }
        }
        return out
    }

    /// The run as CSV with a header, `user,item,rank,score` (the model's own score), for tools that read tables
    /// (pandas, fairness toolkits). Ids are quoted when they hold a comma, quote or line break (RFC 4180).
    public func csv(_ lists: RankedLists) -> String {
        var out = "user,item,rank,score\n"
        for (n, user) in lists.users.enumerated() {
            let qid = Self.csvField(userIDs[user])
            for (p, entry) in lists.lists[n].enumerated() {
                out += "\(qid),\(Self.csvField(itemIDs[Int(entry.item)])),\(p + 1),\(entry.score)\n"
            }
        }
        return out
    }

    static func csvField(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }

    /// Writes the CSV run to `path` and the qrels to `path + ".qrels"`.
    public func writeCSV(_ lists: RankedLists, truth: InteractionMatrix, to path: String) throws {
        try Self.writeText(csv(lists), to: path)
        try Self.writeText(qrels(truth), to: path + ".qrels")
    }

    /// The qrels text: one line per held-out item of every user with at least one.
    public func qrels(_ truth: InteractionMatrix) -> String {
        var out = ""
        for user in 0..<truth.userCount {
            for item in truth.items(ofUser: user) {
                out += "\(userIDs[user]) 0 \(itemIDs[Int(item)]) 1\n"
            }
        }
        return out
    }

    /// Writes the run to `path` and the qrels to `path + ".qrels"`.
    public func write(_ lists: RankedLists, truth: InteractionMatrix, tag: String, to path: String,
                      score: TRECScore = .rankDerived) throws {
        try Self.writeText(try run(lists, tag: tag, score: score), to: path)
        try Self.writeText(qrels(truth), to: path + ".qrels")
    }

    static func writeText(_ text: String, to path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw TRECExportError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        if written != bytes.count || closed != 0 {
            throw TRECExportError.cannotWrite(path: path, reason: "short write (\(written) of \(bytes.count) bytes); is the disk full?")
        }
    }
}
