import GRDB
import RecCore

/// What an import wrote.
public struct ImportSummary: Sendable, Codable {
    public var importID: Int64
    public var format: String
    public var sources: [String]
    public var usersAdded: Int
    public var itemsAdded: Int
    public var itemsUpdated: Int
    public var interactionsAdded: Int
    public var sessionsAdded: Int
    /// Wall time of the whole import, and of its phases: reading and parsing the files, and (within the
    /// write) rebuilding the item index after a load into an empty table.
    public var seconds: Double
    public var parseSeconds: Double = 0
    public var indexSeconds: Double = 0
    /// Sessionizing, writing sessions, writing interactions, and committing (with its WAL checkpoint).
    public var sessionSeconds: Double = 0
    public var insertSeconds: Double = 0
    public var commitSeconds: Double = 0
    /// True when the same content had been imported before and nothing was written.
    public var alreadyImported: Bool
}

/// Writes an `ImportBatch` into the catalog in one transaction: all of it, or (on any error) nothing.
enum CatalogWriter {
    static func write(_ batch: ImportBatch, into catalog: Catalog, sessionGap: Double) throws -> ImportSummary {
        let started = FileSystem.now()
        let fingerprint = batch.fingerprint
        let sourcePaths = batch.sources.map(\.path)
        // Every id below is built here, in this transaction, so foreign-key checks would only repeat what
        // the writer guarantees; they are off for the load (SQLite allows that only outside a transaction)
        // and back on before anything else uses the connection.
        return try catalog.pool.writeWithoutTransaction { db -> ImportSummary in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var summary: ImportSummary?
            var commitStarted = 0.0
            try db.inTransaction {
                summary = try writeInTransaction(db, batch, fingerprint: fingerprint, sourcePaths: sourcePaths,
                                                 sessionGap: sessionGap, started: started)
                commitStarted = FileSystem.now()
                return .commit
            }
            if summary!.alreadyImported { return summary! }
            summary!.commitSeconds = FileSystem.now() - commitStarted
            summary!.seconds = FileSystem.now() - started
            return summary!
        }
    }

