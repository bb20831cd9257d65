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
    static func write(_ batch: ImportBatch, into writer: some DatabaseWriter, sessionGap: Double) throws -> ImportSummary {
        let started = FileSystem.now()
        let fingerprint = batch.fingerprint
        let sourcePaths = batch.sources.map(\.path)
        // Every id below is built here, in this transaction, so foreign-key checks would only repeat what
        // the writer guarantees; they are off for the load (SQLite allows that only outside a transaction)
        // and back on before anything else uses the connection.
        return try writer.writeWithoutTransaction { db -> ImportSummary in
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

        let catalogUsers = batch.interUser.map { userIndex.map[Int($0)] }
        let catalogItems = batch.interItem.map { itemIndex[Int($0)] }
        let firstSession = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM sessions") ?? 0) + 1
        let firstInteraction = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM interactions") ?? 0) + 1

        // Rows in the interactions' (user, ts, id) order with their sessions, while a second thread puts
        // the postings in (item, ts, id) order.
        let sessionStarted = FileSystem.now()
        var rows: [InteractionRow] = [], sessions: [SessionSpan] = [], postings: [PostingRow] = []
        Concurrently.run({
            rows = TableOrder.interactions(batch, users: catalogUsers, items: catalogItems)
            sessions = assignSessions(&rows, batch, gap: sessionGap)
        }, {
            postings = TableOrder.postings(batch, users: catalogUsers, items: catalogItems)
        })
        let sessionSeconds = FileSystem.now() - sessionStarted

        // This connection writes sessions and interactions while the second thread sums the kept counts.
        let insertStarted = FileSystem.now()
        var counts = KeptCounts()
        var insertError: Error?
        Concurrently.run({
            do {
                try insertSessions(db, sessions, firstSession: firstSession)
                try insertInteractions(db, batch, rows: rows, firstInteraction: firstInteraction,
                                       firstSession: firstSession)
            } catch { insertError = error }
        }, {
            counts = KeptCounts(rows: rows, sessions: sessions)
        })
        if let insertError { throw insertError }
        try counts.write(db)
        let insertSeconds = FileSystem.now() - insertStarted
        let indexStarted = FileSystem.now()
        try PostingRow.write(postings, firstInteraction: firstInteraction, db)
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
                             sessionsAdded: sessions.count,
                             seconds: FileSystem.now() - started, indexSeconds: indexSeconds,
                             sessionSeconds: sessionSeconds, insertSeconds: insertSeconds,
                             alreadyImported: false)
    }

    /// Numbers the sessions of `rows` (in table order): the source's own session ids when it has them,
    /// else splits at gaps longer than `gap` seconds. Sessions come out in (user, start) order.
    private static func assignSessions(_ rows: inout [InteractionRow], _ batch: ImportBatch, gap: Double) -> [SessionSpan] {
        if batch.hasSourceSessions {
            let order = rows.map { Int($0.source) }
            var catalogUsers = [Int32](repeating: 0, count: batch.interactionCount)
            for row in rows { catalogUsers[Int(row.source)] = row.user }
            let result = Sessionizer.bySourceLabels(users: catalogUsers, times: batch.interTime,
                                                    labels: batch.interSession,
                                                    names: { batch.sessionNames.string($0) }, gap: gap, order: order)
            for k in rows.indices { rows[k].session = result.sessionOf[Int(rows[k].source)] }
            return result.sessions
        }
        return rows.withUnsafeMutableBufferPointer { rows in
            Sessionizer.splitByGap(count: rows.count, gap: gap, user: { rows[$0].user }, time: { rows[$0].ts },
                                   assign: { rows[$0].session = $1 })
        }
    }

    private static func insertSessions(_ db: Database, _ sessions: [SessionSpan], firstSession: Int64) throws {
        if !sessions.contains(where: { $0.externalID != nil }) {
            typealias S = SessionSpan
            try sessions.withUnsafeBytes { raw in
                try RowFeed.run(db, """
                    INSERT INTO sessions(id, user, start_ts, end_ts, length) SELECT c0, c1, c2, c3, c4 FROM \(RowFeed.name)
                    """, base: raw.baseAddress, count: sessions.count, stride: MemoryLayout<S>.stride, columns: [
                        RowFeed.Column(offset: 0, kind: .rowNumber, add: firstSession),
                        RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.user)!, kind: .int32),
                        RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.start)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.end)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.length)!, kind: .int64),
                    ])
            }
            return
        }
        let insert = try SQLiteStatement(db, "INSERT INTO sessions(id, user, external_id, start_ts, end_ts, length) VALUES (?,?,?,?,?,?)")
        for (n, s) in sessions.enumerated() {
            insert.bind(1, firstSession &+ Int64(n))
            insert.bind(2, Int64(s.user))
            insert.bind(3, s.externalID)
            insert.bind(4, s.start)
            insert.bind(5, s.end)
            insert.bind(6, Int64(s.length))
            try insert.step()
        }
    }

    /// Writes the interactions in the table's `(user, ts, id)` order, so a load into an empty table
    /// appends to the B-tree.
    private static func insertInteractions(_ db: Database, _ batch: ImportBatch, rows: [InteractionRow],
                                           firstInteraction: Int64, firstSession: Int64) throws {
        let hasExtra = !batch.interExtra.isEmpty
        let hasEvents = batch.interEvent.contains { $0 >= 0 }
        if !hasEvents && !hasExtra {
            // Numbers only: the whole load is one statement reading the rows in place.
            typealias R = InteractionRow
            try rows.withUnsafeBytes { raw in
                try RowFeed.run(db, """
                    INSERT INTO interactions(user, ts, id, item, value, session, seq)
                    SELECT c0, c1, c2, c3, c4, c5, c6 FROM \(RowFeed.name)
                    """, base: raw.baseAddress, count: rows.count, stride: MemoryLayout<R>.stride, columns: [
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.user)!, kind: .int32),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.ts)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.source)!, kind: .int32, add: firstInteraction),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.item)!, kind: .int32),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.value)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.session)!, kind: .int32, add: firstSession),
                        RowFeed.Column(offset: MemoryLayout<R>.offset(of: \.line)!, kind: .int32),
                    ])
            }
            return
        }
        let insert = try SQLiteStatement(db, "INSERT INTO interactions(user, ts, id, item, value, event, session, seq, extra) VALUES (?,?,?,?,?,?,?,?,?)")
        let events = (0..<batch.eventNames.count).map { batch.eventNames.string(Int32($0)) }
        // Columns that are NULL throughout are bound once (sqlite3_reset keeps bindings).
        if !hasEvents { insert.bindNull(6) }
        if !hasExtra { insert.bindNull(9) }
        for row in rows {
            insert.bind(1, Int64(row.user))
            insert.bind(2, row.ts)
            insert.bind(3, firstInteraction &+ Int64(row.source))
            insert.bind(4, Int64(row.item))
            if row.value.isNaN { insert.bindNull(5) } else { insert.bind(5, row.value) }
            if hasEvents {
                let e = batch.interEvent[Int(row.source)]
                if e >= 0 { insert.bind(6, events[Int(e)]) } else { insert.bindNull(6) }
            }
            insert.bind(7, firstSession &+ Int64(row.session))
            insert.bind(8, Int64(row.line))
            if hasExtra { insert.bind(9, batch.interExtra[Int(row.source)]) }
            try insert.step()
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
