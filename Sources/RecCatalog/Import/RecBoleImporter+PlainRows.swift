extension RecBoleImporter {
    /// Reads the rows in `range` like `readPart`, splitting each line at its delimiters in place of
    /// building a `Record`. A line that is anything but a plain good row (blank, the wrong number of
    /// fields, a quote, an empty id, an unknown id of a closed set, a number `NumberParser` refuses, a new
    /// token that is not UTF-8) is read by the general reader and `rules.general`, so it gets exactly the
    /// general reader's rows and errors.
    /// - Complexity: O(bytes in `range`) plus one hash-table probe per token.
    static func readPlainRows(_ file: SourceFile, _ range: Range<Int>, _ firstLine: Int, _ rules: RowRules,
                              _ closedUsers: TokenInterner?, _ closedItems: TokenInterner?, _ rows: Int,
                              _ progress: ImportProgress?, _ progressScale: Int,
                              _ part: inout InteractionPart) {
        part.reserve(rows)
        var block = RowBlock()
        defer { block.deallocate() }
        file.bytes.withUnsafeBufferPointer { buf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: rules.fieldCount + 1) { bounds in
                var pos = range.lowerBound
                var line = firstLine
                var nextProgress = 0x10000
                while pos < range.upperBound {
                    block.scan(buf, from: pos, to: range.upperBound, line: line, rules, bounds: bounds.baseAddress!)
                    block.lookUp(buf, in: part, users: closedUsers, items: closedItems, utf8: rules.utf8Tokens)
                    block.commit(buf, into: &part, openUsers: closedUsers == nil, openItems: closedItems == nil,
                                 sessions: rules.session >= 0, events: rules.event >= 0)
                    let last = block.rows[block.count - 1]
                    pos = last.next
                    line = last.ended ? last.line &+ 1 : last.line
                    if !last.plain {
                        // One record (a quoted one may span lines), then the plain loop goes on after it.
                        do throws(ImportError) {
                            (pos, line) = try DelimitedReader.readRecords(
                                in: file, delimiter: rules.delimiter, quoting: rules.quoting,
                                range: last.start..<range.upperBound, firstLine: last.line, limit: 1
                            ) { (record: inout Record) throws(ImportError) in
                                try rules.general(record, &part, closedUsers, closedItems)
                            }
                        } catch {
                            part.error = error
                            return
                        }
                    }
                    if let progress, part.user.count >= nextProgress {
                        nextProgress = part.user.count + 0x10000
                        progress.update(bytes: (pos - range.lowerBound) * progressScale, rows: part.user.count * progressScale)
                    }
                }
                part.nextLine = line
            }
        }
    }
}

/// One token field of a pending row, its key and, once looked up, its index (-1 while not in the table).
private struct PendingToken {
    var start = 0, end = 0
    var index: Int32 = -1
    var key = TokenInterner.Key(hash: 0, head: 0, tagAndLength: 0)
    /// The first slot word `touch` loaded (kept so the load is not optimised away).
    var touched: UInt64 = 0

    /// An optional label's field is absent when its column is missing or the field is empty.
    var isAbsent: Bool { start == end }
}

/// One line of a block: where it lies, its fields, and whether it is plain (else `appendRow` reads it).
private struct PendingRow {
    var start = 0, next = 0, line = 0
    var ended = false, plain = false
    var user = PendingToken(), item = PendingToken(), session = PendingToken(), event = PendingToken()
    var time = 0.0, value = Double.nan
}

/// Up to `capacity` lines read in three passes: split them and parse their numbers (`scan`), look their
/// tokens up while no table changes, so the lookups' cache misses overlap (`lookUp`), then intern the new
/// tokens and append the rows in file order (`commit`). A block ends at its first line that is not plain.
private struct RowBlock {
    static let capacity = 128
    let rows = UnsafeMutablePointer<PendingRow>.allocate(capacity: capacity)
    let user = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let item = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let time = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let value = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let session = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let event = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let line = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    var count = 0

    init() { rows.initialize(repeating: PendingRow(), count: Self.capacity) }

    func deallocate() {
        rows.deinitialize(count: Self.capacity)
        rows.deallocate()
        for p in [user, item, session, event, line] { p.deallocate() }
        time.deallocate()
        value.deallocate()
    }

