import GRDB
import RecCore

/// Writes an `ImportBatch` into the catalog in one transaction: all of it, or (on any error) nothing.
enum CatalogWriter {
    /// `rowsPerPiece`: how many rows the writer puts in order at a time (`ImportPieces`).
    static func write(_ batch: ImportBatch, into writer: some DatabaseWriter, sessionGap: Double,
                      rowsPerPiece: Int = ImportPieces.rowsPerPiece) throws -> ImportSummary {
        let watch = Stopwatch()
        var clock = PhaseClock()
        let fingerprint = batch.fingerprint
        let sourcePaths = batch.sources.map(\.path)
        // Every id below is built here, in this transaction, so foreign-key checks would only repeat what
        // the writer guarantees; they are off for the load (SQLite allows that only outside a transaction)
        // and back on before anything else uses the connection.
        return try writer.writeWithoutTransaction { db -> ImportSummary in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var summary: ImportSummary?
            try db.inTransaction {
                summary = try writeInTransaction(db, batch, fingerprint: fingerprint, sourcePaths: sourcePaths,
                                                 sessionGap: sessionGap, rowsPerPiece: rowsPerPiece,
                                                 watch: watch, clock: &clock)
                return .commit
            }
            if summary!.alreadyImported { return summary! }
            clock.mark("commit")
            summary!.phases = clock.phases
            summary!.seconds = watch.elapsed
            return summary!
        }
    }

