import Testing
import RecCore
@testable import RecCatalog

/// The `.inter` plain-row loop reads exactly what the general record reader reads: the same columns, the
/// same token tables and the same first error, whole or in two halves, on random files full of the
/// awkward cases (CRLF and lone CR, blank lines, empty and bad fields, non-ASCII and invalid ids).
@Suite struct PlainRowsTests {
    /// Everything a read produced, comparable (numbers by bit pattern, so NaN equals NaN).
    struct Outcome: Equatable, CustomStringConvertible {
        var columns: [[Int64]] = []
        var extra: [String?] = []
        var tokens: [[String]] = []
        var error: ImportError?

        var description: String { error.map { "\($0)" } ?? "\(columns.first?.count ?? 0) rows, tokens \(tokens)" }
    }

    static func read(_ bytes: [UInt8], plain: Bool, split: Bool, closedUsers: [String]?, closedItems: [String]?) -> Outcome {
        var batch = ImportBatch(format: "recbole")
        for user in closedUsers ?? [] { _ = batch.users.intern(user) }
        for item in closedItems ?? [] { _ = batch.items.intern(item) }
        do {
            try RecBoleImporter.readInteractions(SourceFile(path: "t.inter", bytes: bytes), into: &batch,
                                                 closedUsers: closedUsers != nil, closedItems: closedItems != nil,
                                                 splitAbove: split ? 0 : 1 << 30, plainRows: plain)
        } catch {
            return Outcome(error: error)
        }
        func ints(_ a: [Int32]) -> [Int64] { a.map(Int64.init) }
        func bits(_ a: [Double]) -> [Int64] { a.map { Int64(bitPattern: $0.bitPattern) } }
        func names(_ t: TokenInterner) -> [String] { (0..<t.count).map { t.string(Int32($0)) } }
        return Outcome(columns: [ints(batch.interUser), ints(batch.interItem), bits(batch.interTime),
                                 bits(batch.interValue), ints(batch.interSession), ints(batch.interEvent),
                                 ints(batch.interLine)],
                       extra: batch.interExtra,
                       tokens: [names(batch.users), names(batch.items), names(batch.sessionNames), names(batch.eventNames)])
    }

    /// A random `.inter` file: a random header order and mostly good rows with every kind of oddity.
    static func randomFile(_ rng: inout SeededGenerator, badRows: Bool) -> [UInt8] {
        var columns = ["user_id:token", "item_id:token"]
        for optional in ["timestamp:float", "rating:float", "session_id:token", "event:token", "mood:token"]
            where Int.random(in: 0..<3, using: &rng) > 0 {
            columns.append(optional)
        }
        if Int.random(in: 0..<3, using: &rng) > 0 { columns.removeAll { $0 == "mood:token" } }
        columns.shuffle(using: &rng)
        func pick(_ options: [[UInt8]]) -> [UInt8] { options[Int.random(in: 0..<options.count, using: &rng)] }
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        let ids = (0..<12).map { bytes("u\($0)") } + [bytes("über"), bytes("用户"), bytes("a_very_long_identifier_\(7)")]
        let goodNumbers = ["4", "4.5", "-3", "+2", "1600000123", "0.1", " 7 ", "1e3", "12345678901234567", "007"].map(bytes)
        let badNumbers = ["four", "", "1.2.3", "inf", "nan", "--1", "1e999"].map(bytes)
        let endings = [[10], [10], [10], [13, 10], [13]].map { $0.map(UInt8.init) }
        var out = bytes(columns.joined(separator: "\t")) + [10]
        for _ in 0..<Int.random(in: 1..<40, using: &rng) {
            if Int.random(in: 0..<15, using: &rng) == 0 { out += pick(endings); continue }
            var fields: [[UInt8]] = columns.map { column in
                switch column {
                case "user_id:token", "item_id:token": return pick(ids)
                case "timestamp:float": return pick(goodNumbers)
                case "rating:float": return Int.random(in: 0..<4, using: &rng) == 0 ? [] : pick(goodNumbers)
                default: return Int.random(in: 0..<3, using: &rng) == 0 ? [] : pick(ids)
                }
            }
            if badRows && Int.random(in: 0..<25, using: &rng) == 0 {
                let i = Int.random(in: 0..<fields.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: fields[i] = pick(badNumbers)
                case 1: fields[i] = [0x75, 0xFF, 0x31]
                case 2: fields.append(bytes("x"))
                default: fields.removeLast()
                }
            }
            out += fields.joined(separator: [9])
            out += pick(endings)
        }
        if Bool.random(using: &rng) { out.removeLast() }
        return out
    }

    @Test func plainRowsReadWhatTheRecordReaderReads() {
        var rng = SeededGenerator(seed: 11)
        var errors = 0
        for n in 0..<600 {
            let bytes = Self.randomFile(&rng, badRows: n % 2 == 1)
            // Some files read with a .user or .item file's ids (every one but u10, u11 and the non-ASCII ids).
            let known = (0..<10).map { "u\($0)" }
            let users = n % 5 == 4 ? known : nil, items = n % 7 == 6 ? known : nil
            let reference = Self.read(bytes, plain: false, split: false, closedUsers: users, closedItems: items)
            if reference.error != nil { errors += 1 }
            for (plain, split) in [(true, false), (true, true), (false, true)] {
                let outcome = Self.read(bytes, plain: plain, split: split, closedUsers: users, closedItems: items)
                #expect(outcome == reference, "file \(n), plain \(plain), split \(split): \(outcome) vs \(reference)")
                if outcome != reference { return }
            }
        }
        // Both kinds of file occur: a test that never reached an error (or never read one through) proves little.
        #expect(errors > 100 && errors < 500, "\(errors) of 600 files refused")
    }
}

/// A large file is read in two halves at once; the bytes must come back whole and in order.
@Suite struct SourceFileTests {
    @Test func aLargeFileReadsBackExactly() throws {
        // Each byte depends on its position, so a half read to the wrong place shows.
        let count = (9 << 20) + 12_345
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            for i in 0..<count { buf[i] = UInt8(truncatingIfNeeded: i ^ (i >> 8) ^ (i >> 16)) }
            n = count
        }
        let dir = TempDir()
        let file = try SourceFile(path: dir.write("big.bin", bytes: bytes))
        #expect(file.bytes.count == bytes.count)
        #expect(file.bytes == bytes)
    }
}
