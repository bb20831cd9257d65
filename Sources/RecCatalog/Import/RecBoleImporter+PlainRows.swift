/// The columns a plain-row loop reads, as field positions (-1 when the header has no such column).
private struct PlainColumns {
    let count: Int, user: Int, item: Int, time: Int, value: Int, session: Int, event: Int

    init(_ layout: InterLayout) {
        count = layout.columns.count
        user = layout.user
        item = layout.item
        time = layout.time ?? -1
        value = layout.value ?? -1
        session = layout.session ?? -1
        event = layout.event ?? -1
    }
}

extension RecBoleImporter {
    /// Reads the rows in `range` like `readPart`, for a header without extra columns, splitting each line
    /// at its tabs in place of building a `Record`. A line that is anything but a plain good row (blank,
    /// the wrong number of fields, an empty id, an unknown id of a closed set, a number `NumberParser`
    /// refuses, a new token that is not UTF-8) goes through `appendRow`, so it gets exactly the general
    /// reader's rows and errors.
    /// - Complexity: O(bytes in `range`) plus one hash-table probe per token.
    static func readPlainRows(_ file: SourceFile, _ range: Range<Int>, _ firstLine: Int, _ layout: InterLayout,
                              _ closedUsers: TokenInterner?, _ closedItems: TokenInterner?, _ rows: Int,
                              _ progress: ImportProgress?, _ progressScale: Int) -> InteractionPart {
        var part = InteractionPart()
        part.reserve(rows)
        let columns = PlainColumns(layout)
        var block = RowBlock()
        defer { block.deallocate() }
        file.bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: columns.count + 1) { bounds in
                // Field k of a line is bounds[k] ..< bounds[k + 1] - 1.
                let bounds = bounds.baseAddress!
                let end = range.upperBound
                var pos = range.lowerBound
                var line = firstLine
                while pos < end {
                    var p = pos
                    var fields = 0
                    bounds[0] = pos
                    while true {
                        while p < end {
                            let c = base[p]
                            if c <= 13 && (c == 9 || c == 10 || c == 13) { break }
                            p &+= 1
                        }
                        fields &+= 1
                        if fields <= columns.count { bounds[fields] = p &+ 1 }
                        if p < end && base[p] == 9 { p &+= 1 } else { break }
                    }
                    // p is at the line's end: LF, CR (of a CRLF or alone) or the end of the range.
                    let ended = p < end
                    let next = !ended ? p : base[p] == 13 && p &+ 1 < end && base[p &+ 1] == 10 ? p &+ 2 : p &+ 1
                    if fields == columns.count
                        && appendPlainRow(buf, bounds, line: line, columns, to: &block, tables: &part,
                                          users: closedUsers, items: closedItems) {
                        if block.count == RowBlock.capacity { block.flush(into: &part) }
                    } else {
                        block.flush(into: &part)
                        do throws(ImportError) {
                            try DelimitedReader.forEachRecord(in: file, delimiter: 9, quoting: false, range: pos..<next,
                                                              firstLine: line) { (record: inout Record) throws(ImportError) in
                                try appendRow(record, to: &part, layout, users: closedUsers, items: closedItems)
                            }
                        } catch {
                            part.error = error
                            return
                        }
                    }
                    if let progress, (part.user.count &+ block.count) & 0xFFFF == 0 {
                        let rows = part.user.count &+ block.count
                        progress.update(bytes: (pos - range.lowerBound) * progressScale, rows: rows * progressScale)
                    }
                    if ended { line &+= 1 }
                    pos = next
                }
                block.flush(into: &part)
                part.nextLine = line
            }
        }
        return part
    }

    /// Adds the row whose fields `bounds` holds to `block` when every field is plain; adds nothing and
    /// returns false when any needs `appendRow` (so a row that falls back has interned nothing).
    @inline(__always)
    private static func appendPlainRow(_ buf: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeMutablePointer<Int>, line: Int,
                                       _ columns: PlainColumns, to block: inout RowBlock, tables part: inout InteractionPart,
                                       users closedUsers: TokenInterner?, items closedItems: TokenInterner?) -> Bool {
        let base = buf.baseAddress!
        let userStart = bounds[columns.user], userEnd = bounds[columns.user &+ 1] &- 1
        let itemStart = bounds[columns.item], itemEnd = bounds[columns.item &+ 1] &- 1
        if userStart == userEnd || itemStart == itemEnd { return false }
        var time = 0.0
        if columns.time >= 0 {
            guard let t = NumberParser.parse(buf, bounds[columns.time], bounds[columns.time &+ 1] &- 1) else { return false }
            time = t
        }
        var value = Double.nan
        if columns.value >= 0 {
            let start = bounds[columns.value], end = bounds[columns.value &+ 1] &- 1
            if start != end {
                guard let v = NumberParser.parse(buf, start, end) else { return false }
                value = v
            }
        }
        let userKey = TokenInterner.key(base, userStart, userEnd, readableEnd: buf.count)
        let user = closedUsers.map { PlainToken(closed: $0, base, userStart, userEnd, userKey) }
            ?? PlainToken(open: part.users, base, userStart, userEnd, userKey)
        if !user.acceptable { return false }
        let itemKey = TokenInterner.key(base, itemStart, itemEnd, readableEnd: buf.count)
        let item = closedItems.map { PlainToken(closed: $0, base, itemStart, itemEnd, itemKey) }
            ?? PlainToken(open: part.items, base, itemStart, itemEnd, itemKey)
        if !item.acceptable { return false }
        let session = PlainToken.label(columns.session, part.sessions, buf, bounds)
        if !session.acceptable { return false }
        let event = PlainToken.label(columns.event, part.events, buf, bounds)
        if !event.acceptable { return false }
        let row = block.count
        block.user[row] = user.index(interningIn: &part.users, base)
        block.item[row] = item.index(interningIn: &part.items, base)
        block.time[row] = time
        block.value[row] = value
        block.session[row] = session.index(interningIn: &part.sessions, base)
        block.event[row] = event.index(interningIn: &part.events, base)
        block.line[row] = Int32(truncatingIfNeeded: line)
        block.count = row &+ 1
        return true
    }
}

