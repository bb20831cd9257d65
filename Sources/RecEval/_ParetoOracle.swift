#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The oracle re-ranking behind `ParetoFrontier` (DPFR's `generate_pareto.py`, step for step; ties by index).
struct _ParetoOracle {
    let k: Int
    let users: [Int]
    let truth: [ArraySlice<Int32>]
    let seen: [ArraySlice<Int32>]
    let itemCount: Int
    var lists: [[Int32]]
    var relevant: [[Bool]]
    var holders: [[Int32]]
    var counter: _ExposureCounter
    var ndcg: [Double]
    var ndcgSum = 0.0
    var points: [ParetoFrontier.Point] = []
    let discount: [Double]

    init(heldOut: HeldOut, users: [Int], k: Int) {
        precondition(k > 0, "K must be positive")
        self.k = k
        self.users = users
        truth = users.map { heldOut.truth.items(ofUser: $0) }
        seen = users.map { heldOut.seen.items(ofUser: $0) }
        itemCount = heldOut.truth.itemCount
        lists = [[Int32]](repeating: [], count: users.count)
        relevant = [[Bool]](repeating: [], count: users.count)
        holders = [[Int32]](repeating: [], count: itemCount)
        counter = _ExposureCounter(itemCount: itemCount, maxCount: users.count)
        ndcg = [Double](repeating: 0, count: users.count)
        discount = (0..<k).map { 1 / log2(Double($0 + 2)) }
    }

    mutating func run() -> ParetoFrontier {
        guard !users.isEmpty, itemCount > 0 else { return ParetoFrontier(k: k, points: []) }
        startWithRelevantItems()
        for a in users.indices { rescore(a) }
        record()
        spreadOverUnexposedItems()
        balanceExposure()
        return ParetoFrontier(k: k, points: points, finalLists: lists)
    }

    // MARK: the oracle's first lists (init_recommendation)

    mutating func startWithRelevantItems() {
        var bySize: [Int: [Int]] = [:]
        for a in users.indices { bySize[truth[a].count, default: []].append(a) }
        for a in bySize[k] ?? [] { for item in truth[a] { append(item, to: a) } }
        // More relevant items than K: users whose items are least taken go first and take untaken items.
        for size in (bySize.keys.filter { $0 > k }).sorted() {
            let group = bySize[size]!
            let taken = group.map { a in truth[a].filter { counter.counts[Int($0)] > 0 } }
            let weight = taken.map { $0.reduce(0) { $0 + counter.counts[Int($1)] } }
            let order = group.indices.sorted { weight[$0] != weight[$1] ? weight[$0] < weight[$1] : group[$0] < group[$1] }
            for g in order {
                let mine = Set(taken[g])
                for item in truth[group[g]].filter({ !mine.contains($0) }).prefix(k) { append(item, to: group[g]) }
            }
            for g in order where lists[group[g]].count < k {
                let need = k - lists[group[g]].count
                let fill = taken[g].enumerated().sorted {
                    let (x, y) = (counter.counts[Int($0.element)], counter.counts[Int($1.element)])
                    return x != y ? x < y : $0.offset < $1.offset
                }.prefix(need)
                for (_, item) in fill { append(item, to: group[g]) }
            }
        }
        // Fewer than K: their relevant items, then unexposed items (each once), then the least exposed.
        let short = users.indices.filter { truth[$0].count < k }
        for a in short { for item in truth[a] { append(item, to: a) } }
        var next = Array(0...itemCount)   // next[i]: the first unused pool item ≥ i (itemCount: none)
        for i in 0..<itemCount where counter.counts[i] > 0 { next[i] = i + 1 }
        func find(_ i: Int) -> Int {
            var root = i
            while next[root] != root { root = next[root] }
            var j = i
            while next[j] != root { let up = next[j]; next[j] = root; j = up }
            return root
        }
        for a in short {
            var i = find(0)
            while lists[a].count < k && i < itemCount {
                if seen[a].sortedContains(Int32(i)) { i = find(i + 1); continue }
                append(Int32(i), to: a)
                next[i] = i + 1
                i = find(i + 1)
            }
        }
        for a in short where lists[a].count < k {
            // The least exposed shown item the user neither has nor has seen; items that are the user's are
            // set aside one at a time as the search meets them (most of a history is popular, so few are).
            var aside: [Int32] = []
            while lists[a].count < k, let item = counter.leastExposed {
                counter.exclude(item)
                aside.append(item)
                if seen[a].sortedContains(item) || truth[a].sortedContains(item) || lists[a].contains(item) { continue }
                append(item, to: a)
            }
            for item in aside { counter.include(item) }
        }
    }

