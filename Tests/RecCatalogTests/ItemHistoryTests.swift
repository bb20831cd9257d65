import Testing
import RecCore
@testable import RecCatalog

@Suite struct ItemHistoryTests {
    /// The bit-per-user count of an item's distinct users equals a hash set's, including user indices
    /// past 32 bits and negative ones (which take the set).
    @Test func distinctUsersCountsAsASetDoes() {
        var rng = SeededGenerator(seed: 3)
        for n in [0, 1, 2, 63, 64, 65, 1000] {
            for range in [Int64(0)...Int64(5), 0...200, 0...100_000, -3...3, (Int64(1) << 33)...(Int64(1) << 33) + 9] {
                let postings = (0..<n).map { k in
                    ItemPosting(ts: Double(k), id: Int64(k), user: Int64.random(in: range, using: &rng))
                }
                #expect(Catalog.distinctUsers(postings) == Set(postings.map(\.user)).count, "\(n) postings, users \(range)")
            }
        }
    }
}
