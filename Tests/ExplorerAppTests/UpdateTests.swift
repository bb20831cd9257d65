import Foundation
import Testing
import RecWorkbench
import RecCore
import RecModels
import TUIKit
@testable import ExplorerApp

/// `update` transitions, driven through an inline session so effects answer at once.
@Suite struct UpdateTests {
    static func session(_ source: any ExplorerDataSource = DataSourceTests.small, width: Int = 80, height: Int = 24) -> ExplorerSession {
        ExplorerSession(dataSource: source, width: width, height: height, mode: .inline)
    }

    static func keys(_ names: String, into s: inout ExplorerSession) {
        for key in try! Key.parseScript(names) { s.receive(key) }
    }

    /// The users list (the first screen) is asked for first, the summary (a whole-catalog read) last.
    @Test func startLoadsFirstPagesThenSummary() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        let effects = Explorer.update(&state, .started)
        #expect(effects == [.loadUsers(PageRequest(offset: 0, limit: 200, sort: .id)),
                            .loadItems(PageRequest(offset: 0, limit: 200, sort: .popularityDescending)), .loadSummary])
    }

    @Test func enterDrillsDownAndEscGoesBack() {
        var s = Self.session()
        #expect(s.state.selection.user == "1")
        Self.keys("j", into: &s)
        #expect(s.state.selection.user == "2")
        #expect(s.state.browse.sessions.map(\.id) == ["b"])
        Self.keys("Enter", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "2")])
        Self.keys("Enter", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "2"), .sessionItems(user: "2", session: "b")])
        #expect(s.state.browse.sessionItems.map(\.itemID) == ["10", "1"])
        Self.keys("j Enter", into: &s)
        #expect(s.state.top == .itemDetail(item: "1"))
        #expect(s.state.items.detail?.item.title == "Alpha")
        Self.keys("Esc Esc", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "2")])
        Self.keys("q", into: &s)
        #expect(s.state.stack == [.users])
        #expect(!s.isFinished)
        Self.keys("q", into: &s)
        #expect(s.isFinished)
    }

    @Test func escOnTheRootStaysAndCtrlCQuits() {
        var s = Self.session()
        Self.keys("Esc", into: &s)
        #expect(s.state.stack == [.users] && !s.isFinished)
        Self.keys("C-c", into: &s)
        #expect(s.isFinished)
    }

    @Test func searchIsIncrementalAndIgnoresStaleResults() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        #expect(Explorer.update(&state, .key(.char("/"))) == [])
        #expect(Explorer.update(&state, .key(.char("a"))) == [.search(query: "a")])
        #expect(Explorer.update(&state, .key(.char("l"))) == [.search(query: "al")])
        let hit = SearchHit(kind: .item, id: "1", label: "Alpha")
        _ = Explorer.update(&state, .searchResults(query: "a", [hit, hit]))
        #expect(state.prompt == .search(query: "al", hits: [], selected: 0))
        _ = Explorer.update(&state, .searchResults(query: "al", [hit]))
        #expect(state.prompt == .search(query: "al", hits: [hit], selected: 0))
        #expect(Explorer.update(&state, .key(.enter)) == [.loadItemDetail(item: "1")])
        #expect(state.stack == [.items, .itemDetail(item: "1")])
        #expect(state.prompt == nil)
    }

    @Test func searchOpensAUser() {
        var s = Self.session()
        Self.keys("/ \"10\"", into: &s)
        guard case .search("10", let hits, 0)? = s.state.prompt else {
            Issue.record("no search prompt: \(String(describing: s.state.prompt))")
            return
        }
        #expect(hits.first == SearchHit(kind: .user, id: "10", label: "user 10 · 1 interactions"))
        Self.keys("Enter", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "10")])
        #expect(s.state.browse.sessions.map(\.id) == ["d"])
    }

    @Test func commandLineOpensUsersAndItems() {
        var s = Self.session()
        Self.keys(": \"user 2\" Enter", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "2")])
        Self.keys(": \"item x\" Enter", into: &s)
        #expect(s.state.stack == [.items, .itemDetail(item: "x")])
        #expect(s.state.items.detail?.item.title == "Delta")
        Self.keys(": \"user 99\" Enter", into: &s)
        #expect(s.state.message == "There is no user 99 in small.")
        #expect(s.state.stack == [.items, .itemDetail(item: "x")])
        Self.keys(": \"item 99\" Enter", into: &s)
        #expect(s.state.message == "There is no item 99 in small.")
        #expect(s.state.stack == [.items])
        Self.keys(": \"frobnicate\" Enter", into: &s)
        #expect(s.state.message?.hasPrefix("Unknown command \":frobnicate\"") == true)
        Self.keys(": \"show-catalog\" Enter", into: &s)
        #expect(s.state.stack == [.catalog])
        Self.keys(": q u i t Enter", into: &s)
        #expect(s.isFinished)
    }

    @Test func commandLineEditing() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        for key in [Key.char(":"), .char("a"), .char("b"), .backspace] { _ = Explorer.update(&state, .key(key)) }
        #expect(state.prompt == .command("a"))
        _ = Explorer.update(&state, .key(.escape))
        #expect(state.prompt == nil)
        #expect(state.stack == [.users])
    }

    @Test func staleResultsAreIgnored() {
        var state = AppState(catalogName: "t", width: 80, height: 24)
        state.selection.user = "2"
        state.browse.sessionsOf = "2"
        let row = SessionRow(id: "z", userID: "1", start: .distantPast, end: .distantPast, itemCount: 1)
        #expect(Explorer.update(&state, .sessionsLoaded(user: "1", [row])) == [])
        #expect(state.browse.sessions.isEmpty)
        _ = Explorer.update(&state, .usersLoaded(Page(offset: 0, rows: [], total: 5), .lastSeenDescending))
        #expect(state.users.total == nil)
    }

    @Test func tabsAndHelp() {
        var s = Self.session()
        Self.keys("2", into: &s)
        #expect(s.state.stack == [.items] && s.state.shows(ItemsFeature.self))
        #expect(s.state.items.detailItem == "1")  // most popular first
        Self.keys("?", into: &s)
        #expect(s.state.stack == [.items, .help])
        #expect(s.state.helpSubject == .items)
        Self.keys("?", into: &s)
        #expect(s.state.stack == [.items])
        Self.keys("3", into: &s)
        #expect(s.state.stack == [.catalog])
        #expect(s.state.summary?.users == 3)
    }

    @Test func sortCyclesAndReloads() {
        var s = Self.session()
        Self.keys("s", into: &s)
        #expect(s.state.userSort == .interactionsDescending)
        #expect(s.state.users.page.rows.map(\.id) == ["1", "2", "10"])
        #expect(s.state.message == "Users sorted by interactions")
    }

    @Test func pagingReadsOnlyWhatIsVisibleOfAMillionUsers() {
        let source = SyntheticUsers(count: 1_000_000)
        var s = Self.session(source)
        #expect(s.state.users.total == 1_000_000)
        #expect(s.state.users.page.rows.count == 200)
        Self.keys("End", into: &s)
        #expect(s.state.users.selected == 999_999)
        #expect(s.state.users.selectedRow?.id == "1000000")
        #expect(s.state.selection.user == "1000000")
        #expect(s.state.users.page.rows.count <= 200)
        Self.keys("PgUp PgUp k", into: &s)
        #expect(s.state.users.selectedRow?.id == String(1_000_000 - 2 * s.state.visibleRows - 1))
        #expect(source.log.maxLimit() <= 200)
    }

    @Test func mouseSelectsRowsAndSwitchesTabs() {
        var s = Self.session()
        // Browse: users table starts at row 2 (tab bar, info line), header at 3, first row at 4.
        Self.keys("Click:5,6", into: &s)
        #expect(s.state.users.selected == 2)
        #expect(s.state.selection.user == "10")
        Self.keys("Click:35,4", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "10")])
        Self.keys("WheelUp:5,5", into: &s)
        #expect(s.state.stack == [.users, .sessions(user: "10")])
        let itemsTab = ScreenLayout.tabLabels()[1]
        Self.keys("Click:\(itemsTab.x + 1),0", into: &s)
        #expect(s.state.shows(ItemsFeature.self))
        Self.keys("DoubleClick:5,3", into: &s)
        #expect(s.state.stack == [.items, .itemDetail(item: s.state.items.list.selectedRow!.id)])
    }

    @Test func resizeRelaysOutAtOnce() {
        var s = Self.session()
        Self.keys("Resize:120x40", into: &s)
        #expect(s.state.width == 120 && s.state.height == 40)
        #expect(s.state.visibleRows == 34)
    }
}

