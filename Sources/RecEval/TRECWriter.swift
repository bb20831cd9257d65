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

/// A file could not be written; the message says which and why.
public struct TRECWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write TREC file \(path): \(reason)" }
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

    public init(userIDs: [String], itemIDs: [String]) {
        precondition((userIDs + itemIDs).allSatisfy { !$0.isEmpty && !$0.contains(where: \.isWhitespace) },
                     "TREC ids must be non-empty and hold no whitespace")
        self.userIDs = userIDs
        self.itemIDs = itemIDs
    }

    /// The run file text for `lists`, tagged `tag` (no whitespace).
    public func run(_ lists: RankedLists, tag: String, score: TRECScore = .rankDerived) -> String {
        precondition(!tag.isEmpty && !tag.contains(where: \.isWhitespace), "the run tag must be one word")
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
        try Self.writeText(run(lists, tag: tag, score: score), to: path)
        try Self.writeText(qrels(truth), to: path + ".qrels")
    }

    static func writeText(_ text: String, to path: String) throws {
        guard let file = fopen(path, "wb") else {
            throw TRECWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        if written != bytes.count || closed != 0 {
            throw TRECWriteError(path: path, reason: "short write (\(written) of \(bytes.count) bytes); is the disk full?")
        }
    }
}