    private static func writeInTransaction(_ db: Database, _ batch: ImportBatch, fingerprint: String,
                                           sourcePaths: [String], sessionGap: Double,
                                           started: Double) throws -> ImportSummary {
        if let previous = try Row.fetchOne(db, sql: "SELECT id, imported_at FROM imports WHERE fingerprint = ?",
                                           arguments: [fingerprint]) {
            return ImportSummary(importID: previous["id"], format: batch.format, sources: sourcePaths,
                                 usersAdded: 0, itemsAdded: 0, itemsUpdated: 0, interactionsAdded: 0,
                                 sessionsAdded: 0, seconds: FileSystem.now() - started, alreadyImported: true)
        }
        // Users: map each batch token to a catalog index, adding the new ones.
        let userIndex = try upsertUsers(db, batch)
        let (itemIndex, itemsAdded, itemsUpdated) = try upsertItems(db, batch)
        let usersAdded = userIndex.added

        // Sessions, over catalog user indices, visiting interactions by (user, time, source order).
        let catalogUsers = batch.interUser.map { userIndex.map[Int($0)] }
        let order = Sessionizer.timeOrder(users: catalogUsers, times: batch.interTime)
        let sessionResult: (sessionOf: [Int32], sessions: [SessionSpan])
        if batch.hasSourceSessions {
            sessionResult = Sessionizer.bySourceLabels(users: catalogUsers, times: batch.interTime,
                                                       labels: batch.interSession,
                                                       names: { batch.sessionNames.string($0) }, gap: sessionGap,
                                                       order: order)
        } else {
            sessionResult = Sessionizer.byGap(users: catalogUsers, times: batch.interTime, gap: sessionGap, order: order)
        }
        let firstSession = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM sessions") ?? 0) + 1
        let sessionStarted = FileSystem.now()
        let insertSession = try SQLiteStatement(db, "INSERT INTO sessions(id, user, external_id, start_ts, end_ts, length) VALUES (?,?,?,?,?,?)")
        for (n, s) in sessionResult.sessions.enumerated() {
            insertSession.bind(1, firstSession + Int64(n))
            insertSession.bind(2, Int64(s.user))
            insertSession.bind(3, s.externalID)
            insertSession.bind(4, s.start)
            insertSession.bind(5, s.end)
            insertSession.bind(6, Int64(s.length))
            try insertSession.step()
        }

        let sessionSeconds = FileSystem.now() - sessionStarted
        let insertStarted = FileSystem.now()
        // Interactions: ids in source order, rows written in the table's (user, ts, id) order so a
        // load into an empty table appends to the B-tree.
        let emptyBefore = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM interactions LIMIT 1)") == 0
        if emptyBefore {
            for name in Schema.interactionIndexNames { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        }
        let firstInteraction = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM interactions") ?? 0) + 1
        let insert = try SQLiteStatement(db, "INSERT INTO interactions(user, ts, id, item, value, event, session, seq, extra) VALUES (?,?,?,?,?,?,?,?,?)")
        let events = (0..<batch.eventNames.count).map { batch.eventNames.string(Int32($0)) }
        let hasExtra = !batch.interExtra.isEmpty
        let hasEvents = batch.interEvent.contains { $0 >= 0 }
        // Gather the columns into table order first: the random reads then run in a tight loop the
        // CPU can overlap, not between SQLite calls. Columns that are NULL throughout are bound once
        // (sqlite3_reset keeps bindings).
        let rows = order.count
        var users = [Int64](repeating: 0, count: rows), items = [Int64](repeating: 0, count: rows)
        var times = [Double](repeating: 0, count: rows), values = [Double](repeating: 0, count: rows)
        var sessions = [Int64](repeating: 0, count: rows), lines = [Int64](repeating: 0, count: rows)
        for (k, n) in order.enumerated() {
            users[k] = Int64(catalogUsers[n])
            items[k] = Int64(itemIndex[Int(batch.interItem[n])])
            times[k] = batch.interTime[n]
            values[k] = batch.interValue[n]
            sessions[k] = firstSession + Int64(sessionResult.sessionOf[n])
            lines[k] = Int64(batch.interLine[n])
        }
        if !hasEvents { insert.bindNull(6) }
        if !hasExtra { insert.bindNull(9) }
        for k in 0..<rows {
            insert.bind(1, users[k])
            insert.bind(2, times[k])
            insert.bind(3, firstInteraction + Int64(order[k]))
            insert.bind(4, items[k])
            let v = values[k]
            if v.isNaN { insert.bindNull(5) } else { insert.bind(5, v) }
            if hasEvents {
                let e = batch.interEvent[order[k]]
                if e >= 0 { insert.bind(6, events[Int(e)]) } else { insert.bindNull(6) }
            }
            insert.bind(7, sessions[k])
            insert.bind(8, lines[k])
            if hasExtra { insert.bind(9, batch.interExtra[order[k]]) }
            try insert.step()
        }
        try addCounts(db, users: users, items: items, times: times, sessions: sessionResult.sessions)
        let insertSeconds = FileSystem.now() - insertStarted
        let indexStarted = FileSystem.now()
        if emptyBefore {
            for sql in Schema.interactionIndexes { try db.execute(sql: sql) }
        }
        let indexSeconds = FileSystem.now() - indexStarted
        if itemsAdded > 0 || itemsUpdated > 0 {
            try db.execute(sql: "INSERT INTO item_search(item_search) VALUES('rebuild')")
        }
        let lastInteraction = firstInteraction + Int64(batch.interactionCount) - 1
        try db.execute(sql: """
            INSERT INTO imports(format, sources, fingerprint, users_added, items_added, interactions_added,
                                first_interaction, last_interaction, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
            """, arguments: [batch.format, JSONText.array(sourcePaths), fingerprint, usersAdded, itemsAdded,
                             batch.interactionCount, firstInteraction, lastInteraction])
        let importID = db.lastInsertedRowID
        return ImportSummary(importID: importID, format: batch.format, sources: sourcePaths,
                             usersAdded: usersAdded, itemsAdded: itemsAdded, itemsUpdated: itemsUpdated,
                             interactionsAdded: batch.interactionCount,
                             sessionsAdded: sessionResult.sessions.count,
                             seconds: FileSystem.now() - started, indexSeconds: indexSeconds,
                             sessionSeconds: sessionSeconds, insertSeconds: insertSeconds,
                             alreadyImported: false)
    }

    /// Adds this import's counts to users, items and daily activity. `users`, `items`, `times` are the
    /// written rows' catalog indices and timestamps.
    private static func addCounts(_ db: Database, users: [Int64], items: [Int64], times: [Double],
                                  sessions: [SessionSpan]) throws {
        struct Span { var user: Int64; var count = 0; var sessions = 0; var first = Double.infinity; var last = -Double.infinity }
        // Rows come in table order, (user, ts, id): each user's rows are one run.
        var perUser: [Span] = []
        var runOf: [Int64: Int] = [:]
        for k in 0..<users.count {
            if perUser.last?.user != users[k] {
                runOf[users[k]] = perUser.count
                perUser.append(Span(user: users[k]))
            }
            let t = times[k]
            perUser[perUser.count - 1].count += 1
            perUser[perUser.count - 1].first = min(perUser[perUser.count - 1].first, t)
            perUser[perUser.count - 1].last = max(perUser[perUser.count - 1].last, t)
        }
        for s in sessions {
            if let run = runOf[Int64(s.user)] { perUser[run].sessions += 1 }
        }
        let itemSlots = Int(items.max() ?? -1) + 1
        var perItemCount = [Int](repeating: 0, count: itemSlots)
        var perDay: [Int64: Int] = [:]
        for k in 0..<items.count {
            perItemCount[Int(items[k])] += 1
            perDay[Int64((times[k] / 86400).rounded(.down)), default: 0] += 1
        }
        let perItem = perItemCount.enumerated().filter { $0.element > 0 }.map { (key: Int64($0.offset), value: $0.element) }
        let updateUser = try SQLiteStatement(db, """
            UPDATE users SET interactions = interactions + ?1, sessions = sessions + ?2,
              first_ts = MIN(COALESCE(first_ts, ?3), ?3), last_ts = MAX(COALESCE(last_ts, ?4), ?4) WHERE idx = ?5
            """)
        for span in perUser {
            let user = span.user
            updateUser.bind(1, Int64(span.count))
            updateUser.bind(2, Int64(span.sessions))
            updateUser.bind(3, span.first)
            updateUser.bind(4, span.last)
            updateUser.bind(5, user)
            try updateUser.step()
        }
        let updateItem = try SQLiteStatement(db, "UPDATE items SET interactions = interactions + ? WHERE idx = ?")
        for (item, count) in perItem {
            updateItem.bind(1, Int64(count))
            updateItem.bind(2, item)
            try updateItem.step()
        }
        let addDay = try SQLiteStatement(db, """
            INSERT INTO daily_activity(day, interactions) VALUES (?1, ?2)
            ON CONFLICT(day) DO UPDATE SET interactions = interactions + ?2
            """)
        for (day, count) in perDay.sorted(by: { $0.key < $1.key }) {
            addDay.bind(1, day)
            addDay.bind(2, Int64(count))
            try addDay.step()
        }
    }

