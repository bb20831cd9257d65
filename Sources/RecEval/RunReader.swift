import RecCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a run file is laid out.
public enum RunFormat: String, Sendable, CaseIterable {
    /// Decide from the first line: six whitespace-separated fields with an integer 4th and a number 5th are
    /// TREC; otherwise a tab makes it TSV and a comma CSV.
    case auto
    /// `qid Q0 docid rank score tag`, whitespace-separated, no header (trec_eval, ranx, `export-run`).
    case trec
    /// Comma-separated, fields may be quoted ("a,b"; "" is a quote), with or without a header.
    case csv
    /// Tab-separated, with or without a header (Elliot writes `user item score` without one).
    case tsv
}

/// What a run file's score column was read as.
public enum RunScoreSource: String, Sendable {
    /// The file's own score column.
    case file
    /// No score column: score = 1 / rank.
    case reciprocalRank = "1/rank"
}

/// A run read from a file and mapped to dense indices: each user's list best first, in CSR form.
public struct ParsedRun: Sendable {
    public var format: RunFormat
    public var scoreSource: RunScoreSource
    /// The lines that held a run entry (blank lines and a header are not counted).
    public var lines: Int
    /// User u's list is `items[listStart[u]..<listStart[u + 1]]`, ordered by `ScoredItem.ranksBefore`.
    public var listStart: [Int]
    public var items: [Int32]
    public var scores: [Float]
    /// How many scores were lowered to the next float below to keep the file's order (see `RunReader`).
    public var nudgedScores: Int
    /// Users with at least one line.
    public var listedUsers: Int
}

/// Why a run file could not be read; the message names the file, the line and what was expected.
public struct RunFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Reads a TREC run (`qid Q0 docid rank score tag`) or a CSV/TSV run (user, item, and score or rank) made by
/// any tool, and maps its ids through the catalog's vocabularies.
///
/// CSV/TSV: a first line naming a user column (`user`, `user_id`, `userid`, `uid`, `qid`) and an item column
/// (`item`, `item_id`, `itemid`, `iid`, `docid`) is a header (RecBole's `user_id:token` suffixes are ignored,
/// case too); it must also name `score` (or `prediction`) or `rank`, and other columns are ignored. Without a
/// header the columns are `user, item, score`. A user's list is ordered by score descending, then the file's
/// rank, then item index; with ranks only, score = 1 / rank. Scores are kept as `Float`: where two lines that
/// the file orders apart become equal floats, the later one gets the next float below, so the stored order is
/// the file's and still score descending (`nudgedScores` counts them).
///
/// All or nothing: any malformed line, unknown user or item, or item listed twice for a user is an error, and
/// the unknown ids are counted over the whole file with the first examples and their line numbers.
public enum RunReader {
    /// How many unknown ids an error quotes.
    static let examples = 5

    public static func read(path: String, format: RunFormat = .auto, users: Vocabulary, items: Vocabulary) throws -> ParsedRun {
        var bytes = try _readFile(path)
        bytes.append(0)  // strtod stops at it
        return try bytes.withUnsafeBufferPointer { buffer in
            var parser = _Parser(path: path, bytes: UnsafeBufferPointer(rebasing: buffer.dropLast()), users: users, items: items)
            return try parser.parse(format)
        }
    }

    static func _readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw RunFileError("\(path): cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            out.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        if ferror(file) != 0 { throw RunFileError("\(path): read failed: \(String(cString: strerror(errno)))") }
        return out
    }
}

/// The columns of a CSV/TSV run.
struct _RunColumns {
    var user = 0, item = 1
    var score: Int? = 2
    var rank: Int?
    var count = 3

    static let userNames: Set<String> = ["user", "user_id", "userid", "uid", "qid"]
    static let itemNames: Set<String> = ["item", "item_id", "itemid", "iid", "docid"]
    static let scoreNames: Set<String> = ["score", "prediction"]

    /// The columns a header names; nil when `fields` is not a header (names no user and item column).
    init?(header fields: [String], path: String) throws {
        let names = fields.map { f -> String in
            let lowered = f.lowercased().trimmingWhitespace
            return lowered.split(separator: ":", maxSplits: 1).first.map(String.init) ?? lowered
        }
        guard let u = names.firstIndex(where: Self.userNames.contains), let i = names.firstIndex(where: Self.itemNames.contains) else {
            return nil
        }
        user = u
        item = i
        score = names.firstIndex(where: Self.scoreNames.contains)
        rank = names.firstIndex(of: "rank")
        count = fields.count
        guard score != nil || rank != nil else {
            throw RunFileError("\(path):1: the header names no score or rank column (found \(fields.joined(separator: ", ")); expected score, prediction or rank)")
        }
    }

    init() {}
}

struct _Parser {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    let users: Vocabulary
    let items: Vocabulary

