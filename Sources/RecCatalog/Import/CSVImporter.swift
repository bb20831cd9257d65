import Foundation

/// How to read a generic CSV/TSV file of interactions (and optionally one of items).
public struct CSVMapping: Sendable {
    public var userColumn = "user_id"
    public var itemColumn = "item_id"
    public var timeColumn: String? = "timestamp"
    public var valueColumn: String? = "rating"
    public var sessionColumn: String? = "session_id"
    public var eventColumn: String? = "event"
    /// Field delimiter; nil chooses tab for `.tsv` files and comma otherwise.
    public var delimiter: UInt8?
    /// Seconds per unit of a numeric time column (1 for seconds, 0.001 for milliseconds).
    public var timeScale: Double = 1
    /// An items file: `item_id` plus any of title, year, categories/genres, description; others kept.
    public var itemsPath: String?
    public init() {}
}

/// Imports interactions from a CSV or TSV file with a header, by a column mapping.
///
/// The user and item columns are required; time, value, session and event columns are used when the
/// header has them (a column named in the mapping but missing is an error only when set explicitly).
/// Time is seconds since 1970, or ISO 8601 (`2024-03-01`, `2024-03-01T12:00:00Z`, `2024-03-01 12:00:00+02:00`).
enum CSVImporter {
    static func read(paths: [String], mapping: CSVMapping) throws(ImportError) -> ImportBatch {
        guard paths.count == 1, let path = paths.first else {
            throw ImportError(file: paths.joined(separator: " "), "expected exactly one interactions file (items go in --items)")
        }
        var batch = ImportBatch(format: "csv")
        if let itemsPath = mapping.itemsPath {
            let file = try SourceFile(path: itemsPath)
            batch.sources.append(file.record)
            try readItems(file, delimiter: delimiter(for: itemsPath, mapping), into: &batch)
        }
        let file = try SourceFile(path: path)
        batch.sources.append(file.record)
        try readInteractions(file, mapping: mapping, into: &batch)
        return batch
    }