    private static func existingIndex(_ db: Database, table: String) throws -> [String: Int32] {
        var map: [String: Int32] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id FROM \(table)")
        while let row = try rows.next() { map[row[1]] = Int32(row[0] as Int64) }
        return map
    }

    private static func upsertUsers(_ db: Database, _ batch: ImportBatch) throws -> (map: [Int32], added: Int) {
        let existing = try existingIndex(db, table: "users")
        var next = Int32(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM users") ?? 0)
        var map = [Int32](repeating: 0, count: batch.users.count)
        let insert = try SQLiteStatement(db, "INSERT INTO users(idx, external_id, attributes) VALUES (?,?,?)")
        let update = try SQLiteStatement(db, "UPDATE users SET attributes = ? WHERE idx = ?")
        var added = 0
        for t in 0..<batch.users.count {
            let token = Int32(t)
            let id = batch.users.string(token, latin1: batch.latin1Tokens)
            if let idx = existing[id] {
                map[t] = idx
                if let attributes = batch.userAttributes[token] {
                    update.bind(1, attributes)
                    update.bind(2, Int64(idx))
                    try update.step()
                }
            } else {
                map[t] = next
                insert.bind(1, Int64(next))
                insert.bind(2, id)
                insert.bind(3, batch.userAttributes[token])
                try insert.step()
                next += 1
                added += 1
            }
        }
        return (map, added)
    }

    private static func upsertItems(_ db: Database, _ batch: ImportBatch) throws -> (map: [Int32], added: Int, updated: Int) {
        let existing = try existingIndex(db, table: "items")
        var next = Int32(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM items") ?? 0)
        var map = [Int32](repeating: 0, count: batch.items.count)
        let insert = try SQLiteStatement(db, "INSERT INTO items(idx, external_id, title, year, categories, description, attributes) VALUES (?,?,?,?,?,?,?)")
        let update = try SQLiteStatement(db, "UPDATE items SET title = ?, year = ?, categories = ?, description = ?, attributes = ? WHERE idx = ?")
        let clearCategories = try SQLiteStatement(db, "DELETE FROM item_categories WHERE item = ?")
        let insertCategory = try SQLiteStatement(db, "INSERT OR IGNORE INTO item_categories(category, item) VALUES (?, ?)")
        var added = 0, updated = 0
        for t in 0..<batch.items.count {
            let token = Int32(t)
            let id = batch.items.string(token, latin1: batch.latin1Tokens)
            let info = batch.itemInfo[token]
            let idx: Int32
            if let known = existing[id] {
                idx = known
                map[t] = idx
                guard let info else { continue }
                update.bind(1, info.title)
                if let y = info.year { update.bind(2, Int64(y)) } else { update.bindNull(2) }
                update.bind(3, JSONText.array(info.categories))
                update.bind(4, info.description)
                update.bind(5, info.attributes)
                update.bind(6, Int64(idx))
                try update.step()
                clearCategories.bind(1, Int64(idx))
                try clearCategories.step()
                updated += 1
            } else {
                idx = next
                map[t] = idx
                next += 1
                added += 1
                insert.bind(1, Int64(idx))
                insert.bind(2, id)
                insert.bind(3, info?.title)
                if let y = info?.year { insert.bind(4, Int64(y)) } else { insert.bindNull(4) }
                insert.bind(5, JSONText.array(info?.categories ?? []))
                insert.bind(6, info?.description)
                insert.bind(7, info?.attributes)
                try insert.step()
            }
            for category in info?.categories ?? [] {
                insertCategory.bind(1, category)
                insertCategory.bind(2, Int64(idx))
                try insertCategory.step()
            }
        }
        return (map, added, updated)
    }
}
