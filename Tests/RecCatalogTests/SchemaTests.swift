import Foundation
import GRDB
import Testing
@testable import RecCatalog

/// A shipped migration is never edited: the SQL of each one is pinned here by its SHA-256.
///
/// Adding a migration: append it to `Schema.migrations` and its identifier and hash (the failure message
/// prints it) to `shipped`. Editing a shipped one fails here: put the change in a new migration instead.
@Suite struct SchemaTests {
    static let shipped: [(identifier: String, sha256: String)] = [
        ("v1-catalog", "85347a438ed19d41f2628682b0b964992112bbcaa49ce98d4beb10cbe75fceca"),
        ("v2-item-postings", "16ef25fb5a05f3b5c165f237026c05a1672e856793895e3e56576de95b20ac6e"),
        ("v3-item-posting-blocks", "35621067840b4d638284fdfb8b49eed7d4cb068577bdd7fc6d157420888cf3b3"),
        ("v4-personas", "73ebbacd61a837ba1562c25a5055a51a9fe3fa4d17088911711a8fe70297ed9a"),
        ("v5-tuned-params", "31233aa777a13dc534e21f0cba0e7bcd7d6db64549364aa539c130e76f68b796"),
    ]

    @Test func shippedMigrationsAreNeverEdited() {
        let migrations = Schema.migrations
        for (n, pinned) in Self.shipped.enumerated() {
            guard n < migrations.count else {
                let message = "shipped migration \(pinned.identifier) is gone from Schema.migrations; catalogs that ran it "
                    + "need it: restore it and undo its effect, if needed, in a new migration"
                Issue.record("\(message)")
                continue
            }
            let migration = migrations[n]
            let moved = "migration \(n + 1) is \(migration.identifier), but \(pinned.identifier) shipped there; shipped "
                + "migrations are never renamed, reordered or removed: add new ones at the end of Schema.migrations"
            #expect(migration.identifier == pinned.identifier, "\(moved)")
            let hash = SHA256.hex(migration.sql)
            let edited = "the SQL of shipped migration \(pinned.identifier) changed (SHA-256 \(hash)); a shipped migration "
                + "is never edited, since catalogs that already ran it would never see the change: revert the edit and "
                + "put the change in a new migration at the end of Schema.migrations"
            #expect(hash == pinned.sha256, "\(edited)")
        }
        for migration in migrations.dropFirst(Self.shipped.count) {
            let unpinned = "migration \(migration.identifier) is not pinned: add (\"\(migration.identifier)\", "
                + "\"\(SHA256.hex(migration.sql))\") to SchemaTests.shipped, and never edit it once it ships"
            Issue.record("\(unpinned)")
        }
    }

    @Test func theMigratorRunsTheListInOrder() throws {
        #expect(Schema.migrator.migrations == Schema.migrations.map(\.identifier))
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue)
        let applied = try queue.read { db in try Schema.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(Schema.migrations.map(\.identifier)))
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as lower-case hex: enough to pin migration text.
enum SHA256 {
    static func hex(_ text: String) -> String {
        var message = Array(text.utf8)
        let bits = UInt64(message.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var w = [UInt32](repeating: 0, count: 64)
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for t in 0..<16 {
                w[t] = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(message[chunk + 4 * t + $1]) }
            }
            for t in 16..<64 {
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ w[t - 15] >> 3
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ w[t - 2] >> 10
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for t in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (e & f ^ ~e & g) &+ k[t] &+ w[t]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ (a & b ^ a & c ^ b & c)
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] &+= v }
        }
        return h.map { String(format: "%08x", $0) }.joined()
    }

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