    // Entries in file order.
    var entryUser: [Int32] = [], entryItem: [Int32] = [], entryRank: [Int32] = [], entryScore: [Double] = []
    var entryLine: [Int32] = []
    var unknownUsers: [String: Int] = [:], unknownItems: [String: Int] = [:]
    var unknownUserLines = 0, unknownItemLines = 0
    var userExamples: [String] = [], itemExamples: [String] = []

    init(path: String, bytes: UnsafeBufferPointer<UInt8>, users: Vocabulary, items: Vocabulary) {
        self.path = path
        self.bytes = bytes
        self.users = users
        self.items = items
    }

    mutating func parse(_ requested: RunFormat) throws -> ParsedRun {
        guard let (s, e) = firstLine() else {
            throw RunFileError("\(path): no run lines (expected TREC lines `qid Q0 docid rank score tag`, or a CSV/TSV with user, item, and score or rank)")
        }
        var fields: [(Int, Int)] = []
        let format: RunFormat
        if requested == .auto {
            Self.split(bytes, s, e, delimiter: nil, into: &fields)
            let line = UnsafeBufferPointer(rebasing: bytes[s..<e])
            if fields.count == 6 && integer(fields[3]) != nil && number(fields[4]) != nil {
                format = .trec
            } else if line.contains(9) {
                format = .tsv
            } else if line.contains(44) {
                format = .csv
            } else {
                throw RunFileError("\(path):1: cannot tell the format (expected TREC `qid Q0 docid rank score tag`, or user, item and score separated by tabs or commas; or pass --format)")
            }
        } else {
            format = requested
        }
        var columns = _RunColumns()
        var skipFirst = false
        if format != .trec {
            var quoted: [String?] = []
            if format == .csv {
                guard Self.splitCSV(bytes, s, e, into: &fields, quoted: &quoted) else { throw RunFileError("\(path):1: a quote is not closed") }
            } else {
                Self.split(bytes, s, e, delimiter: 9, into: &fields)
            }
            let names = fields.enumerated().map { quoted.count > $0.offset ? quoted[$0.offset] ?? text($0.element) : text($0.element) }
            if let header = try _RunColumns(header: names, path: path) {
                columns = header
                skipFirst = true
            } else if fields.count != 3 {
                throw RunFileError("\(path):1: found \(fields.count) columns and no header (expected a header naming user, item, and score or rank, e.g. user,item,score; or exactly three columns user, item, score)")
            }
        }
        try readEntries(format: format, columns: columns, skipFirst: skipFirst)
        guard !entryUser.isEmpty || !unknownUsers.isEmpty || !unknownItems.isEmpty else {
            throw RunFileError("\(path): only a header, no run lines")
        }
        try reportUnknown()
        return try assemble(format: format, scoreSource: format == .trec || columns.score != nil ? .file : .reciprocalRank)
    }

    mutating func readEntries(format: RunFormat, columns: _RunColumns, skipFirst: Bool) throws {
        let expected: String
        switch format {
        case .trec, .auto: expected = "6 whitespace-separated fields `qid Q0 docid rank score tag`"
        case .csv, .tsv: expected = "\(columns.count) \(format == .csv ? "comma" : "tab")-separated fields"
        }
        let userColumn = format == .trec ? 0 : columns.user, itemColumn = format == .trec ? 2 : columns.item
        let rankColumn = format == .trec ? 3 : columns.rank, scoreColumn = format == .trec ? 4 : columns.score
        var fields: [(Int, Int)] = []
        var quoted: [String?] = []
        var first = true
        var lastUser: (start: Int, end: Int, index: Int32?)? = nil
        let bytes = self.bytes
        try Self.lineRanges(bytes) { s, e, line in
            defer { first = false }
            if first && skipFirst { return }
            switch format {
            case .trec, .auto: Self.split(bytes, s, e, delimiter: nil, into: &fields)
            case .tsv: Self.split(bytes, s, e, delimiter: 9, into: &fields)
            case .csv:
                guard Self.splitCSV(bytes, s, e, into: &fields, quoted: &quoted) else {
                    throw RunFileError("\(path):\(line): a quote is not closed (expected \(expected))")
                }
            }
            guard fields.count == (format == .trec ? 6 : columns.count) else {
                throw RunFileError("\(path):\(line): found \(fields.count) fields, expected \(expected)")
            }
            var rank: Int32 = 0
            if let rankColumn {
                guard let r = integer(fields[rankColumn]), r >= 1, r <= Int(Int32.max) else {
                    throw RunFileError("\(path):\(line): rank '\(text(trimmed(fields[rankColumn])))' is not a whole number ≥ 1")
                }
                rank = Int32(r)
            }
            var score = 1 / Double(rank)
            if let scoreColumn {
                guard let v = number(fields[scoreColumn]) else {
                    throw RunFileError("\(path):\(line): score '\(text(trimmed(fields[scoreColumn])))' is not a finite number")
                }
                score = v
            }
            // The user: most runs list a user's lines together, so compare with the last line's bytes first.
            let uf = format == .csv && quoted[userColumn] != nil ? (0, 0) : trimmed(fields[userColumn])
            var user: Int32?
            if let last = lastUser, uf.1 - uf.0 == last.end - last.start, uf.1 > uf.0,
               memcmp(bytes.baseAddress! + uf.0, bytes.baseAddress! + last.start, uf.1 - uf.0) == 0 {
                user = last.index
            } else {
                let id = format == .csv ? quoted[userColumn] ?? text(uf) : text(uf)
                user = users.lookup(id)
                if user == nil {
                    unknownUsers[id, default: 0] += 1
                    if userExamples.count < RunReader.examples && unknownUsers[id] == 1 { userExamples.append("'\(id)' (line \(line))") }
                }
                lastUser = uf.1 > uf.0 ? (uf.0, uf.1, user) : nil
            }
            if user == nil { unknownUserLines += 1 }
            let itemID = format == .csv ? quoted[itemColumn] ?? text(trimmed(fields[itemColumn])) : text(trimmed(fields[itemColumn]))
            let item = items.lookup(itemID)
            if item == nil {
                unknownItemLines += 1
                unknownItems[itemID, default: 0] += 1
                if itemExamples.count < RunReader.examples && unknownItems[itemID] == 1 { itemExamples.append("'\(itemID)' (line \(line))") }
            }
            guard let user, let item else { return }
            entryUser.append(user)
            entryItem.append(item)
            entryRank.append(rank)
            entryScore.append(score)
            entryLine.append(Int32(truncatingIfNeeded: line))
        }
    }

