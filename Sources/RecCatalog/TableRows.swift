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
    /// The rows `make(n)` of the `n` in `0..<count` whose `key(n)` lies in `keys`, ordered by key, then time,
    /// then source position. `counts[k]` is how many rows key `k` has (`rows` in all over `keys`).
    /// - Complexity: O(count + keys.count), plus a sort of each key's rows where time goes backwards.
    /// `members` lists the source positions to look at (every one when nil), in increasing order.
    @inline(__always)
    static func scatter<Row>(count: Int, members: UnsafeBufferPointer<Int32>? = nil, keys: Range<Int>,
                             rows rowCount: Int, counts: [Int], key: (Int) -> Int,
                             make: (Int) -> Row, time: (Row) -> Double, source: (Row) -> Int32) -> [Row] {
        let keyCount = keys.count, low = keys.lowerBound
        var start = [Int](repeating: 0, count: keyCount + 1)
        for k in 0..<keyCount { start[k &+ 1] = start[k] &+ counts[low &+ k] }
        precondition(start[keyCount] == rowCount, "TableOrder.scatter: counts do not add up to the rows")
        var cursor = start
        var rows = [Row](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            defer { initialized = rowCount }
            let base = buffer.baseAddress
            cursor.withUnsafeMutableBufferPointer { cursor in
                if let members {
                    for m in members {
                        let n = Int(m), k = key(n) &- low
                        (base! + cursor[k]).initialize(to: make(n))
                        cursor[k] &+= 1
                    }
                    return
                }
                for n in 0..<count {
                    let k = key(n) &- low
                    guard UInt(bitPattern: k) < UInt(bitPattern: keyCount) else { continue }
                    (base! + cursor[k]).initialize(to: make(n))
                    cursor[k] &+= 1
                }
            }
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
}
