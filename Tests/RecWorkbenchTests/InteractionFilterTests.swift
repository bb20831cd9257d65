import Foundation
import RecCatalog
import RecCore
import Testing
@testable import RecWorkbench

/// `recscope filter`'s steps: k-core against a brute force, time windows, seeded user samples, and the derived
/// catalog it writes.
@Suite struct InteractionFilterTests {
    /// Rows as (user, item, time).
    typealias Rows = [(user: Int32, item: Int32, ts: Double)]

    func plan(_ rows: Rows, users: Int, items: Int, _ settings: FilterSettings) -> FilterPlan {
        InteractionFilter.plan(users: rows.map(\.user), items: rows.map(\.item), timestamps: rows.map(\.ts),
                               userCount: users, itemCount: items, settings: settings)
    }

    /// The k-core the slow way: remove one user or item below its minimum at a time, rescanning, until none is.
    func bruteForce(_ rows: Rows, minUser: Int, minItem: Int) -> [Bool] {
        var keep = [Bool](repeating: true, count: rows.count)
        while true {
            var users: [Int32: Int] = [:], items: [Int32: Int] = [:]
            for (r, row) in rows.enumerated() where keep[r] { users[row.user, default: 0] += 1; items[row.item, default: 0] += 1 }
            if let u = users.first(where: { $0.value < minUser })?.key {
                for r in rows.indices where rows[r].user == u { keep[r] = false }
            } else if let i = items.first(where: { $0.value < minItem })?.key {
                for r in rows.indices where rows[r].item == i { keep[r] = false }
            } else {
                return keep
            }
        }
    }

