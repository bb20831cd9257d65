/// Where the columns the catalog knows sit in an `.inter` file's header.
struct InterLayout {
    var columns: [AtomicColumn]
    var user = 0, item = 0
    var time: Int?, value: Int?, session: Int?, event: Int?
    var extra: [Int] = []
}

/// The interactions read from one byte range of an `.inter` file: ids interned in a local table (or, for
/// ids that must come from a `.user`/`.item` file, looked up in the batch's), columns in source order.
struct InteractionPart {
    var users = TokenInterner(), items = TokenInterner(), sessions = TokenInterner(), events = TokenInterner()
    var user: [Int32] = [], item: [Int32] = [], time: [Double] = [], value: [Double] = []
    var session: [Int32] = [], event: [Int32] = [], line: [Int32] = [], extra: [String?] = []
    /// The first bad row of the range, when there was one (reading stops there).
    var error: ImportError?
}

extension RecBoleImporter {
    /// Reads the interactions, in two halves on two threads when the file is large, then joins the
    /// halves in file order so every index and message is the same as one pass would give. Files of
    /// more than `splitAbove` bytes are split.
    static func readInteractions(_ file: SourceFile, into batch: inout ImportBatch, closedUsers: Bool,
                                 closedItems: Bool, splitAbove: Int = 4 << 20) throws(ImportError) {
        let (layout, bodyStart, bodyLine) = try interHeader(file)
        batch.hasSourceSessions = layout.session != nil
        let bodyEnd = file.bytes.count
        var split = bodyEnd
        if bodyEnd - bodyStart > splitAbove {
            split = file.bytes.withUnsafeBufferPointer { DelimitedReader.endOfLine($0, from: (bodyStart + bodyEnd) / 2).end }
        }
        let progress = ImportProgress(label: file.path, totalBytes: file.bytes.count)
        let sharedUsers = batch.users, sharedItems = batch.items
        var first = InteractionPart(), second = InteractionPart()
        Concurrently.run({
            first = readPart(file, bodyStart..<split, firstLine: bodyLine, layout, users: closedUsers ? sharedUsers : nil,
                             items: closedItems ? sharedItems : nil, progress: progress, progressScale: split == bodyEnd ? 1 : 2)
        }, {
            guard split < bodyEnd else { return }
            let line = bodyLine + file.bytes.withUnsafeBufferPointer { DelimitedReader.lineEnds($0, in: bodyStart..<split) }
            second = readPart(file, split..<bodyEnd, firstLine: line, layout, users: closedUsers ? sharedUsers : nil,
                              items: closedItems ? sharedItems : nil, progress: nil, progressScale: 0)
        })
        for part in [first, second] {
            if let error = part.error { throw error }
        }
        batch.reserve(first.user.count + second.user.count)
        for part in [first, second] { join(part, into: &batch, closedUsers: closedUsers, closedItems: closedItems) }
        progress.finish(rows: batch.interUser.count)
        if batch.interactionCount == 0 {
            throw ImportError(file: file.path, "has a header but no interaction rows (expected at least one)")
        }
    }

    /// The header's layout, where the rows start, and the line number of the first row.
    private static func interHeader(_ file: SourceFile) throws(ImportError) -> (InterLayout, Int, Int) {
        // The header is the first non-empty line; the reader parses it as one record.
        let (end, line) = file.bytes.withUnsafeBufferPointer { buf -> (Int, Int) in
            var pos = buf.count >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0
            var line = 1
            while pos < buf.count && (buf[pos] == 10 || buf[pos] == 13) {
                pos = DelimitedReader.endOfLine(buf, from: pos).end
                line += 1
            }
            return (pos < buf.count ? DelimitedReader.endOfLine(buf, from: pos).end : pos, line)
        }
        var layout: InterLayout?
        try DelimitedReader.forEachRecord(in: file, delimiter: 9, quoting: false, range: 0..<end) { (record: inout Record) throws(ImportError) in
            let columns = try header(record)
            var l = InterLayout(columns: columns)
            l.user = try idColumn("user_id", in: columns, record: record)
            l.item = try idColumn("item_id", in: columns, record: record)
            l.time = column(["timestamp", "time", "ts"], in: columns)
            l.value = column(valueColumns, in: columns)
            l.session = column(["session_id", "session"], in: columns)
            l.event = column(eventColumns, in: columns)
            let used = Set([l.user, l.item, l.time, l.value, l.session, l.event].compactMap { $0 })
            l.extra = (0..<columns.count).filter { !used.contains($0) }
            if let t = l.time, columns[t].type != .float {
                throw record.error("column '\(columns[t].name)' must be float (seconds since 1970), found \(columns[t].type.rawValue)")
            }
            if let v = l.value, columns[v].type != .float {
                throw record.error("column '\(columns[v].name)' must be float, found \(columns[v].type.rawValue)")
            }
            layout = l
        }
        guard let layout else { throw ImportError(file: file.path, "has no header line") }
        return (layout, end, line + 1)
    }