/// Rows read but not yet in the part's columns: written in place, appended to the columns a block at a
/// time (one append per column per block instead of per row).
private struct RowBlock {
    static let capacity = 256
    let user = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let item = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let time = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let value = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let session = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let event = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let line = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    var count = 0

    mutating func flush(into part: inout InteractionPart) {
        if count == 0 { return }
        part.user.append(contentsOf: UnsafeBufferPointer(start: user, count: count))
        part.item.append(contentsOf: UnsafeBufferPointer(start: item, count: count))
        part.time.append(contentsOf: UnsafeBufferPointer(start: time, count: count))
        part.value.append(contentsOf: UnsafeBufferPointer(start: value, count: count))
        part.session.append(contentsOf: UnsafeBufferPointer(start: session, count: count))
        part.event.append(contentsOf: UnsafeBufferPointer(start: event, count: count))
        part.line.append(contentsOf: UnsafeBufferPointer(start: line, count: count))
        count = 0
    }

    func deallocate() {
        for p in [user, item, session, event, line] { p.deallocate() }
        time.deallocate()
        value.deallocate()
    }
}

/// One token of a plain row, looked up but not yet interned.
private struct PlainToken {
    var start = 0, end = 0, key = TokenInterner.Key(hash: 0, head: 0, tagAndLength: 0)
    var probe = TokenInterner.Probe(index: -1, slot: 0)
    /// False when the row must go through `appendRow` (unknown id of a closed set, or new and not UTF-8).
    var acceptable = true
    /// -1 for an absent label (the column is missing or the field empty).
    var absent = false

    @inline(__always)
    init(closed: TokenInterner, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ key: TokenInterner.Key) {
        probe = closed.find(base, start, end, key: key)
        acceptable = probe.index >= 0
    }

    @inline(__always)
    init(open: TokenInterner, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ key: TokenInterner.Key) {
        self.start = start
        self.end = end
        self.key = key
        probe = open.find(base, start, end, key: key)
        if probe.index < 0 {
            acceptable = TokenInterner.isValidUTF8(UnsafeBufferPointer(start: base + start, count: end &- start))
        }
    }

    @inline(__always)
    private init() { absent = true }

    /// The label in field `column` (absent when there is no such column or the field is empty).
    @inline(__always)
    static func label(_ column: Int, _ names: TokenInterner, _ buf: UnsafeBufferPointer<UInt8>,
                      _ bounds: UnsafeMutablePointer<Int>) -> PlainToken {
        guard column >= 0, bounds[column] != bounds[column &+ 1] &- 1 else { return PlainToken() }
        let base = buf.baseAddress!, start = bounds[column], end = bounds[column &+ 1] &- 1
        return PlainToken(open: names, base, start, end, TokenInterner.key(base, start, end, readableEnd: buf.count))
    }

    /// The token's index, interning it now when it is new.
    @inline(__always)
    func index(interningIn table: inout TokenInterner, _ base: UnsafePointer<UInt8>) -> Int32 {
        if absent { return -1 }
        if probe.index >= 0 { return probe.index }
        return table.insert(base, start, end, key: key, at: probe)
    }
}