    /// The interactions file: a header naming the mapped columns, then one interaction per row.
    static func readInteractions(_ file: SourceFile, mapping: CSVMapping, into batch: inout ImportBatch) throws(ImportError) {
        let path = file.path
        batch.reserve(file.bytes.count / 24)
        let sep = delimiter(for: path, mapping)
        var isHeader = true
        var columnCount = 0
        var userIndex = 0, itemIndex = 0
        var timeIndex: Int?, valueIndex: Int?, sessionIndex: Int?, eventIndex: Int?
        var extras: [(Int, String)] = []
        let closedItems = mapping.itemsPath != nil
        let progress = ImportProgress(label: path, totalBytes: file.bytes.count)
        try DelimitedReader.forEachRecord(in: file, delimiter: sep, quoting: true) { (record: inout Record) throws(ImportError) in
            if isHeader {
                let names = try (0..<record.count).map { (i: Int) throws(ImportError) in
                    try record.string(i, column: "header").trimmingCharacters(in: .whitespaces)
                }
                columnCount = names.count
                func find(_ name: String?, required: Bool) throws(ImportError) -> Int? {
                    guard let name else { return nil }
                    if let i = names.firstIndex(of: name) { return i }
                    if required {
                        throw record.error("header has no column '\(name)' (columns: \(names.joined(separator: ", "))); name the right one with the matching --*-col option")
                    }
                    return nil
                }
                userIndex = try find(mapping.userColumn, required: true)!
                itemIndex = try find(mapping.itemColumn, required: true)!
                let defaults = CSVMapping()
                timeIndex = try find(mapping.timeColumn, required: mapping.timeColumn != defaults.timeColumn)
                valueIndex = try find(mapping.valueColumn, required: mapping.valueColumn != defaults.valueColumn)
                sessionIndex = try find(mapping.sessionColumn, required: mapping.sessionColumn != defaults.sessionColumn)
                eventIndex = try find(mapping.eventColumn, required: mapping.eventColumn != defaults.eventColumn)
                let used = Set([userIndex, itemIndex, timeIndex, valueIndex, sessionIndex, eventIndex].compactMap { $0 })
                extras = names.enumerated().filter { !used.contains($0.offset) }.map { ($0.offset, $0.element) }
                batch.hasSourceSessions = sessionIndex != nil
                isHeader = false
                return
            }
            guard record.count == columnCount else {
                throw record.error("expected \(columnCount) fields (per the header), found \(record.count)")
            }
            let uf = record.fields[userIndex], itf = record.fields[itemIndex]
            if uf.start == uf.end { throw record.error("empty '\(mapping.userColumn)' (expected a user id)") }
            if itf.start == itf.end { throw record.error("empty '\(mapping.itemColumn)' (expected an item id)") }
            let (u, newUser) = batch.users.intern(record.buffer, uf.start, uf.end)
            if newUser && !batch.users.isValidUTF8(u) { throw record.error("user id is not valid UTF-8") }
            let (i, newItem) = batch.items.intern(record.buffer, itf.start, itf.end)
            if newItem {
                if closedItems { throw record.error("item '\(batch.items.string(i))' is not in the items file \(mapping.itemsPath!)") }
                if !batch.items.isValidUTF8(i) { throw record.error("item id is not valid UTF-8") }
            }
            var ts = 0.0
            if let t = timeIndex {
                let f = record.fields[t]
                if let v = NumberParser.parse(record.buffer, f.start, f.end) {
                    ts = v * mapping.timeScale
                } else {
                    let text = try record.string(t, column: mapping.timeColumn!)
                    guard let parsed = ISO8601.seconds(text) else {
                        throw record.error("column '\(mapping.timeColumn!)' expected seconds since 1970 or an ISO 8601 date/time, found '\(text.prefix(40))'")
                    }
                    ts = parsed
                }
            }
            var value = Double.nan
            if let v = valueIndex, !record.isEmpty(v) { value = try record.double(v, column: mapping.valueColumn!) }
            batch.interUser.append(u)
            batch.interItem.append(i)
            batch.interTime.append(ts)
            batch.interValue.append(value)
            try batch.appendSessionEventAndLine(record, session: sessionIndex, event: eventIndex)
            if !extras.isEmpty {
                var pairs: [(String, JSONValue)] = []
                for (index, name) in extras where !record.isEmpty(index) {
                    let f = record.fields[index]
                    if let v = NumberParser.parse(record.buffer, f.start, f.end) { pairs.append((name, .number(v))) }
                    else { pairs.append((name, .string(try record.string(index, column: name)))) }
                }
                batch.interExtra.append(JSONText.object(pairs))
            }
            if batch.interUser.count & 0xFFFF == 0 { progress.update(bytes: uf.start, rows: batch.interUser.count) }
        }
        progress.finish(rows: batch.interUser.count)
        if isHeader { throw ImportError(file: path, "has no header line") }
        if batch.interactionCount == 0 { throw ImportError(file: path, "has a header but no rows (expected at least one interaction)") }
    }

    static func delimiter(for path: String, _ mapping: CSVMapping) -> UInt8 {
        if let d = mapping.delimiter { return d }
        return path.hasSuffix(".tsv") || path.hasSuffix(".tab") ? 9 : 44
    }

