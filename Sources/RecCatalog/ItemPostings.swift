import GRDB
import GRDBSQLite
import Foundation

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
/// instead of a million (the table an item index would be).
///
/// An entry is three LEB128 varints, each against the previous entry of the block (the first against 0):
/// the time step `2·Δts` when it is a whole number of seconds (else the tag 1 and the 8 bytes of `ts`,
/// little-endian), the zigzagged id step, and the zigzagged user index. About 8 bytes an entry where a
/// row of the old table took 22.
///
/// Edits made later through SQL stay exact without rewriting blocks: the triggers of migration v3 record
/// a deleted or re-keyed interaction in `item_postings_removed` (its block entry no longer counts) and put
/// a re-keyed one's new key in `item_postings` (the loose postings). An item's postings are its block
/// entries not removed, plus its loose postings.
enum PostingBlocks {
    static let capacity = 1 << 16
    /// The most bytes one entry can take: a tagged raw time and two 10-byte varints.
    static let maxEntrySize = 1 + 8 + 10 + 10

    /// Encodes entries one after another, each against the previous one.
    struct Encoder {
        private var ts = 0.0, id: Int64 = 0

        /// Writes one entry at `at` and returns its size in bytes.
        @inline(__always)
        mutating func put(ts: Double, id: Int64, user: Int64, at: UnsafeMutablePointer<UInt8>) -> Int {
            var n = 0
            let step = ts - self.ts
            if step >= 0 && step < 0x1p53 && step == step.rounded(.towardZero)
                && (self.ts + step).bitPattern == ts.bitPattern {
                n = putVarint(UInt64(step) << 1, at)
            } else {
                at[0] = 1
                UnsafeMutableRawPointer(at + 1).storeBytes(of: ts.bitPattern.littleEndian, as: UInt64.self)
                n = 9
            }
            n &+= putVarint(zigzag(id &- self.id), at + n)
            n &+= putVarint(zigzag(user), at + n)
            self.ts = ts
            self.id = id
            return n
        }
    }

    /// Reads a block's entries back; stops (returns nil) at the end or at the first malformed byte.
    struct Decoder {
        private let bytes: UnsafeRawBufferPointer
        private var at = 0
        private var ts = 0.0, id: Int64 = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var isAtEnd: Bool { at == bytes.count }

        @inline(__always)
        mutating func next() -> ItemPosting? {
            guard let step = varint() else { return nil }
            if step == 1 {
                guard at &+ 8 <= bytes.count else { return nil }
                ts = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
                at &+= 8
            } else {
                guard step & 1 == 0 else { return nil }
                ts += Double(step >> 1)
            }
            guard let idStep = varint(), let user = varint() else { return nil }
            id = id &+ unzigzag(idStep)
            return ItemPosting(ts: ts, id: id, user: unzigzag(user))
        }

        @inline(__always)
        private mutating func varint() -> UInt64? {
            var value: UInt64 = 0, shift: UInt64 = 0
            while at < bytes.count && shift < 64 {
                let byte = bytes[at]
                at &+= 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift &+= 7
            }
            return nil
        }
    }

    @inline(__always)
    static func putVarint(_ value: UInt64, _ at: UnsafeMutablePointer<UInt8>) -> Int {
        var v = value, n = 0
        while v >= 0x80 {
            at[n] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            n &+= 1
        }
        at[n] = UInt8(v)
        return n &+ 1
    }

    @inline(__always) static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inline(__always) static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    /// Appends the `count` entries of one block to `out`.
    static func decode(_ raw: UnsafeRawBufferPointer, count: Int, item: Int64, into out: inout [ItemPosting]) throws {
        out.reserveCapacity(out.count + count)
        var decoder = Decoder(raw)
        for _ in 0..<count {
            guard let posting = decoder.next() else {
                throw CatalogError("item_posting_blocks: a block of item \(item) is malformed (expected \(count) postings); rebuild the catalog by importing its sources again")
            }
            out.append(posting)
        }
        guard decoder.isAtEnd else {
            throw CatalogError("item_posting_blocks: a block of item \(item) has bytes past its \(count) postings; rebuild the catalog by importing its sources again")
        }
    }

