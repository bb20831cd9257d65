import RecCore
import Testing
@testable import RecEval

@Suite struct SplitTests {
    @Test func leaveOneOutBreaksTimestampTiesBySourceOrder() {
        // One user; rows 0 and 2 share the latest timestamp. Time order: row 3, row 1, row 0, row 2.
        let users: [Int32] = [0, 0, 0, 0]
        let times: [Int64] = [5, 3, 5, 1]
        let split = Split.leaveOneOut(users: users, timestamps: times, sequence: [0, 1, 2, 3])
        #expect(split.roles == [.valid, .train, .test, .train])
        // Row 0 appearing later in the source makes it the test row instead.
        let swapped = Split.leaveOneOut(users: users, timestamps: times, sequence: [9, 1, 2, 3])
        #expect(swapped.roles == [.test, .train, .valid, .train])
    }

    @Test func leaveOneOutWithFloatingTimestampsAndManyUsers() {
        let users: [Int32] = [1, 0, 1, 0, 1, 0]
        let times: [Double] = [1.5, 9, 1.5, 2, 0.5, 2]
        let split = Split.leaveOneOut(users: users, timestamps: times, sequence: [0, 1, 2, 3, 4, 5])
        // User 0: rows 3 and 5 tie at t=2 before row 1 at t=9. User 1: row 4, then rows 0 and 2 tie.
        #expect(split.roles == [.valid, .test, .test, .train, .train, .valid])
        #expect(split.kind == .leaveOneOut && split.kind.name == "loo")
    }

    @Test func leaveOneOutForUsersWithOneOrTwoInteractions() {
        // User 0 has one row (kept for training), user 1 two (train, test; no validation).
        let split = Split.leaveOneOut(users: [0, 1, 1], timestamps: [7, 4, 2], sequence: [0, 1, 2])
        #expect(split.roles == [.train, .test, .train])
        let test = split.heldOut(.test, users: [0, 1, 1], items: [5, 6, 7], userCount: 2, itemCount: 8)
        #expect(test.evaluatedUsers == [1])
        #expect(Array(test.truth.items(ofUser: 1)) == [6])
        #expect(Array(test.seen.items(ofUser: 1)) == [7])
    }

    @Test func heldOutSeparatesTruthFromSeenItems() {
        let users: [Int32] = [0, 0, 0, 0]
        let items: [Int32] = [3, 1, 2, 0]
        let split = Split.leaveOneOut(users: users, timestamps: [1, 2, 3, 4], sequence: [0, 1, 2, 3])
        let train = split.matrix(of: [.train], users: users, items: items, userCount: 1, itemCount: 4)
        #expect(Array(train.items(ofUser: 0)) == [1, 3])
        let test = split.heldOut(.test, users: users, items: items, userCount: 1, itemCount: 4)
        #expect(Array(test.truth.items(ofUser: 0)) == [0])
        #expect(Array(test.seen.items(ofUser: 0)) == [1, 2, 3])  // train and valid are both excluded
        let valid = split.heldOut(.valid, users: users, items: items, userCount: 1, itemCount: 4)
        #expect(Array(valid.truth.items(ofUser: 0)) == [2])
        #expect(Array(valid.seen.items(ofUser: 0)) == [1, 3])
        #expect(split.count(of: .train) == 2 && split.count(of: .test) == 1)
    }

    @Test func temporalCutOrdersTiesBySourceOrder() {
        // Ten rows; times tie in pairs. Order by (time, sequence): rows 9,8 | 7,6 | … with sequence desc.
        let times: [Int64] = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
        let sequence: [Int64] = [1, 0, 3, 2, 5, 4, 7, 6, 9, 8]
        let split = Split.temporal(timestamps: times, sequence: sequence, validFraction: 0.2, testFraction: 0.3)
        // Latest three by (time, sequence): row 0 (5, seq 1), row 1 (5, seq 0), row 2 (4, seq 3).
        #expect(split.roles[0] == .test && split.roles[1] == .test && split.roles[2] == .test)
        #expect(split.roles[3] == .valid && split.roles[4] == .valid)
        #expect(split.roles[5...].allSatisfy { $0 == .train })
        // The cut inside the t=4 tie goes by source order: row 3 (seq 2) is earlier than row 2 (seq 3).
        let flipped = Split.temporal(timestamps: times, sequence: [1, 0, 2, 3, 5, 4, 7, 6, 9, 8],
                                     validFraction: 0.2, testFraction: 0.3)
        #expect(flipped.roles[2] == .valid && flipped.roles[3] == .test)
    }

