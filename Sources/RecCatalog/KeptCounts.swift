import GRDB

/// One import's additions to the kept counts: per user (interactions, sessions, time span), per item
/// (interactions) and per day. Summed in memory piece by piece as the rows are written, then written by `write`.
struct KeptCounts {
    struct UserSpan { var user: Int64; var count = 0; var sessions = 0; var first = Double.infinity; var last = -Double.infinity }
    var perUser: [UserSpan] = []
    /// The import's interactions per item, by catalog index.
    var itemCounts: [Int64] = []

    init() {}

    /// Counts to be summed piece by piece (`add`); the per-item counts are the writer's (it needs them
    /// earlier, for new items).
    init(itemCounts: [Int64]) { self.itemCounts = itemCounts }

    /// Adds one piece's users (which no earlier piece had: pieces are runs of whole users, in order) and days.
    mutating func add(_ piece: InteractionPiece) {
        perUser += piece.perUser
        for (day, count) in piece.perDay { days[day, default: 0] += count }
    }

    private var days: [Int64: Int] = [:]

    /// The days in order, with their interactions.
    var perDay: [(day: Int64, count: Int)] { days.sorted { $0.key < $1.key }.map { (day: $0.key, count: $0.value) } }

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