    func reportUnknown() throws {
        var parts: [String] = []
        if !unknownUsers.isEmpty {
            parts.append("\(unknownUsers.count) unknown user\(unknownUsers.count == 1 ? "" : "s") on \(unknownUserLines) line\(unknownUserLines == 1 ? "" : "s"), e.g. "
                         + userExamples.joined(separator: ", "))
        }
        if !unknownItems.isEmpty {
            parts.append("\(unknownItems.count) unknown item\(unknownItems.count == 1 ? "" : "s") on \(unknownItemLines) line\(unknownItemLines == 1 ? "" : "s"), e.g. "
                         + itemExamples.joined(separator: ", "))
        }
        guard parts.isEmpty else {
            throw RunFileError("\(path): " + parts.joined(separator: "; ")
                               + " (expected the catalog's own user and item ids; nothing was imported: import the run into the catalog its tool was trained on)")
        }
    }

    /// Groups the entries by user (counting sort, file order kept), orders each list, checks for repeats.
    func assemble(format: RunFormat, scoreSource: RunScoreSource) throws -> ParsedRun {
        let userCount = users.count
        var start = [Int](repeating: 0, count: userCount + 1)
        for u in entryUser { start[Int(u) + 1] += 1 }
        for u in 0..<userCount { start[u + 1] += start[u] }
        var fill = start
        var order = [Int](repeating: 0, count: entryUser.count)
        for (e, u) in entryUser.enumerated() {
            order[fill[Int(u)]] = e
            fill[Int(u)] += 1
        }
        var items = [Int32](repeating: 0, count: order.count)
        var scores = [Float](repeating: 0, count: order.count)
        var lastSeen = [Int32](repeating: -1, count: self.items.count)
        var seenAt = [Int32](repeating: 0, count: self.items.count)
        var nudged = 0, listed = 0
        for u in 0..<userCount where start[u + 1] > start[u] {
            listed += 1
            let range = start[u]..<start[u + 1]
            for n in range {
                let e = order[n], i = Int(entryItem[e])
                if lastSeen[i] == Int32(u) {
                    throw RunFileError("\(path):\(entryLine[e]): item '\(self.items.id(at: Int32(i)))' is listed twice for user '\(users.id(at: Int32(u)))' (first on line \(seenAt[i])); expected each item once per user")
                }
                lastSeen[i] = Int32(u)
                seenAt[i] = entryLine[e]
            }
            order[range].sort { a, b in
                if entryScore[a] != entryScore[b] { return entryScore[a] > entryScore[b] }
                if entryRank[a] != entryRank[b] { return entryRank[a] < entryRank[b] }
                return entryItem[a] < entryItem[b]
            }
            for n in range {
                let e = order[n]
                var score = Float(entryScore[e])
                if n > range.lowerBound {
                    let previous = ScoredItem(item: items[n - 1], score: scores[n - 1])
                    if !ScoredItem.ranksBefore(previous, ScoredItem(item: entryItem[e], score: score)) {
                        score = previous.score.nextDown
                        nudged += 1
                    }
                }
                items[n] = entryItem[e]
                scores[n] = score
            }
        }
        return ParsedRun(format: format, scoreSource: scoreSource, lines: entryUser.count, listStart: start, items: items,
                         scores: scores, nudgedScores: nudged, listedUsers: listed)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