    /// Cuts postings arriving in `(item, ts, id)` order into blocks and inserts each block as it closes:
    /// at a new item or when `capacity` entries are in it.
    final class BlockWriter {
        private let insert: SQLiteStatement
        private let capacity: Int
        private let bytes: UnsafeMutablePointer<UInt8>
        private var encoder = Encoder(), item: Int64 = -1, firstID = Int64.max, count = 0, size = 0

        init(_ db: Database, capacity: Int) throws {
            insert = try SQLiteStatement(db, "INSERT INTO item_posting_blocks(item, first_id, count, postings) VALUES (?,?,?,?)")
            self.capacity = capacity
            bytes = .allocate(capacity: capacity * maxEntrySize)
        }

        deinit { bytes.deallocate() }

        @inline(__always)
        func add(item: Int64, ts: Double, id: Int64, user: Int64) throws {
            if item != self.item || count == capacity {
                try flush()
                self.item = item
            }
            size &+= encoder.put(ts: ts, id: id, user: user, at: bytes + size)
            firstID = min(firstID, id)
            count &+= 1
        }

        /// Inserts the open block, if any.
        func flush() throws {
            guard count > 0 else { return }
            insert.bind(1, item)
            insert.bind(2, firstID)
            insert.bind(3, Int64(count))
            insert.bind(4, bytes: UnsafeRawBufferPointer(start: bytes, count: size))
            try insert.step()
            encoder = Encoder()
            firstID = .max
            count = 0
            size = 0
        }
    }

    /// Writes `postings` (in `(item, ts, id)` order) as blocks, one statement per block.
    /// - Complexity: O(postings), about `items` rows.
    static func write(_ postings: [PostingRow], firstInteraction: Int64, _ db: Database,
                      capacity: Int = PostingBlocks.capacity) throws {
        guard !postings.isEmpty else { return }
        let writer = try BlockWriter(db, capacity: capacity)
        for p in postings {
            try writer.add(item: Int64(p.item), ts: p.ts, id: firstInteraction &+ Int64(p.source), user: Int64(p.user))
        }
        try writer.flush()
    }

    /// Packs every row of `item_postings` into blocks and empties it (migration v3), streaming: one block
    /// in memory at a time.
    static func pack(looseOf db: Database) throws {
        let writer = try BlockWriter(db, capacity: capacity)
        let rows = try Row.fetchCursor(db, sql: "SELECT item, ts, id, user FROM item_postings ORDER BY item, ts, id")
        while let row = try rows.next() {
            try writer.add(item: row[0], ts: row[1], id: row[2], user: row[3])
        }
        try writer.flush()
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
    static func itemPostings(_ db: Database, item: Int64) throws -> [ItemPosting] {
        var postings: [ItemPosting] = []
        let blocks = try Row.fetchCursor(db, sql: "SELECT count, postings FROM item_posting_blocks WHERE item = ? ORDER BY first_id",
                                         arguments: [item])
        var blockCount = 0
        while let row = try blocks.next() {
            blockCount += 1
            // The blob is read in place: the row's storage lives until the cursor moves.
            let count: Int = row["count"]
            try row.withUnsafeData(atIndex: 1) { data in
                try (data ?? Data()).withUnsafeBytes { try PostingBlocks.decode($0, count: count, item: item, into: &postings) }
            }
        }
        let removed = Set(try Int64.fetchAll(db, sql: "SELECT id FROM item_postings_removed WHERE item = ?", arguments: [item]))
        if !removed.isEmpty { postings.removeAll { removed.contains($0.id) } }
        let loose = try Row.fetchAll(db, sql: "SELECT ts, id, user FROM item_postings WHERE item = ?", arguments: [item])
        postings += loose.map { ItemPosting(ts: $0["ts"], id: $0["id"], user: $0["user"]) }
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