    static func readItems(_ file: SourceFile, delimiter: UInt8, into batch: inout ImportBatch) throws(ImportError) {
        var isHeader = true
        var names: [String] = []
        var idIndex = 0
        var titleIndex: Int?, yearIndex: Int?, categoryIndex: Int?, descriptionIndex: Int?
        var firstLine: [Int32: Int] = [:]
        try DelimitedReader.forEachRecord(in: file, delimiter: delimiter, quoting: true) { (record: inout Record) throws(ImportError) in
            if isHeader {
                names = try (0..<record.count).map { (i: Int) throws(ImportError) in
                    try record.string(i, column: "header").trimmingCharacters(in: .whitespaces)
                }
                guard let id = names.firstIndex(where: { ["item_id", "itemId", "id", "movieId"].contains($0) }) else {
                    throw record.error("items header has no id column (expected item_id)")
                }
                idIndex = id
                titleIndex = names.firstIndex(where: { ["title", "name"].contains($0) })
                yearIndex = names.firstIndex(where: { ["year", "release_year"].contains($0) })
                categoryIndex = names.firstIndex(where: { ["categories", "genres", "genre", "category", "class"].contains($0) })
                descriptionIndex = names.firstIndex(where: { ["description", "overview", "text"].contains($0) })
                isHeader = false
                return
            }
            guard record.count == names.count else {
                throw record.error("expected \(names.count) fields (per the header), found \(record.count)")
            }
            let f = record.fields[idIndex]
            if f.start == f.end { throw record.error("empty item id") }
            let (i, isNew) = batch.items.intern(record.buffer, f.start, f.end)
            if !isNew { throw record.error("duplicate item id '\(batch.items.string(i))' (first on line \(firstLine[i] ?? 0))") }
            if !batch.items.isValidUTF8(i) { throw record.error("item id is not valid UTF-8") }
            firstLine[i] = record.line
            var info = ItemInfo()
            var pairs: [(String, JSONValue)] = []
            for (n, name) in names.enumerated() where n != idIndex && !record.isEmpty(n) {
                let text = try record.string(n, column: name)
                if n == titleIndex { info.title = text }
                else if n == yearIndex, let y = Int(text) { info.year = y }
                else if n == categoryIndex {
                    let separator: Character = text.contains("|") ? "|" : (text.contains(";") ? ";" : " ")
                    info.categories = text.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                } else if n == descriptionIndex { info.description = text }
                else if let v = Double(text), v.isFinite { pairs.append((name, .number(v))) }
                else { pairs.append((name, .string(text))) }
            }
            info.attributes = JSONText.object(pairs)
            batch.itemInfo[i] = info
        }
        if isHeader { throw ImportError(file: file.path, "has no header line") }
    }
}

/// Parses the ISO 8601 forms people put in data files into seconds since 1970 (UTC unless an offset is given).
enum ISO8601 {
    static func seconds(_ text: String) -> Double? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= s.count else { return nil }
            var v = 0
            for k in a..<(a + n) {
                guard s[k] >= 48 && s[k] <= 57 else { return nil }
                v = v * 10 + Int(s[k] - 48)
            }
            return v
        }
        guard s.count >= 10, let year = num(0, 4), s[4] == 45, let month = num(5, 2), s[7] == 45,
              let day = num(8, 2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = Double(daysFromCivil(year, month, day)) * 86400
        var p = 10
        if p < s.count {
            guard s[p] == 84 || s[p] == 32, let h = num(p + 1, 2), s.count > p + 3, s[p + 3] == 58,
                  let m = num(p + 4, 2), h < 24, m < 60 else { return nil }
            seconds += Double(h * 3600 + m * 60)
            p += 6
            if p < s.count && s[p] == 58 {
                guard let sec = num(p + 1, 2), sec < 61 else { return nil }
                seconds += Double(sec)
                p += 3
                if p < s.count && s[p] == 46 {
                    p += 1
                    var scale = 0.1
                    while p < s.count, s[p] >= 48 && s[p] <= 57 {
                        seconds += Double(s[p] - 48) * scale
                        scale /= 10
                        p += 1
                    }
                }
            }
            if p < s.count {
                if s[p] == 90 { p += 1 }
                else if s[p] == 43 || s[p] == 45 {
                    guard let oh = num(p + 1, 2) else { return nil }
                    var q = p + 3
                    if q < s.count && s[q] == 58 { q += 1 }
                    let om = num(q, 2) ?? 0
                    if num(q, 2) != nil { q += 2 }
                    let offset = Double(oh * 3600 + om * 60)
                    seconds += s[p] == 43 ? -offset : offset
                    p = q
                } else { return nil }
            }
            if p != s.count { return nil }
        }
        return seconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