    /// Splits the lines from `pos` at their tabs and parses their numbers, until the block is full, a line
    /// is not plain (it is the block's last) or the range ends. `bounds` holds a line's field starts.
    @inline(__always)
    mutating func scan(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, line firstLine: Int,
                       _ rules: RowRules, bounds: UnsafeMutablePointer<Int>) {
        let base = buf.baseAddress!
        let delimiter = rules.delimiter, quoting = rules.quoting
        var pos = start, line = firstLine
        count = 0
        while count < Self.capacity && pos < end {
            // Field k is bounds[k] ..< bounds[k + 1] - 1.
            var p = pos
            var fields = 0
            bounds[0] = pos
            while true {
                p = LineScanner.nextBreak(base, from: p, to: end, readableEnd: buf.count, delimiter: delimiter, quoting: quoting)
                fields &+= 1
                if fields <= rules.fieldCount { bounds[fields] = p &+ 1 }
                if p < end && base[p] == delimiter { p &+= 1 } else { break }
            }
            // p is at the line's end (LF, CR of a CRLF or alone, or the end of the range) or at a quote.
            let quoted = p < end && base[p] == 34
            let ended = p < end
            let next = !ended ? p : base[p] == 13 && p &+ 1 < end && base[p &+ 1] == 10 ? p &+ 2 : p &+ 1
            let row = rows + count
            row.pointee.start = pos
            row.pointee.next = next
            row.pointee.line = line
            row.pointee.ended = ended
            row.pointee.plain = !quoted && fields == rules.fieldCount && Self.parse(buf, bounds, rules, into: row)
            count &+= 1
            if !row.pointee.plain { return }
            pos = next
            if ended { line &+= 1 }
        }
    }

    /// Fills a row's fields from `bounds`; false when an id is empty or a number is not plain.
    @inline(__always)
    private static func parse(_ buf: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeMutablePointer<Int>,
                              _ columns: RowRules, into row: UnsafeMutablePointer<PendingRow>) -> Bool {
        @inline(__always) func field(_ column: Int) -> PendingToken {
            column < 0 ? PendingToken() : PendingToken(start: bounds[column], end: bounds[column &+ 1] &- 1)
        }
        row.pointee.user = field(columns.user)
        row.pointee.item = field(columns.item)
        if row.pointee.user.isAbsent || row.pointee.item.isAbsent { return false }
        row.pointee.session = field(columns.session)
        row.pointee.event = field(columns.event)
        row.pointee.time = 0
        if columns.time >= 0 {
            guard let t = NumberParser.parse(buf, bounds[columns.time], bounds[columns.time &+ 1] &- 1) else { return false }
            row.pointee.time = t
        }
        row.pointee.value = .nan
        if columns.value >= 0 {
            let start = bounds[columns.value], end = bounds[columns.value &+ 1] &- 1
            if start != end || !columns.optionalValue {
                guard let v = NumberParser.parse(buf, start, end) else { return false }
                row.pointee.value = v
            }
        }
        return true
    }

    /// Finds every plain row's tokens in the tables as they stand; cuts the block at the first row with an
    /// id missing from a closed set or a token not yet interned that is not UTF-8 (that row is not plain).
    @inline(__always)
    mutating func lookUp(_ buf: UnsafeBufferPointer<UInt8>, in part: InteractionPart,
                         users closedUsers: TokenInterner?, items closedItems: TokenInterner?, utf8: Bool) {
        let users = closedUsers ?? part.users, items = closedItems ?? part.items
        // A session's rows usually follow one another: a row whose session label is the previous row's
        // takes its index (or, when that one is new, interns to it at commit) without a probe of the
        // label table, the largest table and the one whose probes miss the cache.
        let base = buf.baseAddress!
        for r in 0..<count where rows[r].plain {
            let row = rows + r
            Self.touch(&row.pointee.user, buf, users)
            Self.touch(&row.pointee.item, buf, items)
            if r > 0 && Self.sameToken(row.pointee.session, (row - 1).pointee.session, base, readableEnd: buf.count) {
                row.pointee.session.key = (row - 1).pointee.session.key
            } else {
                Self.touch(&row.pointee.session, buf, part.sessions)
            }
            Self.touch(&row.pointee.event, buf, part.events)
        }
        for r in 0..<count where rows[r].plain {
            let row = rows + r
            let repeatedSession = r > 0 && !row.pointee.session.isAbsent
                && Self.sameToken(row.pointee.session, (row - 1).pointee.session, base, readableEnd: buf.count)
            if repeatedSession { row.pointee.session.index = (row - 1).pointee.session.index }
            if !Self.find(&row.pointee.user, buf, users, closed: closedUsers != nil, utf8: utf8)
                || !Self.find(&row.pointee.item, buf, items, closed: closedItems != nil, utf8: utf8)
                || !(repeatedSession || Self.find(&row.pointee.session, buf, part.sessions, closed: false, utf8: utf8))
                || !Self.find(&row.pointee.event, buf, part.events, closed: false, utf8: utf8) {
                row.pointee.plain = false
                count = r &+ 1
                return
            }
        }
    }

    /// Whether two tokens of the buffer have the same bytes (both absent counts as the same).
    @inline(__always)
    private static func sameToken(_ a: PendingToken, _ b: PendingToken, _ base: UnsafePointer<UInt8>, readableEnd: Int) -> Bool {
        let n = a.end &- a.start
        guard n == b.end &- b.start else { return false }
        var i = 0
        while i < n {
            if base[a.start &+ i] != base[b.start &+ i] { return false }
            i &+= 1
        }
        return true
    }

