import Foundation
import Testing
import ExplorerTestSupport
import RecCatalog
import RecCore
import RecWorkbench
import RecModels
@testable import ExplorerApp

@Suite struct DataSourceTests {
    static func at(_ minutes: Double) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + minutes * 60) }

    /// Three users, four items; user 2's session has two interactions at the same time.
    static let small = InMemoryDataSource(
        name: "small",
        items: [
            .init(id: "1", title: "Alpha", year: 1999, categories: ["Drama"], attributes: [Attribute("lang", "en")]),
            .init(id: "2", title: "Beta", year: 2001, categories: ["Comedy", "Drama"]),
            .init(id: "10", title: "Gamma", categories: ["Comedy"]),
            .init(id: "x", title: "Delta"),
        ],
        interactions: [
            .init(user: "2", item: "10", time: at(5), event: "view", session: "b"),
            .init(user: "2", item: "1", time: at(5), event: "click", session: "b"),
            .init(user: "1", item: "1", time: at(0), event: "rating", value: 4, session: "a"),
            .init(user: "1", item: "2", time: at(1), event: "view", session: "a"),
            .init(user: "1", item: "1", time: at(90), event: "view", session: "c"),
            .init(user: "10", item: "1", time: at(200), event: "view", session: "d"),
        ])

    @Test func inMemorySourceKeepsTheContract() throws {
        #expect(try ExplorerDataSourceContract.violations(of: Self.small) == [])
        #expect(try ExplorerDataSourceContract.violations(of: InMemoryDataSource.demo()) == [])
    }

    @Test func contractCatchesABrokenSource() throws {
        let problems = try ExplorerDataSourceContract.violations(of: UnsortedUsers(base: Self.small))
        #expect(problems.contains { $0.contains("users by interactions") })
    }

    @Test func timeTiesKeepSourceOrder() throws {
        let items = try Self.small.sessionItems(session: "b", limit: 10)
        #expect(items.map(\.itemID) == ["10", "1"])
    }

    @Test func idsSortNumericallyThenAsText() throws {
        let ids = try Self.small.items(PageRequest(offset: 0, limit: 10, sort: .id)).rows.map(\.id)
        #expect(ids == ["1", "2", "10", "x"])
        #expect(ExplorerDataSourceContract.idLess("9", "10"))
        #expect(ExplorerDataSourceContract.idLess("10", "1a"))
        #expect(!ExplorerDataSourceContract.idLess("1a", "9"))
    }

    @Test func usersByInteractionsBreakTiesById() throws {
        let page = try Self.small.users(PageRequest(offset: 0, limit: 10, sort: .interactionsDescending))
        #expect(page.rows.map(\.id) == ["1", "2", "10"])
        #expect(page.rows.map(\.interactions) == [3, 2, 1])
        #expect(page.rows[0].topCategories == ["Drama", "Comedy"])
    }

    @Test func searchFindsUsersAndTitles() throws {
        let hits = try Self.small.search("1", limit: 10)
        #expect(hits.map { "\($0.kind.rawValue) \($0.id)" } == ["user 1", "user 10", "item 1", "item 10"])
        #expect(try Self.small.search("ALP", limit: 10).map(\.id) == ["1"])
        #expect(try Self.small.search("1", limit: 1).count == 1)
    }

    /// The Catalog pane's quantiles interpolate between order statistics, as `recscope stats` does.
    @Test func distributionQuantilesAndLog2Histogram() {
        let d = CountDistribution(counts: [1, 2, 3, 4, 100])
        let q = d.quantiles.map(\.value)
        #expect(Array(q.prefix(4)) == [1, 2, 3, 4] && q[6] == 100)
        #expect(abs(q[4] - (4 + 0.6 * 96)) < 1e-9 && abs(q[5] - (4 + 0.96 * 96)) < 1e-9)
        #expect(d.log2Histogram == [1, 2, 1, 0, 0, 0, 1])  // 1 | 2,3 | 4 | ... | 64-127
        #expect(d.mean == 22)
        #expect(CountDistribution(counts: []).quantiles.map(\.value) == [0, 0, 0, 0, 0, 0, 0])
    }

    @Test func longTailIsALorenzCurveFromTheTop() {
        let curve = CatalogSummary.longTail(popularity: [10, 0, 30, 60], points: 4)
        #expect(curve == [0.6, 0.9, 1.0, 1.0])
    }

    @Test func activityBucketsCountEveryInteraction() {
        let times = (0..<10).map { Self.at(Double($0)) }
        let buckets = CatalogSummary.activity(times: times, buckets: 3)
        #expect(buckets.map(\.count) == [3, 3, 4])
        #expect(buckets[0].start == times[0])
    }

    @Test func summaryCounts() throws {
        let s = try Self.small.summary()
        #expect((s.users, s.items, s.interactions, s.sessions) == (3, 4, 6, 4))
        #expect(s.density == 0.5)
    }
}

/// A source that forgets to sort users by interactions, to show the contract notices.
struct UnsortedUsers: ExplorerDataSource {
    let base: InMemoryDataSource
    var name: String { base.name }
    func summary() throws -> CatalogSummary { try base.summary() }
    func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow> {
        var r = request
        if r.sort == .interactionsDescending {
            r.sort = .id
            let page = try base.users(r)
            return Page(offset: page.offset, rows: page.rows.reversed(), total: page.total)
        }
        return try base.users(r)
    }
    func user(id: String) throws -> UserRow? { try base.user(id: id) }
    func sessions(ofUser userID: String, limit: Int) throws -> [SessionRow] { try base.sessions(ofUser: userID, limit: limit) }
    func sessionItems(session: String, limit: Int) throws -> [SessionItemRow] { try base.sessionItems(session: session, limit: limit) }
    func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow> { try base.items(request) }
    func itemDetail(id: String, userLimit: Int) throws -> ItemDetail? { try base.itemDetail(id: id, userLimit: userLimit) }
    func search(_ query: String, limit: Int) throws -> [SearchHit] { try base.search(query, limit: limit) }
    func semanticIDSpaces() throws -> [String] { try base.semanticIDSpaces() }
    func codeTree(space: String) throws -> CodeTree? { try base.codeTree(space: space) }
}