/// `count` users with ids 1...count made on demand, to check that the explorer reads pages only.
final class SyntheticUsers: ExplorerDataSource, @unchecked Sendable {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var limits: [Int] = []
        func record(_ limit: Int) { lock.withLock { limits.append(limit) } }
        func maxLimit() -> Int { lock.withLock { limits.max() ?? 0 } }
    }

    let count: Int
    let log = Log()
    init(count: Int) { self.count = count }

    var name: String { "synthetic" }
    func row(_ i: Int) -> UserRow {
        UserRow(id: String(i + 1), interactions: 1, sessions: 0, firstSeen: nil, lastSeen: nil, topCategories: [])
    }
    func summary() throws -> CatalogSummary {
        CatalogSummary(users: count, items: 0, interactions: count, sessions: 0, firstInteraction: nil, lastInteraction: nil,
                       perUser: CountDistribution(counts: [1]), perItem: CountDistribution(counts: []), longTail: [], activity: [])
    }
    func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow> {
        log.record(request.limit)
        let lo = min(request.offset, count), hi = min(count, lo + request.limit)
        return Page(offset: lo, rows: (lo..<hi).map(row), total: count)
    }
    func user(id: String) throws -> UserRow? { Int(id).flatMap { (1...count).contains($0) ? row($0 - 1) : nil } }
    func sessions(ofUser userID: String, limit: Int) throws -> [SessionRow] { [] }
    func sessionItems(session: String, limit: Int) throws -> [SessionItemRow] { [] }
    func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow> { Page(offset: 0, rows: [], total: 0) }
    func itemDetail(id: String, userLimit: Int) throws -> ItemDetail? { nil }
    func search(_ query: String, limit: Int) throws -> [SearchHit] { [] }
    func semanticIDSpaces() throws -> [String] { [] }
    func codeTree(space: String) throws -> CodeTree? { nil }
}