    /// Computes a token's key and loads its first slot.
    @inline(__always)
    private static func touch(_ token: inout PendingToken, _ buf: UnsafeBufferPointer<UInt8>, _ table: TokenInterner) {
        if token.isAbsent { return }
        token.key = TokenInterner.key(buf.baseAddress!, token.start, token.end, readableEnd: buf.count)
        token.touched = table.touch(token.key)
    }

    /// Looks a token up; false when the row cannot be read plainly (a new token must be UTF-8 if `utf8`).
    @inline(__always)
    private static func find(_ token: inout PendingToken, _ buf: UnsafeBufferPointer<UInt8>, _ table: TokenInterner,
                             closed: Bool, utf8: Bool) -> Bool {
        if token.isAbsent { return true }
        let base = buf.baseAddress!
        token.index = table.find(base, token.start, token.end, key: token.key).index
        if token.index >= 0 { return true }
        if closed { return false }
        return !utf8 || TokenInterner.isValidUTF8(UnsafeBufferPointer(start: base + token.start, count: token.end &- token.start))
    }

    /// Interns the plain rows' new tokens in file order and appends the plain rows to `part`.
    @inline(__always)
    /// The session and event columns are appended only when the file has them (`sessions`, `events`).
    func commit(_ buf: UnsafeBufferPointer<UInt8>, into part: inout InteractionPart, openUsers: Bool, openItems: Bool,
                sessions: Bool, events: Bool) {
        let plain = rows[count &- 1].plain ? count : count &- 1
        for r in 0..<plain {
            let row = rows[r]
            user[r] = openUsers ? Self.intern(row.user, buf, &part.users) : row.user.index
            item[r] = openItems ? Self.intern(row.item, buf, &part.items) : row.item.index
            session[r] = r > 0 && row.session.index < 0 && !row.session.isAbsent
                && Self.sameToken(row.session, rows[r &- 1].session, buf.baseAddress!, readableEnd: buf.count)
                ? session[r &- 1] : Self.intern(row.session, buf, &part.sessions)
            event[r] = Self.intern(row.event, buf, &part.events)
            time[r] = row.time
            value[r] = row.value
            line[r] = Int32(truncatingIfNeeded: row.line)
        }
        if plain == 0 { return }
        part.user.append(contentsOf: UnsafeBufferPointer(start: user, count: plain))
        part.item.append(contentsOf: UnsafeBufferPointer(start: item, count: plain))
        part.time.append(contentsOf: UnsafeBufferPointer(start: time, count: plain))
        part.value.append(contentsOf: UnsafeBufferPointer(start: value, count: plain))
        if sessions { part.session.append(contentsOf: UnsafeBufferPointer(start: session, count: plain)) }
        if events { part.event.append(contentsOf: UnsafeBufferPointer(start: event, count: plain)) }
        part.line.append(contentsOf: UnsafeBufferPointer(start: line, count: plain))
    }

    /// The token's index (-1 for an absent label), interning it when `lookUp` did not find it.
    @inline(__always)
    private static func intern(_ token: PendingToken, _ buf: UnsafeBufferPointer<UInt8>, _ table: inout TokenInterner) -> Int32 {
        if token.isAbsent { return -1 }
        if token.index >= 0 { return token.index }
        // New when looked up; an earlier row of the block may have interned it since.
        let base = buf.baseAddress!
        let probe = table.find(base, token.start, token.end, key: token.key)
        if probe.index >= 0 { return probe.index }
        return table.insert(base, token.start, token.end, key: token.key, at: probe)
    }
}

/// Finds field and line breaks a word at a time.
enum LineScanner {
    /// The first position in `from..<to` holding a `delimiter`, LF, CR or (with `quoting`) a quote, or
    /// `to`. Bytes before `readableEnd` may be read (8 at a time while they fit).
    @inline(__always)
    static func nextBreak(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, readableEnd: Int,
                          delimiter: UInt8, quoting: Bool) -> Int {
        // Flags bytes equal to `byte` (the lowest flagged is exact: a borrow only flags bytes above it).
        @inline(__always) func equal(_ w: UInt64, _ byte: UInt8) -> UInt64 {
            let x = w ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
            return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
        }
        let quote: UInt8 = quoting ? 34 : 10
        var p = start
        while p < end && p &+ 8 <= readableEnd {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            // High bit of each byte below 14 (tab, LF, CR), of each delimiter and quote.
            var flags = (w &- 0x0E0E_0E0E_0E0E_0E0E) & ~w & 0x8080_8080_8080_8080
            if delimiter >= 14 { flags |= equal(w, delimiter) }
            if quoting { flags |= equal(w, 34) }
            if flags == 0 {
                p &+= 8
                continue
            }
            let at = p &+ flags.trailingZeroBitCount >> 3
            if at >= end { return end }
            let c = base[at]
            if c == delimiter || c == 10 || c == 13 || c == quote { return at }
            p = at &+ 1
        }
        while p < end {
            let c = base[p]
            if c == delimiter || c == 10 || c == 13 || c == quote { return p }
            p &+= 1
        }
        return end
    }
}