    /// Reads the rows in `range`. `users`/`items`, when given, are the only ids allowed (from the
    /// `.user`/`.item` file) and the part records their indices; otherwise it interns its own.
    private static func readPart(_ file: SourceFile, _ range: Range<Int>, firstLine: Int, _ layout: InterLayout,
                                 users closedUsers: TokenInterner?, items closedItems: TokenInterner?,
                                 progress: ImportProgress?, progressScale: Int) -> InteractionPart {
        var part = InteractionPart()
        let rows = (range.count / 24) + 1
        part.user.reserveCapacity(rows); part.item.reserveCapacity(rows); part.time.reserveCapacity(rows)
        part.value.reserveCapacity(rows); part.session.reserveCapacity(rows); part.event.reserveCapacity(rows)
        part.line.reserveCapacity(rows)
        let columns = layout.columns
        do {
            try DelimitedReader.forEachRecord(in: file, delimiter: 9, quoting: false, range: range, firstLine: firstLine) { (record: inout Record) throws(ImportError) in
                if record.count != columns.count {
                    throw record.error("expected \(columns.count) tab-separated fields (per the header), found \(record.count)")
                }
                let uf = record.fields[layout.user], itf = record.fields[layout.item]
                if uf.start == uf.end { throw record.error("empty user_id (expected an id)") }
                if itf.start == itf.end { throw record.error("empty item_id (expected an id)") }
                if let closedUsers {
                    guard let user = closedUsers.lookup(record.buffer, uf.start, uf.end) else {
                        throw record.error("user_id '\(token(record, uf))' is not in the .user file (every user must be listed there)")
                    }
                    part.user.append(user)
                } else {
                    let (user, isNew) = part.users.intern(record.buffer, uf.start, uf.end)
                    if isNew && !part.users.isValidUTF8(user) { throw record.error("user_id is not valid UTF-8") }
                    part.user.append(user)
                }
                if let closedItems {
                    guard let item = closedItems.lookup(record.buffer, itf.start, itf.end) else {
                        throw record.error("item_id '\(token(record, itf))' is not in the .item file (every item must be listed there)")
                    }
                    part.item.append(item)
                } else {
                    let (item, isNew) = part.items.intern(record.buffer, itf.start, itf.end)
                    if isNew && !part.items.isValidUTF8(item) { throw record.error("item_id is not valid UTF-8") }
                    part.item.append(item)
                }
                var ts = 0.0
                if let t = layout.time { ts = try record.double(t, column: columns[t].name) }
                part.time.append(ts)
                var value = Double.nan
                if let v = layout.value, !record.isEmpty(v) { value = try record.double(v, column: columns[v].name) }
                part.value.append(value)
                part.session.append(try label(record, layout.session, in: &part.sessions, what: "session id"))
                part.event.append(try label(record, layout.event, in: &part.events, what: "event"))
                part.line.append(Int32(truncatingIfNeeded: record.line))
                if !layout.extra.isEmpty {
                    var pairs: [(String, JSONValue)] = []
                    for i in layout.extra {
                        if let v = try attribute(record, i, columns[i]) { pairs.append((columns[i].name, v)) }
                    }
                    part.extra.append(JSONText.object(pairs))
                }
                if let progress, part.user.count & 0xFFFF == 0 {
                    progress.update(bytes: (record.fields[0].start - range.lowerBound) * progressScale, rows: part.user.count * progressScale)
                }
            }
        } catch {
            part.error = error
        }
        return part
    }

    /// The interned label of an optional column (-1 when the column is absent or the field empty).
    @inline(__always)
    private static func label(_ record: Record, _ column: Int?, in names: inout TokenInterner,
                              what: String) throws(ImportError) -> Int32 {
        guard let c = column, !record.isEmpty(c) else { return -1 }
        let f = record.fields[c]
        let (index, isNew) = names.intern(record.buffer, f.start, f.end)
        if isNew && !names.isValidUTF8(index) { throw record.error("\(what) is not valid UTF-8") }
        return index
    }

    private static func token(_ record: Record, _ f: FieldRange) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: record.buffer[f.start..<f.end]), as: UTF8.self)
    }

    /// Appends a part to the batch, mapping its local token indices to the batch's (interning new
    /// tokens in the part's order of first appearance, so indices match a single pass).
    private static func join(_ part: InteractionPart, into batch: inout ImportBatch, closedUsers: Bool, closedItems: Bool) {
        func remap(_ local: TokenInterner, into shared: inout TokenInterner) -> [Int32] {
            (0..<local.count).map { t in
                local.withBytes(Int32(t)) { shared.intern($0, 0, $0.count).0 }
            }
        }
        let users = closedUsers ? nil : remap(part.users, into: &batch.users)
        let items = closedItems ? nil : remap(part.items, into: &batch.items)
        let sessions = remap(part.sessions, into: &batch.sessionNames)
        let events = remap(part.events, into: &batch.eventNames)
        if let users { batch.interUser += part.user.map { users[Int($0)] } } else { batch.interUser += part.user }
        if let items { batch.interItem += part.item.map { items[Int($0)] } } else { batch.interItem += part.item }
        batch.interTime += part.time
        batch.interValue += part.value
        batch.interSession += part.session.map { $0 < 0 ? -1 : sessions[Int($0)] }
        batch.interEvent += part.event.map { $0 < 0 ? -1 : events[Int($0)] }
        batch.interLine += part.line
        batch.interExtra += part.extra
    }
}
