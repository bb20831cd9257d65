/// The four field types of RecBole's atomic files.
enum AtomicType: String, Sendable {
    case token, tokenSeq = "token_seq", float, floatSeq = "float_seq"
}

struct AtomicColumn {
    let name: String
    let type: AtomicType
}

/// Imports RecBole atomic files: `NAME.inter`, and optionally `NAME.item` and `NAME.user`.
///
/// Headers are `name:type` (token, token_seq, float, float_seq), tab-separated. Known columns map to the
/// catalog (`user_id`, `item_id`, `timestamp`, `rating`, `session_id`, item title/year/class/description);
/// every other column is kept as a JSON attribute. An `.inter` row whose item (or user) is missing from a
/// given `.item` (or `.user`) file is refused; without such a file, items and users are created from the ids.
enum RecBoleImporter {
    static let titleColumns = ["title", "movie_title", "name", "item_name", "book_title"]
    static let yearColumns = ["release_year", "year"]
    static let categoryColumns = ["class", "genre", "genres", "categories", "category"]
    static let descriptionColumns = ["description", "overview", "plot", "text"]
    static let valueColumns = ["rating", "value", "score", "weight"]
    static let eventColumns = ["event", "event_type", "behavior", "action"]

    /// Finds the atomic files among `paths` (files, or one directory holding them).
    static func resolve(paths: [String]) throws(ImportError) -> (inter: String, item: String?, user: String?) {
        var files: [String] = []
        for path in paths {
            if FileSystem.isDirectory(path) {
                let listed = FileSystem.list(path).filter {
                    $0.hasSuffix(".inter") || $0.hasSuffix(".item") || $0.hasSuffix(".user")
                }
                if listed.isEmpty {
                    throw ImportError(file: path, "directory holds no RecBole atomic files (expected NAME.inter, NAME.item, NAME.user)")
                }
                files += listed.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        var inter: String?, item: String?, user: String?
        for f in files {
            if f.hasSuffix(".inter") {
                if let inter { throw ImportError(file: f, "a second .inter file (already have \(inter)); import one data set at a time") }
                inter = f
            } else if f.hasSuffix(".item") { item = f }
            else if f.hasSuffix(".user") { user = f }
            else { throw ImportError(file: f, "unknown atomic file type (expected .inter, .item or .user)") }
        }
        guard let inter else {
            throw ImportError(file: paths.joined(separator: " "), "no .inter file given (expected NAME.inter with the interactions)")
        }
        return (inter, item, user)
    }

    static func read(paths: [String]) throws(ImportError) -> ImportBatch {
        let files = try resolve(paths: paths)
        var batch = ImportBatch(format: "recbole")
        if let userPath = files.user {
            let file = try SourceFile(path: userPath)
            batch.sources.append(file.record)
            try readUsers(file, into: &batch)
        }
        if let itemPath = files.item {
            let file = try SourceFile(path: itemPath)
            batch.sources.append(file.record)
            try readItems(file, into: &batch)
        }
        if var chunks = SourceChunks(path: files.inter, above: 2 * pieceBytes) {
            defer { chunks.finish() }
            batch.sources.append(try readInteractions(&chunks, pieceBytes: pieceBytes, into: &batch,
                                                      closedUsers: files.user != nil, closedItems: files.item != nil))
        } else {
            let interFile = try SourceFile(path: files.inter)
            batch.sources.append(interFile.record)
            try readInteractions(interFile, into: &batch,
                                 closedUsers: files.user != nil, closedItems: files.item != nil)
        }
        // Session labels are only written from here on: their lookup table (the largest one, a label per
        // session) is not needed any more.
        batch.sessionNames.releaseLookups()
        return batch
    }

    /// A `.inter` file larger than twice this is read in pieces of this many bytes (`SourceChunks`), so
    /// the import holds one piece of it rather than the whole file: 64 MB is 2-3M rows, enough that the
    /// per-piece costs (two threads started, the halves' id tables merged) are lost in the parsing.
    static let pieceBytes = 64 << 20

    static func header(_ record: Record) throws(ImportError) -> [AtomicColumn] {
        var columns: [AtomicColumn] = []
        var seen = Set<String>()
        for i in 0..<record.count {
            let text = try record.string(i, column: "header")
            guard let colon = text.lastIndex(of: ":") else {
                throw record.error("header field '\(text)' has no type (expected name:type, e.g. item_id:token)")
            }
            let name = String(text[..<colon])
            let typeName = String(text[text.index(after: colon)...])
            guard let type = AtomicType(rawValue: typeName) else {
                throw record.error("header field '\(text)' has unknown type '\(typeName)' (expected token, token_seq, float or float_seq)")
            }
            guard !name.isEmpty else { throw record.error("header field '\(text)' has an empty name") }
            guard seen.insert(name).inserted else { throw record.error("header names column '\(name)' twice") }
            columns.append(AtomicColumn(name: name, type: type))
        }
        return columns
    }

    static func column(_ names: [String], in columns: [AtomicColumn]) -> Int? {
        for name in names { if let i = columns.firstIndex(where: { $0.name == name }) { return i } }
        return nil
    }

    static func idColumn(_ name: String, in columns: [AtomicColumn], record: Record) throws(ImportError) -> Int {
        guard let i = columns.firstIndex(where: { $0.name == name }) else {
            throw record.error("header has no '\(name)' column (expected \(name):token)")
        }
        return i
    }

    /// The attribute value of a column, typed per the header.
    static func attribute(_ record: Record, _ i: Int, _ column: AtomicColumn) throws(ImportError) -> JSONValue? {
        if record.isEmpty(i) { return nil }
        switch column.type {
        case .token: return .string(try record.string(i, column: column.name))
        case .tokenSeq:
            return .strings(try record.string(i, column: column.name).split(separator: " ").map(String.init))
        case .float: return .number(try record.double(i, column: column.name))
        case .floatSeq:
            var values: [Double] = []
            for part in try record.string(i, column: column.name).split(separator: " ") {
                guard let v = Double(part), v.isFinite else {
                    throw record.error("column '\(column.name)' (float_seq) expected numbers separated by spaces, found '\(part.prefix(40))'")
                }
                values.append(v)
            }
            return .numbers(values)
        }
    }

    private static func checkFieldCount(_ record: Record, _ expected: Int) throws(ImportError) {
        if record.count != expected {
            throw record.error("expected \(expected) tab-separated fields (per the header), found \(record.count)")
        }
    }

    /// Checks float columns parse (so a bad number is refused even in a column we keep as attribute).
    private static func checkTypes(_ record: Record, _ columns: [AtomicColumn]) throws(ImportError) {
        for (i, c) in columns.enumerated() where c.type == .float && !record.isEmpty(i) {
            _ = try record.double(i, column: c.name)
        }
    }

    static func readUsers(_ file: SourceFile, into batch: inout ImportBatch) throws(ImportError) {
        var columns: [AtomicColumn] = []
        var idIndex = 0
        var firstLine: [Int32: Int] = [:]
        var isHeader = true
        try DelimitedReader.forEachRecord(in: file, delimiter: 9, quoting: false) { (record: inout Record) throws(ImportError) in
            if isHeader {
                columns = try header(record)
                idIndex = try idColumn("user_id", in: columns, record: record)
                isHeader = false
                return
            }
            try checkFieldCount(record, columns.count)
            let f = record.fields[idIndex]
            if f.start == f.end { throw record.error("empty user_id (expected an id)") }
            let (user, isNew) = batch.users.intern(record.buffer, f.start, f.end)
            if !isNew {
                throw record.error("duplicate user_id '\(batch.users.string(user))' (first on line \(firstLine[user] ?? 0))")
            }
            if !batch.users.isValidUTF8(user) { throw record.error("user_id is not valid UTF-8") }
            firstLine[user] = record.line
            var pairs: [(String, JSONValue)] = []
            for (i, c) in columns.enumerated() where i != idIndex {
                if let v = try attribute(record, i, c) { pairs.append((c.name, v)) }
            }
            batch.userAttributes[user] = JSONText.object(pairs) ?? "{}"
        }
        if isHeader { throw ImportError(file: file.path, "has no header line") }
    }

    static func readItems(_ file: SourceFile, into batch: inout ImportBatch) throws(ImportError) {
        var columns: [AtomicColumn] = []
        var idIndex = 0
        var titleIndex: Int?, yearIndex: Int?, categoryIndex: Int?, descriptionIndex: Int?
        var firstLine: [Int32: Int] = [:]
        var isHeader = true
        try DelimitedReader.forEachRecord(in: file, delimiter: 9, quoting: false) { (record: inout Record) throws(ImportError) in
            if isHeader {
                columns = try header(record)
                idIndex = try idColumn("item_id", in: columns, record: record)
                titleIndex = column(titleColumns, in: columns)
                yearIndex = column(yearColumns, in: columns)
                categoryIndex = column(categoryColumns, in: columns)
                descriptionIndex = column(descriptionColumns, in: columns)
                isHeader = false
                return
            }
            try checkFieldCount(record, columns.count)
            try checkTypes(record, columns)
            let f = record.fields[idIndex]
            if f.start == f.end { throw record.error("empty item_id (expected an id)") }
            let (item, isNew) = batch.items.intern(record.buffer, f.start, f.end)
            if !isNew {
                throw record.error("duplicate item_id '\(batch.items.string(item))' (first on line \(firstLine[item] ?? 0))")
            }
            if !batch.items.isValidUTF8(item) { throw record.error("item_id is not valid UTF-8") }
            firstLine[item] = record.line
            var info = ItemInfo()
            var pairs: [(String, JSONValue)] = []
            for (i, c) in columns.enumerated() where i != idIndex {
                if record.isEmpty(i) { continue }
                if i == titleIndex {
                    info.title = try record.string(i, column: c.name)
                } else if i == categoryIndex {
                    info.categories = try record.string(i, column: c.name).split(separator: " ").map(String.init)
                } else if i == descriptionIndex {
                    info.description = try record.string(i, column: c.name)
                } else if i == yearIndex, let year = Int(try record.string(i, column: c.name)) {
                    info.year = year
                } else if let v = try attribute(record, i, c) {
                    pairs.append((c.name, v))
                }
            }
            info.attributes = JSONText.object(pairs)
            batch.itemInfo[item] = info
        }
        if isHeader { throw ImportError(file: file.path, "has no header line") }
    }
}
