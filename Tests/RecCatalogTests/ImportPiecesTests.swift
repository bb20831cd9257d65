import GRDB
import Testing
import RecCore
@testable import RecCatalog

/// Large imports are read and written in pieces (`SourceChunks`, `ImportPieces`); a piece boundary must
/// change nothing: the same rows, indices, lines, first error, fingerprint and catalog as one piece.
@Suite struct ImportPiecesTests {
    @Test func theStreamedFingerprintIsTheWholeFilesFingerprint() {
        var rng = SeededGenerator(seed: 5)
        for n in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for _ in 0..<20 {
                var stream = Fingerprint.Stream(count: n)
                var at = 0
                while at < n {
                    let take = min(n - at, Int.random(in: 0...11, using: &rng))
                    bytes.withUnsafeBytes { stream.add(UnsafeRawBufferPointer(rebasing: $0[at..<at + take])) }
                    at += take
                }
                #expect(stream.value == Fingerprint.of(bytes), "\(n) bytes")
            }
        }
    }

    /// Random `.inter` files (every oddity of `PlainRowsTests.randomFile`, bad rows included) read in
    /// pieces of a few bytes to a few hundred give exactly what one read of the whole file gives.
    @Test func aFileReadInPiecesReadsAsAWholeFile() throws {
        var rng = SeededGenerator(seed: 23)
        let dir = TempDir()
        for n in 0..<300 {
            let bytes = PlainRowsTests.randomFile(&rng, badRows: n % 2 == 1)
            let reference = PlainRowsTests.read(bytes, plain: true, split: false, closedUsers: nil, closedItems: nil)
            let path = dir.write("t\(n).inter", bytes: bytes)
            let pieceBytes = Int.random(in: 1...300, using: &rng)
            var batch = ImportBatch(format: "recbole")
            var outcome = PlainRowsTests.Outcome()
            guard var chunks = SourceChunks(path: path, above: 0) else { Issue.record("cannot open \(path)"); return }
            defer { chunks.finish() }
            do {
                let record = try RecBoleImporter.readInteractions(&chunks, pieceBytes: pieceBytes, into: &batch,
                                                                  closedUsers: false, closedItems: false, splitAbove: 64)
                #expect(record.fingerprint == Fingerprint.of(bytes))
                func ints(_ a: [Int32]) -> [Int64] { a.map(Int64.init) }
                func bits(_ a: [Double]) -> [Int64] { a.map { Int64(bitPattern: $0.bitPattern) } }
                func names(_ t: TokenInterner) -> [String] { (0..<t.count).map { t.string(Int32($0)) } }
                outcome = PlainRowsTests.Outcome(
                    columns: [ints(batch.interUser), ints(batch.interItem), bits(batch.interTime), bits(batch.interValue),
                              ints(batch.interSession), ints(batch.interEvent), ints(batch.interLine)],
                    extra: batch.interExtra,
                    tokens: [names(batch.users), names(batch.items), names(batch.sessionNames), names(batch.eventNames)])
            } catch {
                outcome.error = ImportError(file: "t.inter", line: error.line, error.message)
            }
            #expect(outcome == reference, "file \(n), pieces of \(pieceBytes) bytes: \(outcome) vs \(reference)")
            if outcome != reference { return }
        }
    }

    /// Source session labels that recur within a user, are shared by two users, or are missing (gap
    /// sessions among the unlabelled rows), rows out of time order: written in pieces of 1 to 5 rows, the
    /// catalog is the same as written in one piece, table by table.
    @Test func writingInPiecesWritesTheSameCatalog() throws {
        let withLabels = """
            user_id:token\titem_id:token\ttimestamp:float\trating:float\tsession_id:token
            u2\ti1\t100\t4\ts1
            u1\ti2\t50\t3\ts1
            u1\ti3\t40\t\ts2
            u2\ti3\t7000\t5\t
            u3\ti1\t10\t1\t
            u2\ti2\t100\t2\ts1
            u1\ti1\t9000\t4\ts2
            u3\ti4\t20\t2\t
            u3\ti2\t99999\t3\tz
            u2\ti4\t9000\t\t
            u4\ti4\t5\t5\ts9
            u1\ti4\t45\t1\ts1

            """
        let withoutLabels = """
            user_id:token\titem_id:token\ttimestamp:float
            a\tx\t300
            b\ty\t10
            a\ty\t100
            a\tz\t5000
            c\tx\t1
            b\tz\t10
            a\tx\t100
            c\ty\t99999

            """
        for (name, text) in [("labels", withLabels), ("gaps", withoutLabels)] {
            let dir = TempDir()
            let file = try SourceFile(path: dir.write("d.inter", text))
            var batch = ImportBatch(format: "recbole")
            batch.sources.append(file.record)
            try RecBoleImporter.readInteractions(file, into: &batch, closedUsers: false, closedItems: false)
            let reference = try dump(dir.catalog("one.sqlite"), batch)
            for rows in 1...5 {
                let pieces = try dump(dir.catalog("pieces\(rows).sqlite"), batch, rowsPerPiece: rows)
                #expect(pieces == reference, "\(name), \(rows) rows a piece")
            }
            if name == "labels" {
                // s1 of u1 is one session across its two rows; u2's s1 is another; unlabelled rows split at gaps.
                #expect(reference["sessions"]?.count == 8, "\(reference["sessions"] ?? [])")
            }
        }
    }

    /// Every table an import writes, as text, in key order.
    private func dump(_ catalog: Catalog, _ batch: ImportBatch, rowsPerPiece: Int = ImportPieces.rowsPerPiece) throws -> [String: [String]] {
        _ = try CatalogWriter.write(batch, into: catalog.pool, sessionGap: 1800, rowsPerPiece: rowsPerPiece)
        var tables: [String: [String]] = [:]
        try catalog.pool.read { (db: Database) throws in
            for (table, order) in [("interactions", "user, ts, id"), ("sessions", "id"), ("users", "idx"), ("items", "idx"),
                                   ("item_posting_blocks", "item, first_id"), ("daily_activity", "day")] {
                let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('\(table)')")
                let row = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
                tables[table] = try String.fetchAll(db, sql: "SELECT \(row) FROM \(table) ORDER BY \(order)")
            }
        }
        return tables
    }
}
