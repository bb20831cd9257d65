import Testing
import RecCore

@Suite struct ExternalIDOrderTests {
    @Test func integersByValueFirstThenText() {
        #expect(ExternalIDOrder.less("9", "10"))
        #expect(ExternalIDOrder.less("10", "1a"))
        #expect(!ExternalIDOrder.less("1a", "9"))
        #expect(ExternalIDOrder.less("-3", "2") && ExternalIDOrder.less("2", "+3"))
        #expect(ExternalIDOrder.less("007", "7") && !ExternalIDOrder.less("7", "007"))  // same value: by text
        #expect(ExternalIDOrder.less("abc", "abd") && ExternalIDOrder.less("99999999999999999999", "u1"))
        #expect(!ExternalIDOrder.less("42", "42"))
        let ids = ["u10", "10", "u2", "2", "007", "7", "-1", "", "β", "1a", "100"]
        #expect(ids.sorted(by: ExternalIDOrder.less) == ["-1", "2", "007", "7", "10", "100", "", "1a", "u10", "u2", "β"])
    }

    /// Random ids mixing integers, padded integers and text.
    static func sampleIDs(_ n: Int, seed: UInt64) -> [String] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            let v = rng.nextIndex(below: 300)
            switch rng.nextIndex(below: 4) {
            case 0: return "\(v)"
            case 1: return "0\(v)"
            case 2: return "u\(v)"
            default: return "\(v)x"
            }
        }
    }

    @Test func isAStrictTotalOrderOnTheText() {
        let ids = Array(Set(Self.sampleIDs(120, seed: 5)))
        for a in ids {
            #expect(!ExternalIDOrder.less(a, a))
            for b in ids where a != b {
                #expect(ExternalIDOrder.less(a, b) != ExternalIDOrder.less(b, a), "\(a) vs \(b)")
                for c in ids.prefix(15) where ExternalIDOrder.less(a, b) && ExternalIDOrder.less(b, c) {
                    #expect(ExternalIDOrder.less(a, c), "\(a) < \(b) < \(c)")
                }
            }
        }
    }

    @Test func precomputedKeysSortLikeThePairwiseRule() {
        let ids = Self.sampleIDs(2000, seed: 8)
        let order = ExternalIDOrder.order(ids)
        #expect(order.map { ids[$0] } == ids.sorted(by: ExternalIDOrder.less))
        // Repeated ids keep their input order.
        for (a, b) in zip(order, order.dropFirst()) where ids[a] == ids[b] { #expect(a < b) }
        let rows = ids.enumerated().map { (id: $0.element, row: $0.offset) }
        #expect(ExternalIDOrder.sorted(rows, id: \.id).map(\.row) == order)
        #expect(ExternalIDOrder.Key("12") < ExternalIDOrder.Key("x") && ExternalIDOrder.Key("7") == ExternalIDOrder.Key("7"))
        #expect(ExternalIDOrder.order([]).isEmpty)
    }
}

@Suite struct StableSortTests {
    @Test func equalElementsKeepTheirInputOrder() {
        let rows = [(3, "a"), (1, "b"), (3, "c"), (2, "d"), (1, "e"), (3, "f")]
        #expect(rows.stableSorted { $0.0 < $1.0 }.map(\.1) == ["b", "e", "d", "a", "c", "f"])
        #expect(rows.stableSorted { $0.0 > $1.0 }.map(\.1) == ["a", "c", "f", "d", "b", "e"])
        #expect([Int]().stableSorted(by: <).isEmpty)
    }

    @Test func matchesAnIndexTieBreakOnManyTies() {
        var rng = SeededGenerator(seed: 21)
        let keys = (0..<5000).map { _ in rng.nextIndex(below: 20) }
        let indices = Array(keys.indices)
        let want = indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        #expect(indices.stableSorted { keys[$0] < keys[$1] } == want)
        // Sorting again by a second key keeps the first order among its ties (a two-column sort).
        let byParity = want.stableSorted { $0 % 2 < $1 % 2 }
        for (a, b) in zip(byParity, byParity.dropFirst()) where a % 2 == b % 2 {
            #expect(keys[a] < keys[b] || (keys[a] == keys[b] && a < b))
        }
    }

    @Test(arguments: [["3", "-1", "10", "3", "0", "2"], ["3", "007", "7", "10", "-0", "0"], ["12", "x", "3", "", "12"]])
    func theAllIntegerFastPathSortsLikeTheKeys(ids: [String]) {
        let keys = ids.map(ExternalIDOrder.Key.init)
        let reference = ids.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
        #expect(ExternalIDOrder.order(ids) == reference)
    }
}
