import RecCore

/// An import's rows written a piece at a time: the interactions cut into runs of whole users in
/// `(user, ts, id)` order, the postings into runs of whole items in `(item, ts, id)` order, so the writer
/// holds one or two pieces in table order instead of every row twice over (40 + 24 bytes a row: 1.5 GB
/// at 24M rows). Each piece is made by one sequential pass over the batch's columns that scatters its
/// rows (`TableOrder.scatter`) from the positions `PieceMembers` listed for it.
struct ImportPieces {
    /// How many rows a piece holds at most (a key with more rows is a piece of its own): 2M interaction
    /// rows are 80 MB.
    static let rowsPerPiece = 1 << 20

    /// One run of whole keys (users or items) and how many rows it holds.
    struct Span {
        var keys: Range<Int>
        var rows: Int
    }

    /// Consecutive spans of keys with about `rowsPerPiece` rows each; keys with no rows fall in any span.
    static func spans(counts: [Int], rowsPerPiece: Int = rowsPerPiece) -> [Span] {
        var spans: [Span] = []
        var first = 0, rows = 0
        for k in counts.indices {
            if rows > 0 && rows + counts[k] > rowsPerPiece {
                spans.append(Span(keys: first..<k, rows: rows))
                first = k
                rows = 0
            }
            rows += counts[k]
        }
        if rows > 0 || spans.isEmpty { spans.append(Span(keys: first..<counts.count, rows: rows)) }
        return spans
    }
}

/// The source positions of each span's rows, in source order, back to back: one pass over a key column
/// finds every piece's rows, so making the pieces costs O(rows) in all, not a pass per piece (which grows
/// as rows × pieces, that is with the square of the rows).
struct PieceMembers {
    private var positions: [Int32]
    private var starts: [Int]

    init(count: Int, spans: [ImportPieces.Span], keyCount: Int, key: (Int) -> Int) {
        var pieceOf = [Int32](repeating: 0, count: keyCount)
        starts = [0]
        for (p, span) in spans.enumerated() {
            for k in span.keys { pieceOf[k] = Int32(p) }
            starts.append(starts[p] + span.rows)
        }
        var cursor = starts
        positions = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
            cursor.withUnsafeMutableBufferPointer { cursor in
                pieceOf.withUnsafeBufferPointer { pieceOf in
                    for n in 0..<count {
                        let p = Int(pieceOf[key(n)])
                        buffer[cursor[p]] = Int32(truncatingIfNeeded: n)
                        cursor[p] &+= 1
                    }
                }
            }
            initialized = count
        }
    }

    /// Calls `body` with the source positions of piece `piece`.
    func withPiece<R>(_ piece: Int, _ body: (UnsafeBufferPointer<Int32>) -> R) -> R {
        positions.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[starts[piece]..<starts[piece + 1]])) }
    }
}

/// One piece of the interactions in `(user, ts, id)` order with its sessions (numbered within the
/// piece; the piece's first session is the import's session `firstSession`) and its kept counts.
struct InteractionPiece {
    var rows: [InteractionRow]
    /// The sessions; each one's `label` indexes `labels` (-1 without one).
    var sessions: [SessionRow]
    /// The sessions' source labels, copied in session order.
    var labels: LabelText
    var firstSession: Int
    var perUser: [KeptCounts.UserSpan]
    var perDay: [Int64: Int]
}

/// Session labels back to back: label `n` is `bytes[starts[n]..<starts[n + 1]]`.
struct LabelText {
    var bytes: [UInt8] = []
    var starts: [Int] = [0]

    /// Appends `count` bytes at `text` as the next label and returns its index.
    mutating func append(_ text: UnsafePointer<UInt8>, count: Int) -> Int32 {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text, count: count))
        starts.append(bytes.count)
        return Int32(starts.count - 2)
    }
}

/// One session as the writer inserts it: the source's label as a token of the batch's session names
/// (-1 without one), so no String is made per session; in a piece, an index of its `labels`.
struct SessionRow {
    var user: Int32
    var label: Int32
    var start: Double
    var end: Double
    var length: Int64
}

