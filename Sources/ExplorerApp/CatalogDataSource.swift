import Foundation
import GRDB
import RecCatalog
import RecModels
import RecWorkbench
import Synchronization

/// The explorer's view of a SQLite catalog.
///
/// Lists of users and items are indexed once (one aggregate scan each, on first use) and kept in memory
/// with their sort orders, so paging, sorting and search never re-sort the database; per-row details
/// (sessions, a session's items, an item's recent users) are small indexed queries with bound parameters.
public final class CatalogDataSource: ExplorerDataSource {
    public let name: String
    let catalog: Catalog
    private let state = Mutex<Indexes>(Indexes())

    struct UserEntry {
        var idx: Int64
        var row: UserRow
    }
    struct ItemEntry {
        var idx: Int64
        var row: ItemRow
        var lowerTitle: String
    }
    struct Indexes {
        var users: [UserEntry]?
        var userPosition: [String: Int] = [:]
        var userOrders: [UserSort: [Int]] = [:]
        var items: [ItemEntry]?
        var itemPosition: [String: Int] = [:]
        var itemOrders: [ItemSort: [Int]] = [:]
        var summary: CatalogSummary?
        var codeTrees: [String: CodeTree] = [:]
    }

    public init(catalog: Catalog) {
        self.catalog = catalog
        name = String(catalog.path.split(separator: "/").last ?? Substring(catalog.path))
    }

    /// Forgets everything cached, so the next call sees data written since (e.g. by an import).
    public func refresh() {
        state.withLock { $0 = Indexes() }
    }

    // MARK: Summary

    public func summary() throws -> CatalogSummary {
        if let cached = state.withLock({ $0.summary }) { return cached }
        let users = try userEntries(), items = try itemEntries()
        let (count, sessions, first, last) = try catalog.pool.read { db -> (Int, Int, Double?, Double?) in
            let span = try Row.fetchOne(db, sql: "SELECT SUM(interactions), MIN(first_ts), MAX(last_ts), SUM(sessions) FROM users")
            return ((span?[0] as Int?) ?? 0, (span?[3] as Int?) ?? 0, span?[1], span?[2])
        }
        let popularity = items.map(\.row.popularity)
        // Activity from the per-day counts the importer keeps (each day counted in the bucket of its start).
        var activity: [TimeBucket] = []
        if let first, let last {
            let buckets = 60
            let span = max(1, last - first)
            var counts = [Int](repeating: 0, count: buckets)
            try catalog.pool.read { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT day, interactions FROM daily_activity")
                while let row = try rows.next() {
                    let dayStart = max(first, Double(row[0] as Int64) * 86400)
                    let b = Int((dayStart - first) / span * Double(buckets))
                    counts[max(0, min(buckets - 1, b))] += row[1] as Int
                }
            }
            activity = counts.enumerated().map {
                TimeBucket(start: Date(timeIntervalSince1970: first + span * Double($0.offset) / Double(buckets)), count: $0.element)
            }
        }
        let summary = CatalogSummary(
            users: users.count, items: items.count, interactions: count, sessions: sessions,
            firstInteraction: first.map { Date(timeIntervalSince1970: $0) },
            lastInteraction: last.map { Date(timeIntervalSince1970: $0) },
            perUser: Distribution(counts: users.map(\.row.interactions)), perItem: Distribution(counts: popularity),
            longTail: CatalogSummary.longTail(popularity: popularity), activity: activity)
        state.withLock { $0.summary = summary }
        return summary
    }

    // MARK: Users

    private func userEntries() throws -> [UserEntry] {
        if let cached = state.withLock({ $0.users }) { return cached }
        var entries: [UserEntry] = try catalog.pool.read { db in
            var out: [UserEntry] = []
            // Counts and time spans are kept on users by the importer: no aggregate over interactions.
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id, interactions, first_ts, last_ts, sessions FROM users")
            while let row = try rows.next() {
                let first: Double? = row[3], last: Double? = row[4]
                out.append(UserEntry(idx: row[0], row: UserRow(
                    id: row[1], interactions: row[2], sessions: row[5],
                    firstSeen: first.map { Date(timeIntervalSince1970: $0) },
                    lastSeen: last.map { Date(timeIntervalSince1970: $0) }, topCategories: [])))
            }
            return out
        }
        let position = Self.sortByID(&entries) { $0.row.id }
        let result = entries
        state.withLock {
            $0.users = result
            $0.userPosition = position
        }
        return result
    }

