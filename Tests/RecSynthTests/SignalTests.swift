import Testing
@testable import RecSynth

/// Leave-last-out hit rates of two tiny models, to check the data has learnable sequential signal.
@Suite struct SyntheticDatasetSignalTests {
    /// HR@10 of popularity and of last-item transition counts (ties and gaps filled by popularity).
    static func leaveLastOutHitRates() -> (popularity: Double, transitions: Double) {
        let d = defaultDataset
        var history = [[Int32]](repeating: [], count: d.users.count)
        for r in d.interactions { history[Int(r.user)].append(r.item) }
        var popularity = [Int](repeating: 0, count: d.items.count)
        var transitions = [Int32: [Int32: Int]]()
        for h in history {
            let train = h.dropLast()
            for i in train { popularity[Int(i)] += 1 }
            for (a, b) in zip(train, train.dropFirst()) { transitions[a, default: [:]][b, default: 0] += 1 }
        }
        let byPopularity: [Int32] = (0..<Int32(d.items.count)).sorted { (a: Int32, b: Int32) -> Bool in
            let pa = popularity[Int(a)], pb = popularity[Int(b)]
            return pa > pb || (pa == pb && a < b)
        }
        func topTen(first: [Int32], seen: Set<Int32>) -> [Int32] {
            var list: [Int32] = []
            for source in [first, byPopularity] {
                for i in source where !seen.contains(i) && !list.contains(i) {
                    list.append(i)
                    if list.count == 10 { return list }
                }
            }
            return list
        }
        var hits = (popularity: 0, transitions: 0)
        for h in history {
            let target = h.last!
            let seen = Set(h.dropLast())
            if topTen(first: [], seen: seen).contains(target) { hits.popularity += 1 }
            let followers = transitions[h[h.count - 2]] ?? [:]
            let ranked = followers.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
            if topTen(first: ranked, seen: seen).contains(target) { hits.transitions += 1 }
        }
        let users = Double(history.count)
        return (Double(hits.popularity) / users, Double(hits.transitions) / users)
    }

    @Test func theNextItemIsLearnableButNotTrivial() {
        let rates = Self.leaveLastOutHitRates()
        #expect((0.04...0.15).contains(rates.popularity))
        #expect(rates.transitions > 1.8 * rates.popularity)
        #expect(rates.transitions < 0.5)
    }
}
