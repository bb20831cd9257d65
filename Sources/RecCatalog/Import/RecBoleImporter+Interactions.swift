import Foundation
import RecCore

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
    /// The number the line after the range has (when the range was read to its end).
    var nextLine = 0

    mutating func reserve(_ rows: Int) {
        user.reserveCapacity(rows); item.reserveCapacity(rows); time.reserveCapacity(rows)
        value.reserveCapacity(rows); session.reserveCapacity(rows); event.reserveCapacity(rows)
        line.reserveCapacity(rows)
        HugePages.advise(&user); HugePages.advise(&item); HugePages.advise(&time); HugePages.advise(&value)
        HugePages.advise(&session); HugePages.advise(&event); HugePages.advise(&line)
    }
}

/// How an interaction file's rows are laid out and checked: the delimiter, the field positions the
/// plain-row loop reads (-1 when absent), and the general rules every other row goes through.
struct RowRules {
    var delimiter: UInt8 = 9
    /// `"`-quoted fields (CSV); a line holding a quote is always read by `general`.
    var quoting = false
    var fieldCount: Int
    var user: Int, item: Int
    var time = -1, value = -1, session = -1, event = -1
    /// An empty value field is a plain row without a value (else only `general` reads it).
    var optionalValue = true
    /// New ids and labels must be valid UTF-8 (false for Latin-1 ids).
    var utf8Tokens = true
    /// Whether the plain-row loop reads the rows (false: all through `general`, the reference reader).
    var plainRows = true
    /// Checks one record and appends it to the part (ids of the closed sets, when given, looked up there),
    /// or throws the row's error.
    var general: (Record, inout InteractionPart, TokenInterner?, TokenInterner?) throws(ImportError) -> Void
}

extension RecBoleImporter {
    /// Reads the interactions, in two halves on two threads when the file is large, then joins the
    /// halves in file order so every index and message is the same as one pass would give. Files of
    /// more than `splitAbove` bytes are split. `plainRows: false` reads every row through the general
    /// record reader (the reference the plain-row loop is tested against).
    static func readInteractions(_ file: SourceFile, into batch: inout ImportBatch, closedUsers: Bool,
                                 closedItems: Bool, splitAbove: Int = 4 << 20,
                                 plainRows: Bool = true) throws(ImportError) {
        let (layout, bodyStart, bodyLine) = try interHeader(file)
        batch.hasSourceSessions = layout.session != nil
        let rules = interRules(layout, plainRows: plainRows)
        try readRows(file, bodyStart..<file.bytes.count, firstLine: bodyLine, rules, into: &batch,
                     closedUsers: closedUsers, closedItems: closedItems, splitAbove: splitAbove)
        if batch.interactionCount == 0 {
            throw ImportError(file: file.path, "has a header but no interaction rows (expected at least one)")
        }
    }

    /// The rules of an `.inter` file with header `layout`.
    private static func interRules(_ layout: InterLayout, plainRows: Bool) -> RowRules {
        RowRules(fieldCount: layout.columns.count, user: layout.user, item: layout.item,
                 time: layout.time ?? -1, value: layout.value ?? -1, session: layout.session ?? -1,
                 event: layout.event ?? -1, plainRows: plainRows && layout.extra.isEmpty) {
            (record: Record, part: inout InteractionPart, users: TokenInterner?, items: TokenInterner?) throws(ImportError) in
            try appendRow(record, to: &part, layout, users: users, items: items)
        }
    }

