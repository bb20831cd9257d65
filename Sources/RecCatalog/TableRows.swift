import GRDB

/// One interaction as the importer writes it to `interactions`.
struct InteractionRow {
    var user: Int32
    var item: Int32
    /// Position in the import's source order: the row's id is the import's first id plus this.
    var source: Int32
    var line: Int32
    /// Index into the import's sessions.
    var session: Int32 = -1
    var ts: Double
    /// NaN when the source had none.
    var value: Double
}

/// One posting (see `PostingBlocks`), before its interaction id is known.
struct PostingRow {
    var item: Int32
    var user: Int32
    var source: Int32
    var ts: Double
}

/// Grouping rows into a table's key order without gathering: rows are scattered into their key's bucket
/// in one sequential pass over the source, so the random memory traffic is stores, which the CPU does not
/// wait for, and every later pass (sessions, counts, inserts) reads the result sequentially.
enum TableOrder {
    /// `make(0..<count)` ordered by `key` (dense, `0..<keyCount`), then time, then source position.
    /// - Complexity: O(count + keyCount), plus a sort of each key's rows where time goes backwards.
    @inline(__always)
    static func grouped<Row>(count: Int, keyCount: Int, key: (Int) -> Int, make: (Int) -> Row,
                             time: (Row) -> Double, source: (Row) -> Int32) -> [Row] {
        var start = [Int](repeating: 0, count: keyCount + 1)
        for n in 0..<count { start[key(n) &+ 1] &+= 1 }
        for k in 0..<keyCount { start[k &+ 1] &+= start[k] }
        var cursor = start
        var rows = [Row](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress!
            cursor.withUnsafeMutableBufferPointer { cursor in
                for n in 0..<count {
                    let k = key(n)
                    (base + cursor[k]).initialize(to: make(n))
                    cursor[k] &+= 1
                }
            }
            initialized = count
        }
        // Within a key the rows are in source order; sort by time only where time goes backwards.
        rows.withUnsafeMutableBufferPointer { rows in
            for k in 0..<keyCount {
                let lo = start[k], hi = start[k &+ 1]
                var sorted = true
                var i = lo &+ 1
                while i < hi {
                    if time(rows[i]) < time(rows[i &- 1]) { sorted = false; break }
                    i &+= 1
                }
                if !sorted {
                    rows[lo..<hi].sort { a, b in
                        time(a) < time(b) || (time(a) == time(b) && source(a) < source(b))
                    }
                }
            }
        }
        return rows
    }

    /// The import's interactions in `(user, ts, id)` order, over catalog indices.
    static func interactions(_ batch: ImportBatch, users: [Int32], items: [Int32]) -> [InteractionRow] {
        let keyCount = Int(users.max() ?? -1) + 1
        return grouped(count: users.count, keyCount: keyCount, key: { Int(users[$0]) }, make: { n in
            InteractionRow(user: users[n], item: items[n], source: Int32(truncatingIfNeeded: n),
                           line: batch.interLine[n], ts: batch.interTime[n], value: batch.interValue[n])
        }, time: { $0.ts }, source: { $0.source })
    }

    /// The import's postings in `(item, ts, id)` order, over catalog indices.
    static func postings(_ batch: ImportBatch, users: [Int32], items: [Int32]) -> [PostingRow] {
        let keyCount = Int(items.max() ?? -1) + 1
        return grouped(count: items.count, keyCount: keyCount, key: { Int(items[$0]) }, make: { n in
            PostingRow(item: items[n], user: users[n], source: Int32(truncatingIfNeeded: n), ts: batch.interTime[n])
        }, time: { $0.ts }, source: { $0.source })
    }
}
