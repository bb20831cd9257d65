import GRDB

/// One import's additions to the kept counts: per user (interactions, sessions, time span), per item
/// (interactions) and per day. Summed in memory, off the connection, then written by `write`.
struct KeptCounts {
    struct UserSpan { var user: Int64; var count = 0; var sessions = 0; var first = Double.infinity; var last = -Double.infinity }
    var perUser: [UserSpan] = []
    /// The import's interactions per item, by catalog index.
    var itemCounts: [Int64] = []
    var perDay: [(day: Int64, count: Int)] = []

    init() {}

    /// Sums the import's rows (in table order `(user, ts, id)`, so each user's rows are one run) and its
    /// sessions; the per-item counts are the writer's (it needs them earlier, for new items).
    /// - Complexity: O(rows + sessions), plus O(days log days) to order the days.
    init(rows: [InteractionRow], sessions: [SessionSpan], itemCounts: [Int64]) {
        self.itemCounts = itemCounts
        var runOf: [Int32: Int] = [:]
        for row in rows {
            if perUser.last?.user != Int64(row.user) {
                runOf[row.user] = perUser.count
                perUser.append(UserSpan(user: Int64(row.user)))
            }
            let last = perUser.count - 1
            perUser[last].count += 1
            perUser[last].first = min(perUser[last].first, row.ts)
            perUser[last].last = max(perUser[last].last, row.ts)
        }
        for s in sessions {
            if let run = runOf[s.user] { perUser[run].sessions += 1 }
        }
        var days: [Int64: Int] = [:]
        var day = Int64.min, dayCount = 0
        for row in rows {
            let d = Int64((row.ts / 86400).rounded(.down))
            if d != day {
                if dayCount > 0 { days[day, default: 0] += dayCount }
                day = d
                dayCount = 0
            }
            dayCount += 1
        }
        if dayCount > 0 { days[day, default: 0] += dayCount }
        perDay = days.sorted { $0.key < $1.key }.map { (day: $0.key, count: $0.value) }
    }

    /// Adds the counts to `users` and `items` rows that existed before this import (indices below the
    /// given ones: the importer inserts new rows with their counts) and to `daily_activity`, one statement
    /// per table.
    func write(_ db: Database, existingUsersBelow: Int32, existingItemsBelow: Int32) throws {
        typealias U = UserSpan
        let perUser = self.perUser.filter { $0.user < Int64(existingUsersBelow) }
        try perUser.withUnsafeBytes { raw in
            try RowFeed.run(db, """
                UPDATE users SET interactions = interactions + f.c1, sessions = sessions + f.c2,
                  first_ts = MIN(COALESCE(first_ts, f.c3), f.c3), last_ts = MAX(COALESCE(last_ts, f.c4), f.c4)
                FROM \(RowFeed.name) AS f WHERE idx = f.c0
                """, base: raw.baseAddress, count: perUser.count, stride: MemoryLayout<U>.stride, columns: [
                    RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.user)!, kind: .int64),
                    RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.count)!, kind: .int64),
                    RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.sessions)!, kind: .int64),
                    RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.first)!, kind: .doubleOrNull),
                    RowFeed.Column(offset: MemoryLayout<U>.offset(of: \.last)!, kind: .doubleOrNull),
                ])
        }
        let existingItems = min(Int(existingItemsBelow), itemCounts.count)
        let items = (0..<existingItems).filter { itemCounts[$0] > 0 }.map { ItemCount(item: Int64($0), count: itemCounts[$0]) }
        try items.withUnsafeBytes { raw in
            try RowFeed.run(db, """
                UPDATE items SET interactions = interactions + f.c1 FROM \(RowFeed.name) AS f WHERE idx = f.c0
                """, base: raw.baseAddress, count: items.count, stride: MemoryLayout<ItemCount>.stride, columns: [
                    RowFeed.Column(offset: MemoryLayout<ItemCount>.offset(of: \.item)!, kind: .int64),
                    RowFeed.Column(offset: MemoryLayout<ItemCount>.offset(of: \.count)!, kind: .int64),
                ])
        }
        let addDay = try SQLiteStatement(db, """
            INSERT INTO daily_activity(day, interactions) VALUES (?1, ?2)
            ON CONFLICT(day) DO UPDATE SET interactions = interactions + ?2
            """)
        for (day, count) in perDay {
            addDay.bind(1, day)
            addDay.bind(2, Int64(count))
            try addDay.step()
        }
    }

    private struct ItemCount { var item: Int64; var count: Int64 }
}