    private static func writeInTransaction(_ db: Database, _ batch: ImportBatch, fingerprint: String,
                                           sourcePaths: [String], sessionGap: Double, rowsPerPiece: Int,
                                           watch: Stopwatch, clock: inout PhaseClock) throws -> ImportSummary {
        if let previous = try Row.fetchOne(db, sql: "SELECT id, imported_at FROM imports WHERE fingerprint = ?",
                                           arguments: [fingerprint]) {
            return ImportSummary(importID: previous["id"], format: batch.format, sources: sourcePaths,
                                 usersAdded: 0, itemsAdded: 0, itemsUpdated: 0, interactionsAdded: 0,
                                 sessionsAdded: 0, seconds: watch.elapsed, alreadyImported: true)
        }
        clock.mark("check")
        // Each batch token's catalog index; new users and items get the next indices and are written below,
        // with their kept counts, once the rows are ordered.
        let users = try IndexPlan(db, table: "users", tokens: batch.users, latin1: batch.latin1Tokens)
        let items = try IndexPlan(db, table: "items", tokens: batch.items, latin1: batch.latin1Tokens)
        try updateUserAttributes(db, batch, users)
        clock.mark("plan")
        let firstSession = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM sessions") ?? 0) + 1
        let firstInteraction = try PostingBlocks.nextInteractionID(db)

        // Rows per catalog user and item; the rows are then written a piece (a run of whole users, later
        // of whole items) at a time: one thread makes the next piece while this connection writes the
        // last one (`ImportPieces`). Meanwhile the first piece is made, a second thread writes the new
        // items, which need only their interaction counts, and rebuilds the title search over them.
        let userMap = users.map, itemMap = items.map
        var userCounts = [Int](repeating: 0, count: Int(users.firstNew) + users.newTokens.count)
        var itemRows = [Int](repeating: 0, count: Int(items.firstNew) + items.newTokens.count)
        for u in batch.interUser { userCounts[Int(userMap[Int(u)])] &+= 1 }
        for i in batch.interItem { itemRows[Int(itemMap[Int(i)])] &+= 1 }
        let itemCounts = itemRows.map(Int64.init)
        let userSpans = ImportPieces.spans(counts: userCounts, rowsPerPiece: rowsPerPiece)
        let itemSpans = ImportPieces.spans(counts: itemRows, rowsPerPiece: rowsPerPiece)
        var labels = Sessionizer.LabelSlots(labels: batch.hasSourceSessions ? batch.sessionNames.count : 0)
        var sessionsMade = 0
        // Each piece's rows, found in one pass: the users' pieces up front, the items' once those are made.
        var members: PieceMembers? = PieceMembers(count: batch.interactionCount, spans: userSpans, keyCount: userCounts.count) {
            Int(userMap[Int(batch.interUser[$0])])
        }
        func make(_ step: Int) -> Piece {
            if step < userSpans.count {
                let piece = members!.withPiece(step) { members in
                    ImportPieces.interactions(batch, userMap: userMap, itemMap: itemMap, userCounts: userCounts,
                                              span: userSpans[step], members: members, gap: sessionGap,
                                              firstSession: sessionsMade, labels: &labels)
                }
                sessionsMade += piece.sessions.count
                return .interactions(piece)
            }
            if step == userSpans.count {
                labels = Sessionizer.LabelSlots(labels: 0)
                members = nil
                members = PieceMembers(count: batch.interactionCount, spans: itemSpans, keyCount: itemRows.count) {
                    Int(itemMap[Int(batch.interItem[$0])])
                }
            }
            return .postings(members!.withPiece(step - userSpans.count) { members in
                ImportPieces.postings(batch, userMap: userMap, itemMap: itemMap, itemCounts: itemRows,
                                      span: itemSpans[step - userSpans.count], members: members)
            })
        }
        var ready: Piece = .postings([])
        var itemsWritten: Result<(added: Int, updated: Int), Error> = .success((0, 0))
        Parallel.both({
            ready = make(0)
        }, {
            itemsWritten = Result {
                let written = try upsertItems(db, batch, items, itemCounts: itemCounts)
                if written.updated > 0 || (written.added > 0 && items.firstNew == 0) {
                    try SQLiteStatement(db, "INSERT INTO item_search(item_search) VALUES('rebuild')").step()
                } else if written.added > 0 {
                    // Only new items: index just them (a rebuild reads every item of a large catalog again).
                    try SQLiteStatement(db, """
                        INSERT INTO item_search(rowid, title, external_id) SELECT idx, title, external_id FROM items WHERE idx >= \(items.firstNew)
                        """).step()
                }
                return written
            }
        })
        let (itemsAdded, itemsUpdated) = try itemsWritten.get()
        clock.mark("order, items, search")

        var counts = KeptCounts(itemCounts: itemCounts)
        let blocks = try PostingBlocks.BlockWriter(db, capacity: PostingBlocks.capacity)
        let steps = userSpans.count + itemSpans.count
        for step in 0..<steps {
            var next: Piece?
            var writeError: Error?
            Parallel.both({
                do {
                    switch ready {
                    case .interactions(let piece):
                        try insertSessions(db, piece.sessions, labels: piece.labels, firstSession: firstSession + Int64(piece.firstSession))
                        try insertInteractions(db, batch, rows: piece.rows, firstInteraction: firstInteraction,
                                               firstSession: firstSession + Int64(piece.firstSession))
                        counts.add(piece)
                    case .postings(let postings):
                        for p in postings {
                            try blocks.add(item: Int64(p.item), ts: p.ts, id: firstInteraction &+ Int64(p.source), user: Int64(p.user))
                        }
                    }
                } catch { writeError = error }
            }, {
                if step + 1 < steps { next = make(step + 1) }
            })
            if let writeError { throw writeError }
            ready = next ?? .postings([])
            if step + 1 == userSpans.count { clock.mark("sessions, interactions") }
        }
        try blocks.flush()
        clock.mark("postings")
        try insertNewUsers(db, batch, users, counts)
        clock.mark("users")
        try counts.write(db, existingUsersBelow: users.firstNew, existingItemsBelow: items.firstNew)
        clock.mark("counts")
        let lastInteraction = firstInteraction + Int64(batch.interactionCount) - 1
        try db.execute(sql: """
            INSERT INTO imports(format, sources, fingerprint, users_added, items_added, interactions_added,
                                first_interaction, last_interaction, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
            """, arguments: [batch.format, JSONText.array(sourcePaths), fingerprint, users.newTokens.count, itemsAdded,
                             batch.interactionCount, firstInteraction, lastInteraction])
        let importID = db.lastInsertedRowID
        return ImportSummary(importID: importID, format: batch.format, sources: sourcePaths,
                             usersAdded: users.newTokens.count, itemsAdded: itemsAdded, itemsUpdated: itemsUpdated,
                             interactionsAdded: batch.interactionCount,
                             sessionsAdded: sessionsMade,
                             seconds: watch.elapsed,
                             alreadyImported: false)
    }