    /// Reads a large `.inter` file piece by piece (`pieceBytes` each, cut at line ends), each piece like a
    /// whole file (two halves on two threads) and joined in file order: the same rows, indices, lines and
    /// first error as one read of the whole file, while only one piece of its bytes is held. The batch's
    /// columns are reserved for the whole file up front, so they grow without copies. Returns the file's
    /// record (its fingerprint summed over the pieces).
    /// - Complexity: O(bytes); memory O(rows) for the columns plus one piece.
    static func readInteractions(_ chunks: inout SourceChunks, pieceBytes: Int, into batch: inout ImportBatch,
                                 closedUsers: Bool, closedItems: Bool, splitAbove: Int = 4 << 20,
                                 plainRows: Bool = true) throws(ImportError) -> SourceRecord {
        guard var piece = try chunks.next(bytes: pieceBytes) else {
            throw ImportError(file: chunks.path, "is empty (expected a header line and data rows)")
        }
        let (layout, bodyStart, bodyLine) = try interHeader(piece)
        batch.hasSourceSessions = layout.session != nil
        let rules = interRules(layout, plainRows: plainRows)
        let body = piece.bytes.count - bodyStart
        if body > 0 {
            let sampled = piece.bytes.withUnsafeBufferPointer { estimatedRows($0, bodyStart..<piece.bytes.count) }
            batch.reserve(batch.interactionCount + Int(Double(sampled) * Double(chunks.size - bodyStart) / Double(body)))
        }
        let progress = ImportProgress(label: chunks.path, totalBytes: chunks.size)
        var start = bodyStart, line = bodyLine, pieceOffset = 0
        while true {
            progress.base = (bytes: pieceOffset, rows: batch.interactionCount)
            // The next piece is read (and its fingerprint summed) while this one is parsed: reading it
            // between pieces left a core idle for about a tenth of the read.
            var parsed: Result<Int, ImportError> = .success(line)
            var next: Result<SourceFile?, ImportError> = .success(nil)
            Parallel.both({
                parsed = Result { () throws(ImportError) -> Int in
                    try readRows(piece, start..<piece.bytes.count, firstLine: line, rules, into: &batch,
                                 closedUsers: closedUsers, closedItems: closedItems, splitAbove: splitAbove,
                                 progress: progress)
                }
            }, {
                next = Result { () throws(ImportError) -> SourceFile? in try chunks.next(bytes: pieceBytes) }
            })
            line = try parsed.get()
            pieceOffset += piece.bytes.count
            if pieceOffset == piece.bytes.count && batch.sessionNames.count > 0 {
                // The session table, sized once for the whole file at the first piece's rate (at most a
                // label a row), instead of doubling (and rehashing every label) as the file goes by.
                let projected = Double(batch.sessionNames.count) * Double(chunks.size) / Double(pieceOffset) * 1.05
                batch.sessionNames.reserve(min(Int(projected), batch.interUser.capacity))
            }
            guard let following = try next.get() else { break }
            piece = following
            start = 0
        }
        progress.base = (0, 0)
        progress.finish(rows: batch.interactionCount)
        if batch.interactionCount == 0 {
            throw ImportError(file: chunks.path, "has a header but no interaction rows (expected at least one)")
        }
        return SourceRecord(path: chunks.path, fingerprint: chunks.fingerprint)
    }

    /// Reads the rows in `body` (lines numbered from `firstLine`) by `rules` into the batch, in two halves
    /// on two threads when it holds more than `splitAbove` bytes, joined in file order. A quoted file is
    /// split only when its first half holds no quote, so no record crosses the split.
    /// Returns the number of the line after the body. `progress`, when given, is the caller's (a file
    /// read in pieces); otherwise this makes and finishes its own.
    @discardableResult
    static func readRows(_ file: SourceFile, _ body: Range<Int>, firstLine: Int, _ rules: RowRules,
                         into batch: inout ImportBatch, closedUsers: Bool, closedItems: Bool,
                         splitAbove: Int, progress given: ImportProgress? = nil) throws(ImportError) -> Int {
        let (bodyStart, bodyEnd) = (body.lowerBound, body.upperBound)
        var split = bodyEnd
        if bodyEnd - bodyStart > splitAbove {
            split = file.bytes.withUnsafeBufferPointer { buf in
                let split = DelimitedReader.endOfLine(buf, from: (bodyStart + bodyEnd) / 2).end
                let quoted = rules.quoting && memchr(buf.baseAddress! + bodyStart, 34, split - bodyStart) != nil
                return quoted ? bodyEnd : split
            }
        }
        // The first half is sized for the whole file, so the second can be appended to it in place.
        let rows = file.bytes.withUnsafeBufferPointer { estimatedRows($0, bodyStart..<bodyEnd) }
        let progress = given ?? ImportProgress(label: file.path, totalBytes: file.bytes.count)
        let users = closedUsers ? batch.users : nil, items = closedItems ? batch.items : nil
        let read = rules.plainRows ? readPlainRows : readPart
        // The first half interns into the batch's own tables (moved in and back by `join`), so its tokens
        // get the batch's indices at once and only the second half's tables are merged: a file read in
        // pieces would otherwise intern every token of every piece twice.
        var first = InteractionPart(), second = InteractionPart()
        // The second half of a piece of a large file meets most of the ids seen so far: sized for them,
        // its tables do not grow (and rehash) ten times over in every piece.
        if !closedUsers { second.users = TokenInterner(capacity: max(1024, batch.users.count)) }
        if !closedItems { second.items = TokenInterner(capacity: max(1024, batch.items.count)) }
        // Its session labels are mostly new ones: as many as the rows read so far had per row.
        if batch.interactionCount > 0 && batch.sessionNames.count > 0 && split < bodyEnd {
            let perRow = Double(batch.sessionNames.count) / Double(batch.interactionCount)
            let secondRows = Double(rows) * Double(bodyEnd - split) / Double(bodyEnd - bodyStart)
            second.sessions = TokenInterner(capacity: max(1024, Int(perRow * secondRows)))
        }
        if !closedUsers { swap(&first.users, &batch.users) }
        if !closedItems { swap(&first.items, &batch.items) }
        swap(&first.sessions, &batch.sessionNames)
        swap(&first.events, &batch.eventNames)
        Parallel.both({
            read(file, bodyStart..<split, firstLine, rules, users, items, rows,
                 progress, split == bodyEnd ? 1 : 2, &first)
        }, {
            guard split < bodyEnd else { return }
            // Numbered from 1 here; shifted once the first half has counted its lines.
            let rows = file.bytes.withUnsafeBufferPointer { estimatedRows($0, split..<bodyEnd) }
            read(file, split..<bodyEnd, 1, rules, users, items, rows, nil, 0, &second)
        })
        if let error = first.error { throw error }
        let offset = first.nextLine - 1
        if let error = second.error {
            throw ImportError(file: error.file, line: error.line.map { $0 + offset }, error.message)
        }
        join(&first, lineOffset: 0, into: &batch, closedUsers: closedUsers, closedItems: closedItems)
        join(&second, lineOffset: offset, into: &batch, closedUsers: closedUsers, closedItems: closedItems)
        if given == nil { progress.finish(rows: batch.interUser.count) }
        return split < bodyEnd ? second.nextLine + offset : first.nextLine
    }