    @Test func kCoreOfAHandMadeCatalogCascadesRoundByRound() {
        // Users 0-2 share items 0-2 (a 3-core); user 3 has items 0, 3, 4; item 3 is also user 4's, who has only it
        // and item 0. Round 1 removes items 3 and 4 (2 and 1 interactions) and user 4 (2 interactions); then user 3
        // is left with item 0 alone and goes in round 2.
        var rows: Rows = []
        for u in 0..<3 { for i in 0..<3 { rows.append((Int32(u), Int32(i), Double(rows.count))) } }
        rows += [(3, 0, 10), (3, 3, 11), (3, 4, 12), (4, 3, 13), (4, 0, 14)]
        let p = plan(rows, users: 6, items: 5, FilterSettings(kCore: 3))
        #expect(p.keep == Array(repeating: true, count: 9) + Array(repeating: false, count: 5))
        #expect(p.steps == [
            FilterStep(name: "users and items without interactions", users: 1, items: 0, interactions: 0),
            FilterStep(name: "3-core, round 1", users: 1, items: 2, interactions: 4),
            FilterStep(name: "3-core, round 2", users: 1, items: 0, interactions: 1),
        ])
        #expect(p.users == 3 && p.items == 3 && p.interactions == 9)
        #expect(p.keptUsers == [true, true, true, false, false, false])
    }

    @Test(arguments: [(2, 2), (3, 3), (5, 2), (1, 4), (4, 1)])
    func countFiltersMatchABruteForceOnRandomCatalogs(minUser: Int, minItem: Int) {
        for seed in 1...20 as ClosedRange<UInt64> {
            var rng = SeededGenerator(seed: seed)
            let rows: Rows = (0..<160).map { n in
                (Int32(rng.nextIndex(below: 30)), Int32(min(rng.nextIndex(below: 25), rng.nextIndex(below: 25))), Double(n))
            }
            let p = plan(rows, users: 30, items: 25, FilterSettings(minUser: minUser, minItem: minItem))
            #expect(p.keep == bruteForce(rows, minUser: minUser, minItem: minItem), "seed \(seed)")
            // Every kept user and item meets its minimum, and the steps add up.
            var users: [Int32: Int] = [:], items: [Int32: Int] = [:]
            for (r, row) in rows.enumerated() where p.keep[r] { users[row.user, default: 0] += 1; items[row.item, default: 0] += 1 }
            #expect(users.values.allSatisfy { $0 >= minUser } && items.values.allSatisfy { $0 >= minItem })
            #expect(p.steps.reduce(0) { $0 + $1.interactions } == rows.count - p.interactions)
        }
    }

    @Test func timeWindowKeepsSinceInclusiveAndUntilExclusive() {
        let rows: Rows = [(0, 0, 100), (0, 1, 200), (1, 1, 300), (1, 2, 400)]
        let p = plan(rows, users: 2, items: 3, FilterSettings(since: 200, until: 400))
        #expect(p.keep == [false, true, true, false])
        #expect(p.steps == [FilterStep(name: "time window", users: 0, items: 2, interactions: 2)])
        #expect(plan(rows, users: 2, items: 3, FilterSettings(since: 300)).keep == [false, false, true, true])
        #expect(plan(rows, users: 2, items: 3, FilterSettings(until: 300)).keep == [true, true, false, false])
    }

    @Test func userSamplesAreFixedBySeed() {
        let rows: Rows = (0..<400).map { (Int32($0 % 100), Int32($0 % 7), Double($0)) }
        func sample(_ seed: UInt64) -> [Bool] { plan(rows, users: 100, items: 7, FilterSettings(sampleUsers: 0.25, seed: seed)).keptUsers }
        #expect(sample(5) == sample(5))
        #expect(sample(5) != sample(6))
        #expect(sample(5).count { $0 } == 25)
        // Only users, never part of a user's interactions: a kept user keeps all four rows.
        let p = plan(rows, users: 100, items: 7, FilterSettings(sampleUsers: 0.25, seed: 5))
        for (r, row) in rows.enumerated() { #expect(p.keep[r] == p.keptUsers[Int(row.user)]) }
    }

    @Test func derivedCatalogHoldsTheKeptInteractionsInSourceOrderWithItsSplits() throws {
        let (source, folder) = try SampleCatalog.make()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try ModelWorkbench(catalog: source).split("loo")
        let before = try source.counts()
        let out = folder + "/core.sqlite"
        let r = try CatalogFilter.write(from: source, to: out, settings: FilterSettings(kCore: 20))
        #expect(try source.counts() == before)
        #expect(r.interactions == r.plan.interactions && r.users == r.plan.users && r.items == r.plan.items)
        #expect(r.splits == ["loo"] && r.sessions > 0)
        #expect(!FileManager.default.fileExists(atPath: out + ".filtering-\(ProcessInfo.processInfo.processIdentifier)"))
        let derived = try Catalog(path: out)
        #expect(try derived.loadSplit(name: "loo") != nil)
        // The derived log is the source's kept rows, in the same source order.
        let a = try source.interactionLog(), b = try derived.interactionLog()
        func rows(_ log: InteractionLog, keep: (Int) -> Bool) -> [String] {
            log.sequence.indices.filter(keep).sorted { log.sequence[$0] < log.sequence[$1] }
                .map { "\(log.userIDs[Int(log.users[$0])]) \(log.itemIDs[Int(log.items[$0])]) \(log.timestamps[$0])" }
        }
        #expect(rows(b) { _ in true } == rows(a) { r.plan.keep[$0] })
        // Refused when --out exists, replaced with force.
        #expect(throws: WorkbenchError.self) { try CatalogFilter.write(from: source, to: out, settings: FilterSettings(kCore: 30)) }
        let again = try CatalogFilter.write(from: source, to: out, settings: FilterSettings(kCore: 30), force: true)
        #expect(try Catalog(path: out).counts().interactions == again.interactions && again.interactions < r.interactions)
        #expect(throws: WorkbenchError.self) { try CatalogFilter.write(from: source, to: source.path, settings: FilterSettings(kCore: 2)) }
        #expect(throws: WorkbenchError.self) {
            try CatalogFilter.write(from: source, to: folder + "/none.sqlite", settings: FilterSettings(since: 4e9))
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/none.sqlite"))
    }
}