    mutating func append(_ item: Int32, to a: Int) {
        lists[a].append(item)
        relevant[a].append(truth[a].sortedContains(item))
        holders[Int(item)].append(Int32(a))
        counter.add(item)
    }

    // MARK: re-ranking towards the fairest exposure (oracle2fair)

    /// Phase 1: every unexposed item, in index order, replaces the most exposed item of one user.
    mutating func spreadOverUnexposedItems() {
        guard counter.counts[Int(counter.mostExposed)] > 1 else { return }
        let unexposed = (0..<itemCount).filter { counter.counts[$0] == 0 }
        for j in unexposed {
            let item = Int32(j)
            let top = counter.mostExposed
            guard let (a, p) = candidate(holding: top, for: item, checkList: false) else { continue }
            replace(a, at: p, with: item)
            record()
        }
    }

    /// Phase 2: the least exposed item replaces the most exposed one until no item is shown more than ⌈mK/n⌉ times.
    mutating func balanceExposure() {
        let cap = (k * users.count + itemCount - 1) / itemCount
        var steps = 0
        while counter.counts[Int(counter.mostExposed)] > cap, steps < counter.slots * 2 {
            steps += 1
            let top = counter.mostExposed
            var tried: [Int32] = []
            var choice: (item: Int32, user: Int, position: Int)?
            while let item = counter.leastExposed, counter.counts[Int(item)] + 1 < counter.counts[Int(top)] {
                if let (a, p) = candidate(holding: top, for: item, checkList: true) { choice = (item, a, p); break }
                tried.append(item)
                counter.exclude(item)
            }
            for item in tried { counter.include(item) }
            guard let choice else { return }
            replace(choice.user, at: choice.position, with: choice.item)
            record()
        }
    }

    /// The user whose list gives up `top` for `item`: among the holders of `top` who have not seen `item` (nor
    /// hold it, when `checkList`), by the position of `top` from the back, ties by lower user; one to whom
    /// `item` is relevant first.
    func candidate(holding top: Int32, for item: Int32, checkList: Bool) -> (user: Int, position: Int)? {
        var best: (user: Int, position: Int)?
        var bestRelevant: (user: Int, position: Int)?
        func before(_ x: (user: Int, position: Int), _ y: (user: Int, position: Int)?) -> Bool {
            guard let y else { return true }
            return x.position != y.position ? x.position > y.position : x.user < y.user
        }
        for holder in holders[Int(top)] {
            let a = Int(holder)
            if seen[a].sortedContains(item) || (checkList && lists[a].contains(item)) { continue }
            guard let p = lists[a].firstIndex(of: top) else { continue }
            let here = (user: a, position: p)
            if before(here, best) { best = here }
            if truth[a].sortedContains(item), before(here, bestRelevant) { bestRelevant = here }
        }
        return bestRelevant ?? best
    }

    /// Puts `item` at `position` of user `a`'s list; when a relevant item then follows it, the list is
    /// reordered as the paper's code does (relevant items first, each group in reverse order).
    mutating func replace(_ a: Int, at position: Int, with item: Int32) {
        let old = lists[a][position]
        counter.remove(old)
        counter.add(item)
        if let h = holders[Int(old)].firstIndex(of: Int32(a)) { holders[Int(old)].remove(at: h) }
        holders[Int(item)].append(Int32(a))
        lists[a][position] = item
        relevant[a][position] = truth[a].sortedContains(item)
        if relevant[a][(position + 1)...].contains(true) {
            let order = Array((relevant[a].indices.filter { !relevant[a][$0] } + relevant[a].indices.filter { relevant[a][$0] }).reversed())
            lists[a] = order.map { lists[a][$0] }
            relevant[a] = order.map { relevant[a][$0] }
        }
        rescore(a)
    }

    mutating func rescore(_ a: Int) {
        var dcg = 0.0
        for (p, hit) in relevant[a].enumerated() where hit { dcg += discount[p] }
        var ideal = 0.0
        for p in 0..<min(truth[a].count, k) { ideal += discount[p] }
        let value = ideal > 0 ? dcg / ideal : 0
        ndcgSum += value - ndcg[a]
        ndcg[a] = value
    }

    mutating func record() {
        let shape = _ExposureShape(n: itemCount, k: k, slots: counter.slots)
        points.append(ParetoFrontier.Point(ndcg: ndcgSum / Double(users.count), jain: shape.jainCorrected(counter.jain),
                                           entropy: shape.entropyCorrected(counter.entropy),
                                           gini: shape.giniCorrected(counter.gini)))
    }
}