    /// About how many rows `range` holds (line ends in its first 64 KiB, scaled, plus 5%): a capacity,
    /// not a count.
    static func estimatedRows(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        let sample = min(range.count, 1 << 16)
        if sample == 0 { return 0 }
        let lines = DelimitedReader.lineEnds(buf, in: range.lowerBound..<range.lowerBound + sample) + 1
        return Int(Double(range.count) / Double(sample) * Double(lines) * 1.05) + 16
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

    /// Reads the rows in `range` (lines numbered from `firstLine`) through the general record reader and rules.
    /// `users`/`items`, when given, are the only ids allowed (from the `.user`/`.item` file) and the part
    /// records their indices; otherwise it interns its own.
    static func readPart(_ file: SourceFile, _ range: Range<Int>, _ firstLine: Int, _ rules: RowRules,
                         _ closedUsers: TokenInterner?, _ closedItems: TokenInterner?, _ rows: Int,
                         _ progress: ImportProgress?, _ progressScale: Int,
                         _ part: inout InteractionPart) {
        part.reserve(rows)
        do {
            part.nextLine = try DelimitedReader.forEachRecord(in: file, delimiter: rules.delimiter, quoting: rules.quoting,
                                                              range: range, firstLine: firstLine) { (record: inout Record) throws(ImportError) in
                try rules.general(record, &part, closedUsers, closedItems)
                if let progress, part.user.count & 0xFFFF == 0 {
                    progress.update(bytes: (record.fields[0].start - range.lowerBound) * progressScale, rows: part.user.count * progressScale)
                }
            }
        } catch {
            part.error = error
        }
    }

    /// The index of the id in `field`: looked up in the `.user`/`.item` file's table when there is one
    /// (an unknown id is an error), else interned in the part's own table (a new id must be UTF-8).
    private static func id(_ record: Record, _ field: FieldRange, closed: TokenInterner?, local: inout TokenInterner,
                           column: String, file: String) throws(ImportError) -> Int32 {
        if let closed {
            guard let index = closed.lookup(record.buffer, field.start, field.end) else {
                throw record.error("\(column) '\(token(record, field))' is not in the \(file) file (every \(file.dropFirst()) must be listed there)")
            }
            return index
        }
        let (index, isNew) = local.intern(record.buffer, field.start, field.end)
        if isNew && !local.isValidUTF8(index) { throw record.error("\(column) is not valid UTF-8") }
        return index
    }

    /// Checks one row against the header and appends it to `part`: the row rules of an `.inter` file.
    static func appendRow(_ record: Record, to part: inout InteractionPart, _ layout: InterLayout,
                          users closedUsers: TokenInterner?, items closedItems: TokenInterner?) throws(ImportError) {
        let columns = layout.columns
        if record.count != columns.count {
            throw record.error("expected \(columns.count) tab-separated fields (per the header), found \(record.count)")
        }
        let uf = record.fields[layout.user], itf = record.fields[layout.item]
        if uf.start == uf.end { throw record.error("empty user_id (expected an id)") }
        if itf.start == itf.end { throw record.error("empty item_id (expected an id)") }
        let user = try id(record, uf, closed: closedUsers, local: &part.users, column: "user_id", file: ".user")
        let item = try id(record, itf, closed: closedItems, local: &part.items, column: "item_id", file: ".item")
        part.user.append(user)
        part.item.append(item)
        var ts = 0.0
        if let t = layout.time { ts = try record.double(t, column: columns[t].name) }
        part.time.append(ts)
        var value = Double.nan
        if let v = layout.value, !record.isEmpty(v) { value = try record.double(v, column: columns[v].name) }
        part.value.append(value)
        if layout.session != nil { part.session.append(try label(record, layout.session, in: &part.sessions, what: "session id")) }
        if layout.event != nil { part.event.append(try label(record, layout.event, in: &part.events, what: "event")) }
        part.line.append(Int32(truncatingIfNeeded: record.line))
        if !layout.extra.isEmpty {
            var pairs: [(String, JSONValue)] = []
            for i in layout.extra {
                if let v = try attribute(record, i, columns[i]) { pairs.append((columns[i].name, v)) }
            }
            part.extra.append(JSONText.object(pairs))
        }
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
    /// tokens in the part's order of first appearance, so indices match a single pass) and adding
    /// `lineOffset` to its line numbers. Into an empty batch the part's columns and tables move as they are.
    /// The user side (users, times, lines) and the rest go on two threads: they share no column.
    private static func join(_ part: inout InteractionPart, lineOffset: Int, into batch: inout ImportBatch,
                             closedUsers: Bool, closedItems: Bool) {
        var users = (table: take(&batch.users, TokenInterner()), column: take(&batch.interUser, []),
                     time: take(&batch.interTime, []), line: take(&batch.interLine, []))
        var items = (table: take(&batch.items, TokenInterner()), column: take(&batch.interItem, []),
                     value: take(&batch.interValue, []), sessionNames: take(&batch.sessionNames, TokenInterner()),
                     session: take(&batch.interSession, []), eventNames: take(&batch.eventNames, TokenInterner()),
                     event: take(&batch.interEvent, []))
        var partUsers = (table: take(&part.users, TokenInterner()), column: take(&part.user, []),
                         time: take(&part.time, []), line: take(&part.line, []))
        var partItems = (table: take(&part.items, TokenInterner()), column: take(&part.item, []),
                         value: take(&part.value, []), sessionNames: take(&part.sessions, TokenInterner()),
                         session: take(&part.session, []), eventNames: take(&part.events, TokenInterner()),
                         event: take(&part.event, []))
        Parallel.both({
            let map = closedUsers ? nil : merge(&partUsers.table, into: &users.table)
            append(&partUsers.column, through: map, to: &users.column)
            append(&partUsers.time, to: &users.time)
            if lineOffset == 0 {
                append(&partUsers.line, to: &users.line)
            } else {
                let offset = Int32(truncatingIfNeeded: lineOffset)
                users.line.reserveCapacity(users.line.count + partUsers.line.count)
                for line in partUsers.line { users.line.append(line &+ offset) }
            }
        }, {
            let map = closedItems ? nil : merge(&partItems.table, into: &items.table)
            append(&partItems.column, through: map, to: &items.column)
            append(&partItems.value, to: &items.value)
            let sessions = merge(&partItems.sessionNames, into: &items.sessionNames)
            append(&partItems.session, through: sessions, to: &items.session)
            let events = merge(&partItems.eventNames, into: &items.eventNames)
            append(&partItems.event, through: events, to: &items.event)
        })
        (batch.users, batch.interUser, batch.interTime, batch.interLine) = users
        (batch.items, batch.interItem, batch.interValue) = (items.table, items.column, items.value)
        (batch.sessionNames, batch.interSession) = (items.sessionNames, items.session)
        (batch.eventNames, batch.interEvent) = (items.eventNames, items.event)
        append(&part.extra, to: &batch.interExtra)
    }

    /// `value`, leaving `empty` in its place (a move, so no copy is made on the next change).
    private static func take<T>(_ value: inout T, _ empty: T) -> T {
        var taken = empty
        swap(&value, &taken)
        return taken
    }

    /// The batch index of each of the part's tokens, or nil when the batch's table was empty and the
    /// part's moved in whole (every index stays).
    private static func merge(_ local: inout TokenInterner, into shared: inout TokenInterner) -> [Int32]? {
        if shared.count == 0 {
            swap(&local, &shared)
            return nil
        }
        return (0..<local.count).map { t in
            local.withBytes(Int32(t)) { shared.intern($0, 0, $0.count).0 }
        }
    }

    /// Appends token indices mapped through `table` (nil: unchanged; -1 stays -1).
    private static func append(_ source: inout [Int32], through table: [Int32]?, to target: inout [Int32]) {
        guard let table else { return append(&source, to: &target) }
        target.reserveCapacity(target.count + source.count)
        table.withUnsafeBufferPointer { table in
            for t in source { target.append(t < 0 ? t : table[Int(t)]) }
        }
    }

    /// Appends a column, moving it when `target` is empty and has no room reserved for it.
    private static func append<T>(_ source: inout [T], to target: inout [T]) {
        if target.isEmpty && target.capacity < source.count {
            swap(&source, &target)
        } else {
            target += source
        }
    }
}
