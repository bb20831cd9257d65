import Foundation
import GRDB

/// What an export wrote, and what it had to change because atomic files cannot carry it.
public struct AtomicExportSummary: Sendable, Codable {
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var files: [String]
    /// Titles and descriptions whose tabs or line breaks became spaces (atomic files have no quoting).
    public var textFieldsFlattened: Int
    /// Categories whose spaces became underscores (`class:token_seq` separates categories by spaces).
    public var categoriesJoined: Int
}

/// Writes a catalog as RecBole atomic files `NAME.user`, `NAME.item` and `NAME.inter`: the inverse of
/// `recscope import --format recbole`, so importing the three files gives the same users, items (ids,
/// titles, years, categories, descriptions), interactions in the same order, and the same sessions.
///
/// Users and items are written in catalog order (so a re-import gives them the same indices), every user
/// and item is listed (also those nobody interacted with), and interactions follow their source order.
/// Session ids are written when the catalog's sessions came labelled; otherwise the re-import splits
/// sessions by the same gap. Attribute columns and interaction extras are not written.
/// The part of a catalog to export: users and items by dense index, interactions by id.
public struct CatalogSubset: Sendable {
    public var users: [Bool]
    public var items: [Bool]
    public var interactions: Set<Int64>
    public init(users: [Bool], items: [Bool], interactions: Set<Int64>) {
        self.users = users
        self.items = items
        self.interactions = interactions
    }
}

public enum AtomicExporter {
    /// Exports the whole catalog, or only `subset` (what `recscope filter` writes and re-imports): its users and
    /// items in catalog order and its interactions in source order, with the labels of their sessions.
    public static func export(_ catalog: Catalog, to directory: String, name: String,
                              subset: CatalogSubset? = nil) throws -> AtomicExportSummary {
        guard !name.isEmpty, !name.contains("/") else { throw CatalogError("export name '\(name)' must be a plain file name") }
        if !FileSystem.isDirectory(directory) && !FileSystem.makeDirectory(directory) {
            throw CatalogError("\(directory): cannot create the output directory")
        }
        let base = directory + "/" + name
        var summary = AtomicExportSummary(users: 0, items: 0, interactions: 0, files: [base + ".user", base + ".item", base + ".inter"],
                                          textFieldsFlattened: 0, categoriesJoined: 0)
        try catalog.pool.read { (db: Database) throws in
            let userIDs = try ids(db, table: "users")
            let itemIDs = try ids(db, table: "items")
            var out = try AtomicFileWriter(path: base + ".user")
            out.line(["user_id:token"])
            for (u, id) in userIDs.enumerated() where !id.isEmpty && subset?.users[u] ?? true { out.line([id]) }
            try out.close()
            summary.users = subset.map { $0.users.count { $0 } } ?? userIDs.count
            summary.items = try writeItems(db, to: base + ".item", keeping: subset?.items, summary: &summary)
            summary.interactions = try writeInteractions(db, to: base + ".inter", userIDs: userIDs, itemIDs: itemIDs,
                                                         keeping: subset?.interactions)
        }
        return summary
    }