extension ImportPieces {
    /// The rows of users `span.keys` (catalog indices through `userMap`) in `(user, ts, id)` order, their
    /// sessions (the source's labels when it has them, else gaps longer than `gap` seconds) and counts.
    /// `labels` is the label table `Sessionizer.byLabels` keeps between pieces; pieces are made in order.
    static func interactions(_ batch: ImportBatch, userMap: [Int32], itemMap: [Int32], userCounts: [Int],
                             span: Span, members: UnsafeBufferPointer<Int32>, gap: Double, firstSession: Int,
                             labels: inout Sessionizer.LabelSlots) -> InteractionPiece {
        var rows = batch.interUser.withUnsafeBufferPointer { users in
            userMap.withUnsafeBufferPointer { userMap in
                TableOrder.scatter(count: users.count, members: members, keys: span.keys, rows: span.rows, counts: userCounts,
                                   key: { Int(userMap[Int(users[$0])]) }, make: { n in
                    InteractionRow(user: userMap[Int(users[n])], item: itemMap[Int(batch.interItem[n])],
                                   source: Int32(truncatingIfNeeded: n), line: batch.interLine[n],
                                   ts: batch.interTime[n], value: batch.interValue[n])
                }, time: { $0.ts }, source: { $0.source })
            }
        }
        var sessions: [SessionRow] = rows.withUnsafeMutableBufferPointer { rows in
            if batch.hasSourceSessions {
                return batch.interSession.withUnsafeBufferPointer { label in
                    Sessionizer.byLabels(count: rows.count, gap: gap, slots: &labels,
                                         user: { rows[$0].user }, time: { rows[$0].ts },
                                         label: { label[Int(rows[$0].source)] }, assign: { rows[$0].session = $1 })
                }
            }
            return Sessionizer.splitByGap(count: rows.count, gap: gap, user: { rows[$0].user }, time: { rows[$0].ts },
                                          assign: { rows[$0].session = $1 })
                .map { SessionRow(user: $0.user, label: -1, start: $0.start, end: $0.end, length: Int64($0.length)) }
        }
        // The labels' text in session order, so the writer reads it front to back: looked up in the
        // batch's table of every label (6.8M at 24M rows, in no useful order) it cost a tenth of the writer.
        var labelText = LabelText()
        if batch.hasSourceSessions {
            batch.sessionNames.withStorage { bytes, starts in
                for n in sessions.indices where sessions[n].label >= 0 {
                    let t = Int(sessions[n].label)
                    sessions[n].label = labelText.append(bytes + starts[t], count: starts[t + 1] - starts[t])
                }
            }
        }
        var perUser: [KeptCounts.UserSpan] = []
        var perDay: [Int64: Int] = [:]
        var day = Int64.min, dayCount = 0
        for row in rows {
            if perUser.last?.user != Int64(row.user) { perUser.append(KeptCounts.UserSpan(user: Int64(row.user))) }
            let last = perUser.count - 1
            perUser[last].count += 1
            perUser[last].first = min(perUser[last].first, row.ts)
            perUser[last].last = max(perUser[last].last, row.ts)
            let d = Int64((row.ts / 86400).rounded(.down))
            if d != day {
                if dayCount > 0 { perDay[day, default: 0] += dayCount }
                day = d
                dayCount = 0
            }
            dayCount += 1
        }
        if dayCount > 0 { perDay[day, default: 0] += dayCount }
        // Sessions are in (user, start) order, like the users' runs: walk both together.
        var run = 0
        for s in sessions {
            while perUser[run].user != Int64(s.user) { run += 1 }
            perUser[run].sessions += 1
        }
        return InteractionPiece(rows: rows, sessions: sessions, labels: labelText, firstSession: firstSession, perUser: perUser, perDay: perDay)
    }

    /// The postings of items `span.keys` (catalog indices through `itemMap`) in `(item, ts, id)` order.
    static func postings(_ batch: ImportBatch, userMap: [Int32], itemMap: [Int32], itemCounts: [Int],
                         span: Span, members: UnsafeBufferPointer<Int32>) -> [PostingRow] {
        batch.interItem.withUnsafeBufferPointer { items in
            itemMap.withUnsafeBufferPointer { itemMap in
                TableOrder.scatter(count: items.count, members: members, keys: span.keys, rows: span.rows, counts: itemCounts,
                                   key: { Int(itemMap[Int(items[$0])]) }, make: { n in
                    PostingRow(item: itemMap[Int(items[n])], user: userMap[Int(batch.interUser[n])],
                               source: Int32(truncatingIfNeeded: n), ts: batch.interTime[n])
                }, time: { $0.ts }, source: { $0.source })
            }
        }
    }
}
