import GRDB
import GRDBSQLite

/// One interaction as its item lists it: when, which interaction, by whom.
public struct ItemPosting: Sendable, Equatable {
    public var ts: Double
    /// `interactions.id`: ties in `ts` break by it (source order).
    public var id: Int64
    public var user: Int64

    public init(ts: Double, id: Int64, user: Int64) {
        self.ts = ts
        self.id = id
        self.user = user
    }

    @inline(__always) static func inOrder(_ a: ItemPosting, _ b: ItemPosting) -> Bool {
        a.ts < b.ts || (a.ts == b.ts && a.id < b.id)
    }
}

/// An item's interactions, stored packed: an import writes each item's postings as blocks of up to
/// `capacity` entries in `(ts, id)` order, so a million interactions cost about twenty thousand rows
/// instead of a million (the table an item index would be). Entry layout, little-endian, 20 bytes:
/// `ts` float64, `id` int64, `user` int32.
///
/// Edits made later through SQL stay exact without rewriting blocks: the triggers of migration v3 record
/// a deleted or re-keyed interaction in `item_postings_removed` (its block entry no longer counts) and put
/// a re-keyed one's new key in `item_postings` (the loose postings). An item's postings are its block
/// entries not removed, plus its loose postings.
enum PostingBlocks {
    static let entrySize = 20
    static let capacity = 1 << 16

    /// Appends the entries of `postings[range]` to `bytes`.
    static func encode(_ postings: UnsafeBufferPointer<PostingRow>, _ range: Range<Int>, firstInteraction: Int64,
                       into bytes: UnsafeMutableRawPointer) {
        var at = bytes
        for n in range {
            let p = postings[n]
            at.storeBytes(of: p.ts.bitPattern.littleEndian, as: UInt64.self)
            at.storeBytes(of: (firstInteraction &+ Int64(p.source)).littleEndian, toByteOffset: 8, as: Int64.self)
            at.storeBytes(of: p.user.littleEndian, toByteOffset: 16, as: Int32.self)
            at += entrySize
        }
    }

    /// The entries of one block, in stored order.
    static func decode(_ raw: UnsafeRawBufferPointer, into out: inout [ItemPosting]) {
        let count = raw.count / entrySize
        out.reserveCapacity(out.count + count)
        guard let base = raw.baseAddress else { return }
        for k in 0..<count {
            let at = base + k &* entrySize
            let ts = Double(bitPattern: UInt64(littleEndian: at.loadUnaligned(as: UInt64.self)))
            let id = Int64(littleEndian: at.loadUnaligned(fromByteOffset: 8, as: Int64.self))
            let user = Int32(littleEndian: at.loadUnaligned(fromByteOffset: 16, as: Int32.self))
            out.append(ItemPosting(ts: ts, id: id, user: Int64(user)))
        }
    }