    /// A piece of the import in table order, made on one thread while the connection writes the last.
    private enum Piece {
        case interactions(InteractionPiece)
        case postings([PostingRow])
    }

    /// Inserts one piece's sessions, numbered from `firstSession`, with the source's labels as their
    /// external ids (read in place from the piece's `labels`): one statement from the row feed.
    private static func insertSessions(_ db: Database, _ sessions: [SessionRow], labels: LabelText,
                                       firstSession: Int64) throws {
        typealias S = SessionRow
        try labels.bytes.withUnsafeBufferPointer { bytes in
            try labels.starts.withUnsafeBufferPointer { starts in
                try sessions.withUnsafeBytes { raw in
                    try RowFeed.run(db, """
                        INSERT INTO sessions(id, user, external_id, start_ts, end_ts, length)
                        SELECT c0, c1, c2, c3, c4, c5 FROM \(RowFeed.name)
                        """, base: raw.baseAddress, count: sessions.count, stride: MemoryLayout<S>.stride, columns: [
                            RowFeed.Column(offset: 0, kind: .rowNumber, add: firstSession),
                            RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.user)!, kind: .int32),
                            RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.label)!, kind: .token,
                                           tokens: RowFeed.Tokens(bytes: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!,
                                                                  starts: starts.baseAddress!)),
                            RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.start)!, kind: .doubleOrNull),
                            RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.end)!, kind: .doubleOrNull),
                            RowFeed.Column(offset: MemoryLayout<S>.offset(of: \.length)!, kind: .int64),
                        ])
                }
            }
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

    /// Existing users' attributes, replaced by the batch's where it has them.
    private static func updateUserAttributes(_ db: Database, _ batch: ImportBatch, _ plan: IndexPlan) throws {
        guard plan.firstNew > 0, !batch.userAttributes.isEmpty else { return }
        let update = try SQLiteStatement(db, "UPDATE users SET attributes = ? WHERE idx = ?")
        for (token, attributes) in batch.userAttributes.sorted(by: { $0.key < $1.key }) {
            let idx = plan.map[Int(token)]
            guard idx < plan.firstNew else { continue }
            update.bind(1, attributes)
            update.bind(2, Int64(idx))
            try update.step()
        }
    }

    /// Inserts the batch's new users with their kept counts (users without interactions get zeros) and
    /// attributes: one `INSERT … SELECT` from the row feed, their text copied once into one buffer.
    private static func insertNewUsers(_ db: Database, _ batch: ImportBatch, _ plan: IndexPlan, _ counts: KeptCounts) throws {
        guard !plan.newTokens.isEmpty else { return }
        var spans = [KeptCounts.UserSpan?](repeating: nil, count: plan.newTokens.count)
        for s in counts.perUser where s.user >= Int64(plan.firstNew) { spans[Int(s.user) - Int(plan.firstNew)] = s }
        var text = TextArena()
        let handles = plan.newTokens.map { token in
            (id: plan.addID(token, batch.users, to: &text), attributes: text.add(batch.userAttributes[token]))
        }
        struct NewUser {
            var id, attributes: RowFeed.TextRef
            var count, sessions: Int64
            var first, last: Double
        }
        try text.withRefs { ref in
            let rows = handles.enumerated().map { n, handle in
                let span = spans[n]
                return NewUser(id: ref(handle.id), attributes: ref(handle.attributes),
                               count: Int64(span?.count ?? 0), sessions: Int64(span?.sessions ?? 0),
                               first: span?.first ?? .nan, last: span?.last ?? .nan)
            }
            typealias U = NewUser
            try rows.withUnsafeBytes { raw in
                try RowFeed.run(db, """
                    INSERT INTO users(idx, external_id, attributes, interactions, sessions, first_ts, last_ts)
                    SELECT c0, c1, c2, c3, c4, c5, c6 FROM \(RowFeed.name)
                    """, base: raw.baseAddress, count: rows.count, stride: MemoryLayout<U>.stride, columns: [
                        RowFeed.Column(offset: 0, kind: .rowNumber, add: Int64(plan.firstNew)),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.id)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.attributes)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.count)!, kind: .int64),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.sessions)!, kind: .int64),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.first)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.last)!, kind: .doubleOrNull),
                    ])
            }
        }
    }

    /// Inserts the batch's new items with their interaction counts (`itemCounts`, by catalog index), updates existing items the batch describes, and writes their categories: the
    /// new items and the categories as one `INSERT … SELECT` each from the row feed, their text copied once
    /// into one buffer. Raw C API only, so it may run on another thread while the connection's own thread
    /// waits.
    private static func upsertItems(_ db: Database, _ batch: ImportBatch, _ plan: IndexPlan,
                                    itemCounts: [Int64]) throws -> (added: Int, updated: Int) {
        var updated = 0
        var memberships: [(category: String, item: Int64)] = []
        var text = TextArena()
        struct NewItem { var id, title, categories, description, attributes: Int; var year: Double; var count: Int64 }
        var newItems: [NewItem] = []
        newItems.reserveCapacity(plan.newTokens.count)
        let update = try SQLiteStatement(db, "UPDATE items SET title = ?, year = ?, categories = ?, description = ?, attributes = ? WHERE idx = ?")
        let clearCategories = try SQLiteStatement(db, "DELETE FROM item_categories WHERE item = ?")
        for t in 0..<batch.items.count {
            let token = Int32(t)
            let idx = plan.map[t]
            let info = batch.itemInfo[token]
            if idx < plan.firstNew {
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
                newItems.append(NewItem(id: plan.addID(token, batch.items, to: &text),
                                        title: text.add(info?.title),
                                        categories: text.add(JSONText.array(info?.categories ?? [])),
                                        description: text.add(info?.description), attributes: text.add(info?.attributes),
                                        year: info?.year.map(Double.init) ?? .nan,
                                        count: itemCounts[Int(idx)]))
            }
            for category in info?.categories ?? [] { memberships.append((category, Int64(idx))) }
        }
        // In the table's (category, item) order: each row lands at the end of the B-tree, not in the middle.
        memberships.sort { $0.category < $1.category || ($0.category == $1.category && $0.item < $1.item) }
        struct Membership { var category: Int; var item: Int64 }
        var lastCategory: String?, lastOffset = -1
        let categoryRows = memberships.map { m -> Membership in
            if m.category != lastCategory { lastOffset = text.add(m.category); lastCategory = m.category }
            return Membership(category: lastOffset, item: m.item)
        }
        struct ItemRow {
            var id, title, categories, description, attributes: RowFeed.TextRef
            var year: Double
            var count: Int64
        }
        struct CategoryRow { var category: RowFeed.TextRef; var item: Int64 }
        try text.withRefs { ref in
            let items = newItems.map { n in
                ItemRow(id: ref(n.id), title: ref(n.title), categories: ref(n.categories), description: ref(n.description),
                        attributes: ref(n.attributes), year: n.year, count: n.count)
            }
            typealias I = ItemRow
            try items.withUnsafeBytes { raw in
                try RowFeed.run(db, """
                    INSERT INTO items(idx, external_id, title, categories, description, attributes, year, interactions)
                    SELECT c0, c1, c2, c3, c4, c5, c6, c7 FROM \(RowFeed.name)
                    """, base: raw.baseAddress, count: items.count, stride: MemoryLayout<I>.stride, columns: [
                        RowFeed.Column(offset: 0, kind: .rowNumber, add: Int64(plan.firstNew)),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.id)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.title)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.categories)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.description)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.attributes)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.year)!, kind: .doubleOrNull),
                        RowFeed.Column(offset: MemoryLayout<I>.offset(of: \.count)!, kind: .int64),
                    ])
            }
            let rows = categoryRows.map { CategoryRow(category: ref($0.category), item: $0.item) }
            typealias C = CategoryRow
            try rows.withUnsafeBytes { raw in
                try RowFeed.run(db, """
                    INSERT OR IGNORE INTO item_categories(category, item) SELECT c0, c1 FROM \(RowFeed.name)
                    """, base: raw.baseAddress, count: rows.count, stride: MemoryLayout<C>.stride, columns: [
                        RowFeed.Column(offset: MemoryLayout<C>.offset(of: \.category)!, kind: .text),
                        RowFeed.Column(offset: MemoryLayout<C>.offset(of: \.item)!, kind: .int64),
                    ])
            }
        }
        return (plan.newTokens.count, updated)
    }
}