    @Test func ratioSplitIsSeededAndDeterministic() {
        var users: [Int32] = []
        for u in 0..<20 { users += Array(repeating: Int32(u), count: 3 + u) }
        let sequence = (0..<Int64(users.count)).map { $0 }
        let a = Split.ratio(users: users, sequence: sequence, validFraction: 0.1, testFraction: 0.2, seed: 7)
        let b = Split.ratio(users: users, sequence: sequence, validFraction: 0.1, testFraction: 0.2, seed: 7)
        let c = Split.ratio(users: users, sequence: sequence, validFraction: 0.1, testFraction: 0.2, seed: 8)
        #expect(a == b)
        #expect(a.roles != c.roles)
        // Per user: valid ⌊0.1n⌋, test ⌊0.2n⌋, each raised to 1 while train keeps more than one row.
        for u in 0..<20 {
            let n = 3 + u
            let rows = users.indices.filter { users[$0] == Int32(u) }
            let test = rows.filter { a.roles[$0] == .test }.count
            let valid = rows.filter { a.roles[$0] == .valid }.count
            #expect(test == max(1, Int(Double(n) * 0.2)))
            #expect(valid == max(1, Int(Double(n) * 0.1)))
        }
    }

    @Test func ratioSplitDependsOnSourceOrderNotRowOrder() {
        let users: [Int32] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let sequence: [Int64] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        let split = Split.ratio(users: users, sequence: sequence, validFraction: 0.2, testFraction: 0.2, seed: 3)
        // The same rows handed over in reverse get the same role per row.
        let reversed = Split.ratio(users: users.reversed(), sequence: sequence.reversed(), validFraction: 0.2,
                                   testFraction: 0.2, seed: 3)
        #expect(Array(reversed.roles.reversed()) == split.roles)
    }

    @Test func coldItemsHoldOutEveryInteractionOfASeededShareOfItems() {
        // 10 users × 8 rows over 20 items; timestamps tie in pairs so the source order decides.
        var users: [Int32] = [], items: [Int32] = [], times: [Int] = [], sequence: [Int64] = []
        for u in 0..<10 {
            for t in 0..<8 {
                users.append(Int32(u)); items.append(Int32((u * 3 + t * 7) % 20)); times.append(t / 2); sequence.append(Int64(users.count))
            }
        }
        let split = Split.coldItems(users: users, items: items, itemCount: 20, timestamps: times, sequence: sequence, fraction: 0.2, seed: 4)
        #expect(split.kind == .coldItems(fraction: 0.2, seed: 4) && split.kind.name == "cold-items")
        let cold = Set(split.roles.indices.filter { split.roles[$0] == .test }.map { items[$0] })
        #expect(cold.count == 4)
        // Every row of a cold item is test, and no other row is.
        for r in split.roles.indices { #expect((split.roles[r] == .test) == cold.contains(items[r]), "row \(r)") }
        // Each user's last warm row by (time, source order) is valid when two warm rows stay in training.
        for u in 0..<10 {
            let warm = split.roles.indices.filter { users[$0] == Int32(u) && !cold.contains(items[$0]) }
            let valid = warm.filter { split.roles[$0] == .valid }
            #expect(valid == (warm.count >= 3 ? [warm.last!] : []), "user \(u)")
        }
        // Seeded: the same seed gives the same split, another seed another share.
        #expect(Split.coldItems(users: users, items: items, itemCount: 20, timestamps: times, sequence: sequence, fraction: 0.2, seed: 4) == split)
        #expect(Split.coldItems(users: users, items: items, itemCount: 20, timestamps: times, sequence: sequence, fraction: 0.2, seed: 5) != split)
    }
}
