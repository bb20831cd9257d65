import RecCore
import Testing
@testable import RecModels

@Suite struct PrefixTrieTests {
    /// 60 items on 3 levels of 3 codes, with collisions.
    func codes(seed: UInt64 = 5) -> [Int32] {
        var rng = SeededGenerator(seed: seed)
        return (0..<180).map { _ in Int32(rng.nextIndex(below: 3)) }
    }

    @Test func everyItemSitsUnderItsOwnPathAndNodesPartitionTheItems() throws {
        let c = codes(), trie = PrefixTrie(codes: c, levels: 3)
        #expect(Set(trie.itemOrder) == Set(0..<60) && trie.itemOrder.count == 60)
        for l in 0..<3 {
            var total = 0
            for n in 0..<trie.nodeCount(level: l) {
                let prefix = trie.prefix(of: n, level: l)
                #expect(trie.node(of: prefix) == n)
                let items = trie.items(under: n, level: l)
                #expect(items.count == trie.itemCount(under: n, level: l) && !items.isEmpty)
                for i in items { #expect(Array(c[Int(i) * 3..<(Int(i) * 3 + l + 1)]) == prefix) }
                total += items.count
                if l < 2 {
                    let kids = trie.children(of: n, level: l)
                    let kidCodes = kids.map { trie.nodeCodes[l + 1][$0] }
                    #expect(kidCodes == kidCodes.sorted() && Set(kidCodes).count == kidCodes.count)
                    #expect(kids.reduce(0) { $0 + trie.itemCount(under: $1, level: l + 1) } == items.count)
                    for k in kids { #expect(trie.child(of: n, level: l, code: trie.nodeCodes[l + 1][k]) == k) }
                    #expect(trie.child(of: n, level: l, code: 7) == nil)
                }
            }
            #expect(total == 60)
        }
        for i in 0..<60 {
            for l in 0..<3 { #expect(trie.prefix(of: trie.node(of: i, level: l), level: l) == Array(c[i * 3..<(i * 3 + l + 1)])) }
        }
        #expect(trie.node(of: [9]) == nil && trie.node(of: [0, 0, 0, 0]) == nil)
    }

    @Test func itemsWithTheSamePathAreOrderedByIndex() {
        let trie = PrefixTrie(codes: [1, 0, 0, 1, 0, 2, 1, 0], levels: 2)  // items 0 and 3 share 1-0
        #expect(trie.nodeCount(level: 0) == 2 && trie.nodeCount(level: 1) == 3)
        #expect(Array(trie.items(under: trie.node(of: [1, 0])!, level: 1)) == [0, 3])
    }
}

@Suite struct BeamSearchTests {
    let train = clusteredMatrix()
    var sequences: UserSequences { shuffledSequences(train) }

    func sid(_ extra: [String: String] = [:]) throws -> SemanticIDRetriever {
        var p = ModelParameters(contractParams[.sid]!.merging(["codes": "6", "transition": "0.5"]) { _, b in b }
                                    .merging(extra) { _, b in b }, model: "sid")
        return try SemanticIDRetriever(train: train, sequences: sequences, configuration: try .init(&p))
    }

    func history(_ u: Int) -> ExclusionSet { ExclusionSet(sorted: train.items(ofUser: u)) }

    @Test func aBeamWiderThanEveryLevelEqualsExhaustiveScoring() throws {
        let m = try sid()
        let everything = try sid(["beam": "0"])
        for u in 0..<(train.userCount - 1) {
            let all = m.scores(user: u, items: (0..<Int32(train.itemCount)).map { $0 })
            let exhaustive = TopK.select(scores: all, k: 10, exclude: history(u))
            #expect(m.trace(user: u, k: 10, exclude: history(u), beam: m.trie.widestLevel).items == exhaustive)
            #expect(everything.recommend(user: u, k: 10, exclude: history(u)) == exhaustive)
        }
    }

    @Test func narrowBeamsStillReturnKUnseenDistinctItemsDeterministically() throws {
        let m = try sid(["beam": "1"])
        for u in 0..<(train.userCount - 1) {
            let list = m.recommend(user: u, k: 12, exclude: history(u))
            #expect(list.count == 12)
            #expect(Set(list.map(\.item)).count == list.count)
            #expect(!list.contains { history(u).contains($0.item) })
            #expect(list == m.recommend(user: u, k: 12, exclude: history(u)))
            let trace = m.trace(user: u, k: 12, exclude: history(u))
            #expect(trace.items == list && trace.levels.count == 2 && trace.levels.allSatisfy { $0.kept.count <= trace.beam })
        }
    }

    @Test func theTraceKeepsTheBestPrefixesAndSkipsFullySeenOnes() throws {
        let m = try sid(["beam": "2"])
        let u = 4
        // Exclude everything under the first level-0 code: that prefix must be skipped, not kept.
        let hidden = m.trie.items(under: 0, level: 0)
        let exclude = ExclusionSet(unsorted: Array(hidden) + Array(train.items(ofUser: u)))
        let t = m.trace(user: u, k: 5, exclude: exclude)
        #expect(t.levels[0].skippedFullySeen >= 1)
        #expect(!t.levels[0].kept.contains { $0.codes == [m.trie.nodeCodes[0][0]] })
        for level in t.levels {
            if let worstKept = level.kept.last, let bestPruned = level.pruned.first { #expect(worstKept.score >= bestPruned.score) }
            for p in level.kept + level.pruned {
                #expect(abs(p.score - (p.centroidScore + t.transitionWeight * p.transitionScore)) < 1e-4)
            }
        }
        #expect(!t.items.contains { exclude.contains($0.item) })
    }

    @Test func transitionsLearnAPlantedSuccessor() throws {
        // Every user walks the chain 0 → 1 → 2 → … from a different start; the successor of the last item wins.
        let items = 24, users = 30
        var start = [0], seq: [Int32] = []
        var u: [Int32] = [], i: [Int32] = []
        for user in 0..<users {
            for step in 0..<6 {
                let item = Int32((user + step) % items)
                seq.append(item); u.append(Int32(user)); i.append(item)
            }
            start.append(seq.count)
        }
        let sequences = UserSequences(start: start, items: seq, timestamps: (0..<seq.count).map { Double($0) })
        let m = InteractionMatrix(userCount: users, itemCount: items, users: u, items: i)
        let trie = PrefixTrie(codes: (0..<Int32(items)).flatMap { [$0 % 4, $0 / 4] }, levels: 2)
        var c = CodeTransitions.Configuration()
        c.window = 1; c.history = 1; c.contextLevel = 2; c.smoothing = 1
        let transitions = CodeTransitions(sequences: sequences, trie: trie, configuration: c)
        for last in 0..<items {
            let q = transitions.query(recent: [Int32(last)])
            let next = (last + 1) % items
            let terms = (0..<items).map { q.pathTerm(item: $0) }
            #expect(terms.indices.max { terms[$0] < terms[$1] } == next, "after \(last)")
        }
        // And the model puts the successor first once the transition term dominates.
        var p = ModelParameters(["factors": "4", "iterations": "2", "levels": "2", "codes": "4", "beam": "2", "transition": "10",
                                 "window": "1", "history": "1", "context_level": "2", "smoothing": "1"], model: "sid")
        let model = try SemanticIDRetriever(train: m, sequences: sequences, configuration: try .init(&p))
        for user in 0..<users {
            let last = seq[start[user + 1] - 1]
            let top = model.recommend(user: user, k: 1, exclude: ExclusionSet(sorted: m.items(ofUser: user)))
            #expect(top.first?.item == (last + 1) % Int32(items), "user \(user)")
        }
    }

    @Test func sequencesOrderByTimeThenSourceOrder() {
        let s = UserSequences(userCount: 2, users: [1, 0, 1, 1, 0], items: [5, 6, 7, 8, 9], timestamps: [3, 1, 2, 2, 0],
                              sourceOrder: [0, 1, 4, 3, 2])
        #expect(Array(s.items(ofUser: 0)) == [9, 6])
        #expect(Array(s.items(ofUser: 1)) == [8, 7, 5])
        let (kept, dropped) = s.droppingLast()
        #expect(Array(kept.items(ofUser: 1)) == [8, 7] && dropped == [[6], [5]])
    }
}

@Suite struct SequenceContractTests {
    let train = clusteredMatrix()

    @Test(arguments: [ModelKind.sid, .rank, .sasrec, .bert4rec])
    func modelsTrainedWithAContextKeepTheContract(_ kind: ModelKind) throws {
        let context = TrainingContext(sequences: shuffledSequences(train))
        let a = try kind.train(train, params: contractParams[kind]!, context: context)
        let b = try kind.train(train, params: contractParams[kind]!, context: context)
        #expect(a.artifact() == b.artifact())
        let loaded = try kind.load(a.artifact())
        #expect(loaded.artifact() == a.artifact())
        for u in 0..<train.userCount {
            let seen = ExclusionSet(sorted: train.items(ofUser: u))
            let list = a.recommend(user: u, k: 10, exclude: seen)
            #expect(list.count == min(10, train.itemCount - seen.sortedItems.count))
            #expect(Set(list.map(\.item)).count == list.count && !list.contains { seen.contains($0.item) })
            #expect(loaded.recommend(user: u, k: 10, exclude: seen) == list)
            let scored = a.scores(user: u, items: list.map(\.item))
            for (s, x) in zip(list, scored) { #expect(abs(s.score - x) <= 1e-4 * max(1, abs(x))) }
        }
    }
}

@Suite struct PairwiseRankerTests {
    /// Groups of 8 candidates with 3 features; the chosen one is the best by a hidden 2·f0 − f2 (feature 1 is noise).
    func planted(groups: Int, seed: UInt64) -> [RankingGroup] {
        var rng = SeededGenerator(seed: seed)
        return (0..<groups).map { _ in
            var f: [Float] = []
            var best = 0, bestScore = -Float.infinity
            for r in 0..<8 {
                let row = (0..<3).map { _ in Float(rng.nextIndex(below: 1000)) / 100 }
                let s = 2 * row[0] - row[2]
                if s > bestScore { bestScore = s; best = r }
                f += row
            }
            return RankingGroup(dimension: 3, features: f, positive: best)
        }
    }

    @Test func trainingImprovesPairwiseAccuracyOnHeldOutGroups() {
        let train = planted(groups: 200, seed: 1), test = planted(groups: 100, seed: 2)
        let before = PairwiseRanker.untrained(dimension: 3).pairwiseAccuracy(test)
        let ranker = PairwiseRanker.fit(train, l2: 0.1, iterations: 30)
        let after = ranker.pairwiseAccuracy(test)
        #expect(before == 0.5)
        #expect(after > 0.95, "pairwise accuracy \(after)")
        #expect(ranker.weights[0] > 0 && ranker.weights[2] < 0 && abs(ranker.weights[1]) < ranker.weights[0] / 4)
    }
}