    /// External ids by dense index, checked to be writable as one atomic-file field.
    static func ids(_ db: Database, table: String) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: "SELECT idx, external_id FROM \(table) ORDER BY idx")
        var ids = [String](repeating: "", count: (rows.last.map { Int($0[0] as Int64) } ?? -1) + 1)
        for row in rows {
            let id: String = row[1]
            if id.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" }) || id.isEmpty {
                throw CatalogError("\(table) id '\(id.debugDescription)' holds a tab or line break, which an atomic file cannot carry; export to another format")
            }
            ids[Int(row[0] as Int64)] = id
        }
        return ids
    }

    static func writeItems(_ db: Database, to path: String, keeping: [Bool]?, summary: inout AtomicExportSummary) throws -> Int {
        var out = try AtomicFileWriter(path: path)
        out.line(["item_id:token", "title:token_seq", "release_year:token", "class:token_seq", "description:token_seq"])
        let cursor = try Row.fetchCursor(db, sql: "SELECT external_id, title, year, categories, description FROM items ORDER BY idx")
        var count = 0, index = -1
        while let row = try cursor.next() {
            index += 1
            if let keeping, !keeping[index] { continue }
            let id: String = row[0]
            let year: Int64? = row[2]
            let categoriesJSON: String = row[3]
            let categories = (try? JSONDecoder().decode([String].self, from: Data(categoriesJSON.utf8))) ?? []
            let classes = categories.map { category -> String in
                let joined = String(category.map { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" ? "_" : $0 })
                if joined != category { summary.categoriesJoined += 1 }
                return joined
            }
            out.line([id, flatten(row[1], &summary), year.map { String($0) } ?? "", classes.joined(separator: " "),
                      flatten(row[4], &summary)])
            count += 1
        }
        try out.close()
        return count
    }

    /// Text with tabs and line breaks as spaces (an atomic field ends at a tab or line break).
    static func flatten(_ text: String?, _ summary: inout AtomicExportSummary) -> String {
        guard let text else { return "" }
        if !text.contains(where: { $0 == "\t" || $0.isNewline }) { return text }
        summary.textFieldsFlattened += 1
        return String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }

    static func writeInteractions(_ db: Database, to path: String, userIDs: [String], itemIDs: [String],
                                  keeping: Set<Int64>?) throws -> Int {
        let hasValue = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM interactions WHERE value IS NOT NULL)") ?? false
        let hasEvent = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM interactions WHERE event IS NOT NULL)") ?? false
        // Labelled sessions are written by label; unlabelled ones in a labelled catalog get a made-up label.
        var sessionLabel: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, external_id FROM sessions WHERE external_id IS NOT NULL") {
            sessionLabel[row[0]] = row[1] as String
        }
        let hasSessions = !sessionLabel.isEmpty
        var header = ["user_id:token", "item_id:token", "timestamp:float"]
        if hasValue { header.append("rating:float") }
        if hasSessions { header.append("session_id:token") }
        if hasEvent { header.append("event:token") }
        var out = try AtomicFileWriter(path: path)
        out.line(header)
        let cursor = try Row.fetchCursor(db, sql: "SELECT user, item, ts, value, event, session, id FROM interactions ORDER BY id")
        var count = 0
        var fields: [String] = []
        while let row = try cursor.next() {
            if let keeping, !keeping.contains(row[6] as Int64) { continue }
            fields.removeAll(keepingCapacity: true)
            fields.append(userIDs[Int(row[0] as Int64)])
            fields.append(itemIDs[Int(row[1] as Int64)])
            fields.append(number(row[2] as Double))
            if hasValue { fields.append((row[3] as Double?).map(number) ?? "") }
            if hasSessions {
                let session: Int64? = row[5]
                fields.append(session.map { flattenToken(sessionLabel[$0] ?? "session-\($0)") } ?? "")
            }
            if hasEvent { fields.append(flattenToken(row[4] as String?)) }
            out.line(fields)
            count += 1
        }
        try out.close()
        return count
    }

    static func flattenToken(_ text: String?) -> String {
        guard let text else { return "" }
        return String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }

    /// A number as the importer reads it back to the same Double: whole numbers without a fraction,
    /// others in Swift's shortest round-trip form.
    static func number(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

/// Buffered line writer for tab-separated atomic files.
struct AtomicFileWriter {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []

    init(path: String) throws {
        guard let handle = fopen(path, "wb") else {
            throw CatalogError("\(path): cannot be written: \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func line(_ fields: [String]) {
        for (n, field) in fields.enumerated() {
            if n > 0 { buffer.append(9) }
            buffer.append(contentsOf: field.utf8)
        }
        buffer.append(10)
        if buffer.count >= 1 << 20 { flush() }
    }

    private mutating func flush() {
        if !buffer.isEmpty { _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) } }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        flush()
        let failed = ferror(handle) != 0
        if fclose(handle) != 0 || failed {
            throw CatalogError("\(path): write failed: \(String(cString: strerror(errno)))")
        }
    }
}
