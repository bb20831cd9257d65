import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// Effects on the background queue come back through the inbox only when the loop polls.
@Suite struct BackgroundTests {
    /// Waits for the serial effect queue to drain (no sleeping) and polls, until nothing more arrives.
    static func settle(_ session: inout ExplorerSession) -> Int {
        var rounds = 0
        while true {
            session.queues[.interactive]!.sync {}
            guard session.pollBackground() else { return rounds }
            rounds += 1
        }
    }

    @Test func resultsArriveThroughTheInbox() {
        var session = ExplorerSession(dataSource: DataSourceTests.small, width: 80, height: 24, mode: .background)
        #expect(session.state.users.total == nil)  // nothing applied before the loop polls
        let rounds = Self.settle(&session)
        #expect(rounds >= 2)  // users, then the first user's sessions, then its first session's items
        #expect(session.state.users.total == 3)
        #expect(session.state.browse.sessions.map(\.id) == ["a", "c"])
        #expect(session.state.browse.sessionItems.map(\.itemID) == ["1", "2"])
        session.receive(.char("3"))
        _ = Self.settle(&session)
        #expect(session.state.summary?.interactions == 6)
        let more = session.pollBackground()
        #expect(!more)
    }

    @Test func inboxDrainsInOrder() {
        let inbox = Inbox()
        inbox.post(.failed("a"))
        inbox.post(.failed("b"))
        #expect(inbox.drain() == [.failed("a"), .failed("b")])
        #expect(inbox.drain().isEmpty)
    }
}
