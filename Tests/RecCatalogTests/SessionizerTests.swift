import Testing
@testable import RecCatalog

@Suite struct SessionizerTests {
    @Test func splitsAtGapsLongerThanTheThreshold() {
        // user 0: 0, 100, 2000 (gap 1900 > 1800), 2000 (tie); user 1: 50.
        let users: [Int32] = [0, 1, 0, 0, 0]
        let times: [Double] = [100, 50, 0, 2000, 2000]
        let (of, sessions) = Sessionizer.byGap(users: users, times: times, gap: 1800)
        #expect(sessions.count == 3)
        #expect(sessions[0] == SessionSpan(user: 0, start: 0, end: 100, length: 2, externalID: nil))
        #expect(sessions[1] == SessionSpan(user: 0, start: 2000, end: 2000, length: 2, externalID: nil))
        #expect(sessions[2] == SessionSpan(user: 1, start: 50, end: 50, length: 1, externalID: nil))
        #expect(of == [0, 2, 0, 1, 1])
    }

    @Test func exactGapStaysInTheSession() {
        let (_, sessions) = Sessionizer.byGap(users: [0, 0], times: [0, 1800], gap: 1800)
        #expect(sessions.count == 1)
    }

    @Test func timeOrderBreaksTiesBySourcePosition() {
        #expect(Sessionizer.timeOrder(users: [0, 0, 0, 0], times: [5, 3, 5, 3]) == [1, 3, 0, 2])
    }
}