    /// Writes `postings` (in `(item, ts, id)` order) as blocks: one statement per block, the entries
    /// packed into one buffer that SQLite reads in place.
    /// - Complexity: O(postings), about `items` rows.
    static func write(_ postings: [PostingRow], firstInteraction: Int64, _ db: Database,
                      capacity: Int = PostingBlocks.capacity) throws {
        guard !postings.isEmpty else { return }
        let insert = try SQLiteStatement(db, "INSERT INTO item_posting_blocks(item, first_id, count, postings) VALUES (?,?,?,?)")
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: postings.count * entrySize, alignment: 8)
        defer { bytes.deallocate() }
        try postings.withUnsafeBufferPointer { postings in
            encode(postings, 0..<postings.count, firstInteraction: firstInteraction, into: bytes)
            var lo = 0
            while lo < postings.count {
                let item = postings[lo].item
                var hi = lo &+ 1
                while hi < postings.count && postings[hi].item == item && hi &- lo < capacity { hi &+= 1 }
                var firstSource = postings[lo].source
                for n in lo..<hi { firstSource = min(firstSource, postings[n].source) }
                insert.bind(1, Int64(item))
                insert.bind(2, firstInteraction &+ Int64(firstSource))
                insert.bind(3, Int64(hi &- lo))
                insert.bind(4, bytes: UnsafeRawBufferPointer(start: bytes + lo &* entrySize, count: (hi &- lo) &* entrySize))
                try insert.step()
                lo = hi
            }
        }
    }

    /// Packs every row of `item_postings` into blocks and empties it (migration v3), streaming: one item's
    /// postings in memory at a time.
    static func pack(looseOf db: Database) throws {
        let insert = try SQLiteStatement(db, "INSERT INTO item_posting_blocks(item, first_id, count, postings) VALUES (?,?,?,?)")
        var bytes: [UInt8] = [], item: Int64 = -1, firstID = Int64.max, count = 0
        func flush() throws {
            guard count > 0 else { return }
            insert.bind(1, item)
            insert.bind(2, firstID)
            insert.bind(3, Int64(count))
            insert.bind(4, blob: bytes)
            try insert.step()
            bytes.removeAll(keepingCapacity: true)
            firstID = .max
            count = 0
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT item, ts, id, user FROM item_postings ORDER BY item, ts, id")
        while let row = try rows.next() {
            let rowItem: Int64 = row[0], ts: Double = row[1], id: Int64 = row[2], user: Int64 = row[3]
            if rowItem != item || count == capacity {
                try flush()
                item = rowItem
            }
            withUnsafeBytes(of: ts.bitPattern.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: id.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: Int32(truncatingIfNeeded: user).littleEndian) { bytes += $0 }
            firstID = min(firstID, id)
            count += 1
        }
        try flush()
        try db.execute(sql: "DELETE FROM item_postings")
    }

    /// The id the next import may start at: past every id an import gave out and every id the removal
    /// list names, so a removed block entry never shares its id with a live one.
    static func nextInteractionID(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: """
            SELECT MAX(COALESCE((SELECT MAX(id) FROM interactions), 0),
                       COALESCE((SELECT MAX(last_interaction) FROM imports), 0),
                       COALESCE((SELECT MAX(id) FROM item_postings_removed), 0))
            """) ?? 0
        return last + 1
    }
}

extension Catalog {
    /// The interactions of item `item` in `(ts, id)` order, read from the posting blocks.
    /// - Complexity: O(p log p) for an item with p postings (blocks of different imports are merged).
    public static func itemPostings(_ db: Database, item: Int64) throws -> [ItemPosting] {
        var postings: [ItemPosting] = []
        let blocks = try Row.fetchCursor(db, sql: "SELECT postings FROM item_posting_blocks WHERE item = ? ORDER BY first_id",
                                         arguments: [item])
        var blockCount = 0
        while let row = try blocks.next() {
            blockCount += 1
            // The blob is read in place: the row's storage lives until the cursor moves.
            guard let data = row.dataNoCopy(atIndex: 0) else { continue }
            data.withUnsafeBytes { PostingBlocks.decode($0, into: &postings) }
        }
        let removed = Set(try Int64.fetchAll(db, sql: "SELECT id FROM item_postings_removed WHERE item = ?", arguments: [item]))
        if !removed.isEmpty { postings.removeAll { removed.contains($0.id) } }
        let loose = try Row.fetchAll(db, sql: "SELECT ts, id, user FROM item_postings WHERE item = ?", arguments: [item])
        postings += loose.map { ItemPosting(ts: $0[0], id: $0[1], user: $0[2]) }
        if blockCount > 1 || !loose.isEmpty { postings.sort(by: ItemPosting.inOrder) }
        return postings
    }

    /// Every item's postings, for checks: `item` ascending, then `(ts, id)`.
    static func allItemPostings(_ db: Database) throws -> [(item: Int64, posting: ItemPosting)] {
        let items = try Int64.fetchAll(db, sql: """
            SELECT item FROM item_posting_blocks UNION SELECT item FROM item_postings ORDER BY item
            """)
        var all: [(item: Int64, posting: ItemPosting)] = []
        for item in items { all += try itemPostings(db, item: item).map { (item, $0) } }
        return all
    }
}