    private func userOrder(_ sort: UserSort, _ entries: [UserEntry]) -> [Int] {
        if let cached = state.withLock({ $0.userOrders[sort] }) { return cached }
        let order: [Int]
        switch sort {
        case .id: order = Array(entries.indices)
        case .interactionsDescending:
            order = Self.order(count: entries.count) { entries[$0].row.interactions > entries[$1].row.interactions }
        case .lastSeenDescending:
            let last = entries.map { $0.row.lastSeen ?? .distantPast }
            order = Self.order(count: entries.count) { last[$0] > last[$1] }
        }
        state.withLock { $0.userOrders[sort] = order }
        return order
    }

    /// The user's three most frequent categories, most frequent first, ties by name.
    private func topCategories(_ idx: Int64, _ db: Database) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.category, COUNT(*) AS n FROM interactions x JOIN item_categories c ON c.item = x.item
            WHERE x.user = ? GROUP BY c.category
            """, arguments: [idx])
        var counts: [(category: String, n: Int)] = []
        for row in rows {
            let category: String = row[0]
            let n: Int = row[1]
            counts.append((category, n))
        }
        counts.sort { $0.n > $1.n || ($0.n == $1.n && $0.category < $1.category) }
        return counts.prefix(3).map(\.category)
    }

    public func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow> {
        let entries = try userEntries()
        let order = userOrder(request.sort, entries)
        let lo = min(max(0, request.offset), order.count), hi = min(order.count, lo + max(0, request.limit))
        let rows = try catalog.pool.read { db in
            try order[lo..<hi].map { n -> UserRow in
                var row = entries[n].row
                row.topCategories = try topCategories(entries[n].idx, db)
                return row
            }
        }
        return Page(offset: lo, rows: rows, total: order.count)
    }

    public func user(id: String) throws -> UserRow? {
        let entries = try userEntries()
        guard let n = state.withLock({ $0.userPosition[id] }) else { return nil }
        var row = entries[n].row
        row.topCategories = try catalog.pool.read { try topCategories(entries[n].idx, $0) }
        return row
    }

    public func sessions(ofUser userID: String, limit: Int) throws -> [SessionRow] {
        let entries = try userEntries()
        guard let n = state.withLock({ $0.userPosition[userID] }), limit > 0 else { return [] }
        return try catalog.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, start_ts, end_ts, length FROM sessions WHERE user = ? ORDER BY start_ts, id LIMIT ?",
                             arguments: [entries[n].idx, limit]).map {
                SessionRow(id: String($0[0] as Int64), userID: userID,
                           start: Date(timeIntervalSince1970: $0[1]), end: Date(timeIntervalSince1970: $0[2]), itemCount: $0[3])
            }
        }
    }

    public func sessionItems(session sessionID: String, limit: Int) throws -> [SessionItemRow] {
        guard let id = Int64(sessionID), limit > 0 else { return [] }
        return try catalog.pool.read { db in
            guard let s = try Row.fetchOne(db, sql: "SELECT user, start_ts, end_ts FROM sessions WHERE id = ?", arguments: [id]) else {
                return []
            }
            // The session's rows lie in its user's (ts, id) range of the clustered table.
            return try Row.fetchAll(db, sql: """
                SELECT i.external_id, i.title, x.ts, x.event, x.value FROM interactions x JOIN items i ON i.idx = x.item
                WHERE x.user = ? AND x.ts BETWEEN ? AND ? AND x.session = ? ORDER BY x.ts, x.id LIMIT ?
                """, arguments: [s[0] as Int64, s[1] as Double, s[2] as Double, id, limit]).map {
                let value: Double? = $0[4]
                return SessionItemRow(itemID: $0[0], title: ($0[1] as String?) ?? "", time: Date(timeIntervalSince1970: $0[2]),
                                      event: Self.eventName($0[3], value: value), value: value)
            }
        }
    }

    static func eventName(_ event: String?, value: Double?) -> String {
        event ?? (value == nil ? "event" : "rating")
    }

    // MARK: Items

    private func itemEntries() throws -> [ItemEntry] {
        if let cached = state.withLock({ $0.items }) { return cached }
        var entries: [ItemEntry] = try catalog.pool.read { db in
            var out: [ItemEntry] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id, title, year, categories, interactions FROM items")
            while let row = try rows.next() {
                let title: String = (row[2] as String?) ?? ""
                out.append(ItemEntry(idx: row[0], row: ItemRow(id: row[1], title: title, year: row[3],
                                                              categories: Self.stringArray(row[4]), popularity: row[5]),
                                     lowerTitle: title.lowercased()))
            }
            return out
        }
        let position = Self.sortByID(&entries) { $0.row.id }
        let result = entries
        state.withLock {
            $0.items = result
            $0.itemPosition = position
        }
        return result
    }

    private func itemOrder(_ sort: ItemSort, _ entries: [ItemEntry]) -> [Int] {
        if let cached = state.withLock({ $0.itemOrders[sort] }) { return cached }
        let order: [Int]
        switch sort {
        case .id: order = Array(entries.indices)
        case .popularityDescending:
            order = Self.order(count: entries.count) { entries[$0].row.popularity > entries[$1].row.popularity }
        case .title:
            order = Self.order(count: entries.count) { entries[$0].row.title < entries[$1].row.title }
        }
        state.withLock { $0.itemOrders[sort] = order }
        return order
    }

    public func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow> {
        let entries = try itemEntries()
        let order = itemOrder(request.sort, entries)
        let lo = min(max(0, request.offset), order.count), hi = min(order.count, lo + max(0, request.limit))
        return Page(offset: lo, rows: order[lo..<hi].map { entries[$0].row }, total: order.count)
    }

    public func itemDetail(id: String, userLimit: Int) throws -> ItemDetail? {
        let entries = try itemEntries()
        guard let n = state.withLock({ $0.itemPosition[id] }) else { return nil }
        let entry = entries[n]
        return try catalog.pool.read { db in
            let info = try Row.fetchOne(db, sql: "SELECT description, attributes FROM items WHERE idx = ?", arguments: [entry.idx])
            var attributes: [KeyValue] = []
            if let description: String = info?[0] { attributes.append(KeyValue("description", description)) }
            if let json: String = info?[1] { attributes += Self.keyValues(json) }
            attributes.sort { $0.key < $1.key }
            let postings = try Catalog.itemPostings(db, item: entry.idx)
            let userCount = Set(postings.lazy.map(\.user)).count
            var recent: [ItemDetail.Interaction] = []
            if userLimit > 0 && !postings.isEmpty {
                // Everything at or after the limit-th newest time, newest first, ties by user id.
                let cut = postings.count >= userLimit ? postings[postings.count - userLimit].ts : -Double.infinity
                let userID = try db.makeStatement(sql: "SELECT external_id FROM users WHERE idx = ?")
                var newest: [(posting: ItemPosting, userID: String)] = []
                for posting in postings.reversed() {
                    guard posting.ts >= cut else { break }
                    newest.append((posting, try String.fetchOne(userID, arguments: [posting.user]) ?? ""))
                }
                newest.sort { $0.posting.ts > $1.posting.ts
                    || ($0.posting.ts == $1.posting.ts && ExplorerDataSourceContract.idLess($0.userID, $1.userID)) }
                let fields = try db.makeStatement(sql: "SELECT event, value FROM interactions WHERE user = ? AND ts = ? AND id = ?")
                for (posting, id) in newest.prefix(userLimit) {
                    let row = try Row.fetchOne(fields, arguments: [posting.user, posting.ts, posting.id])
                    let value: Double? = row?[1]
                    recent.append(ItemDetail.Interaction(userID: id, time: Date(timeIntervalSince1970: posting.ts),
                                                         event: Self.eventName(row?[0], value: value), value: value))
                }
            }
            return ItemDetail(item: entry.row, attributes: attributes, userCount: userCount, recent: recent)
        }
    }

    // MARK: Semantic IDs

    public func semanticIDSpaces() throws -> [String] { try catalog.semanticIDSpaces() }

    public func codeTree(space: String) throws -> CodeTree? {
        if let cached = state.withLock({ $0.codeTrees[space] }) { return cached }
        guard let stored = try catalog.loadSemanticIDs(space: space) else { return nil }
        let entries = try itemEntries()
        var rows = [ItemRow?](repeating: nil, count: entries.count)
        for entry in entries where entry.idx >= 0 && entry.idx < entries.count { rows[Int(entry.idx)] = entry.row }
        guard stored.itemCount == rows.count, !rows.contains(where: { $0 == nil }) else {
            throw CatalogError("semantic IDs of space '\(space)' cover \(stored.itemCount) items; the catalog has \(rows.count): rebuild them with recscope sid build --space \(space)")
        }
        let tree = CodeTree(space: space, ids: SemanticIDs(stored), items: rows.map { $0! })
        state.withLock { $0.codeTrees[space] = tree }
        return tree
    }

    public func buildSemanticIDs(space: String) throws {
        guard ItemEmbeddings.Space(rawValue: space) != nil else {
            throw CatalogError("'\(space)' is not a built-in space (content, als, aligned); import its vectors with recscope embeddings import and build with recscope sid build --space \(space)")
        }
        _ = try SemanticIDWorkbench(catalog: catalog).buildSemanticIDs(space: space, configuration: ResidualQuantizer.Configuration())
        state.withLock { $0.codeTrees[space] = nil }
    }

    // MARK: Search

    public func search(_ query: String, limit: Int) throws -> [SearchHit] {
        let q = query.lowercased()
        guard !q.isEmpty, limit > 0 else { return [] }
        let users = try userEntries(), items = try itemEntries()
        var hits: [SearchHit] = []
        for u in users where hits.count < limit && u.row.id.lowercased().contains(q) {
            hits.append(SearchHit(kind: .user, id: u.row.id, label: "user \(u.row.id) · \(u.row.interactions) interactions"))
        }
        if hits.count < limit {
            let order = itemOrder(.popularityDescending, items)
            for n in order where hits.count < limit {
                let item = items[n]
                if item.lowerTitle.contains(q) || item.row.id.lowercased().contains(q) {
                    hits.append(SearchHit(kind: .item, id: item.row.id, label: item.row.title))
                }
            }
        }
        return hits
    }

    /// Sorts entries in id order (`ExplorerDataSourceContract.idLess`) and returns each id's position.
    static func sortByID<E>(_ entries: inout [E], id: (E) -> String) -> [String: Int] {
        // Parse each id once: integers by value first, then other ids as text (`idLess`).
        let keys = entries.map { (e: E) -> (Int?, String) in (Int(id(e)), id(e)) }
        let order = Array(entries.indices).sorted { a, b in
            switch (keys[a].0, keys[b].0) {
            case let (x?, y?): return x != y ? x < y : keys[a].1 < keys[b].1
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return keys[a].1 < keys[b].1
            }
        }
        entries = order.map { entries[$0] }
        var position: [String: Int] = [:]
        position.reserveCapacity(entries.count)
        for (n, e) in entries.enumerated() { position[id(e)] = n }
        return position
    }

    /// Indices 0..<count ordered by `before`, ties by index (so every order is deterministic).
    static func order(count: Int, _ before: (Int, Int) -> Bool) -> [Int] {
        Array(0..<count).sorted { before($0, $1) || (!before($1, $0) && $0 < $1) }
    }

    // MARK: JSON helpers

    /// The strings of a JSON array of strings (the catalog's `categories` column).
    static func stringArray(_ json: String?) -> [String] {
        guard let json else { return [] }
        if let fast = fastStringArray(json) { return fast }
        guard let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }

    /// Parses `["a","b"]` without escapes (what the importer writes for plain names); nil otherwise.
    static func fastStringArray(_ json: String) -> [String]? {
        let bytes = Array(json.utf8)
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), !bytes.contains(UInt8(ascii: "\\")) else {
            return nil
        }
        var out: [String] = []
        var i = 1
        while i < bytes.count - 1 {
            guard bytes[i] == UInt8(ascii: "\"") else { return nil }
            var j = i + 1
            while j < bytes.count && bytes[j] != UInt8(ascii: "\"") { j += 1 }
            guard j < bytes.count - 1 else { return nil }
            out.append(String(decoding: bytes[(i + 1)..<j], as: UTF8.self))
            i = j + 1
            if bytes[i] == UInt8(ascii: ",") { i += 1 } else if i != bytes.count - 1 { return nil }
        }
        return out
    }

    /// The members of a JSON object as text (arrays joined with ", "), in key order.
    static func keyValues(_ json: String) -> [KeyValue] {
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        func text(_ value: Any) -> String {
            switch value {
            case let s as String: return s
            case let n as NSNumber: return n.stringValue
            case let a as [Any]: return a.map(text).joined(separator: ", ")
            default: return "\(value)"
            }
        }
        return object.keys.sorted().map { KeyValue($0, text(object[$0]!)) }
    }
}
