import RecCore

extension AgentRecommender {
    /// The next slate: base z-scores plus the active actions, best first (ties by item index), never an
    /// item of the history or an earlier slate; with a diversity action, chosen greedily by MMR from the
    /// best 5 × `slateSize`. Weights fade linearly with an action's age. Writes the turn's trace and counts down the actions.
    /// - Complexity: O(items · actions + slateSize · pool).
    public func nextSlate(memory: inout AgentMemory) -> [Int32] {
        memory.turn += 1
        let n = catalog.itemCount
        let draw = policy.learns ? learnedScores(&memory) : nil
        var score = draw?.score ?? memory.base
        var mmr: Float = 0
        for action in memory.actions {
            // An action fades as it ages: full weight on its first slate, 1/hold on its last.
            let fade = Float(action.turnsLeft) / Float(max(holdTurns, 1))
            switch action.kind {
            case .exclude(let t):
                for i in catalog.topicItems[Int(t)] { score[Int(i)] -= 1000 }
            case .shift(let t, let w0):
                let w = w0 * fade
                for i in catalog.topicItems[Int(t)] { score[Int(i)] += w }
            case .similarTo(let item, let w0):
                let w = w0 * fade
                let near = memory.neighbours[item] ?? []
                for (r, i) in near.enumerated() { score[Int(i)] += w * (1 - Float(r) / Float(max(near.count, 1))) }
            case .recency(let w0):
                let w = w0 * fade
                for i in 0..<n { score[i] += w * (2 * catalog.newness[i] - 1) }
            case .popularityPenalty(let w0):
                let w = w0 * fade
                for i in 0..<n { score[i] -= w * catalog.popularity[i] }
            case .diversity(let w):
                mmr = max(mmr, w * fade)
            }
        }
        let slate: [Int32]
        if let draw {
            slate = learnedSlate(score, draw: draw, topicWeight: mmr + Self.topicDiversity, memory: &memory)
        } else {
            let pool = best(score, shown: memory.shown, k: mmr > 0 ? slateSize * 5 : slateSize)
            slate = mmr > 0 ? diversify(pool, score: score, weight: mmr) : pool
        }
        for t in memory.recentTopics.indices { memory.recentTopics[t] *= 0.5 }
        for i in slate {
            memory.shown[Int(i)] = true
            for t in catalog.itemTopics[Int(i)] { memory.recentTopics[Int(t)] += 1 }
        }
        if policy.learns { memory.exposure.show(slate, catalog: catalog) }

        var line = "turn \(memory.turn): "
        if !memory.heard.isEmpty { line += memory.heard.joined(separator: " | ") + "; " }
        let ranking = policy.learns ? learnedTrace(memory) : model.name
        if memory.actions.isEmpty {
            line += policy.learns ? "\(ranking), no actions" : "top \(slate.count) of \(model.name), no actions"
        } else {
            var reasons: [String] = []
            for a in memory.actions where !reasons.contains("\(a.reason) (\(a.turnsLeft) left)") { reasons.append("\(a.reason) (\(a.turnsLeft) left)") }
            line += "\(ranking) + " + reasons.joined(separator: ", ")
        }
        memory.trace = line
        memory.heard.removeAll()
        for a in memory.actions.indices { memory.actions[a].turnsLeft -= 1 }
        memory.actions.removeAll { $0.turnsLeft <= 0 }
        return slate
    }

    /// The `k` best unshown items by `score`, best first, ties by lower index.
    func best(_ score: [Float], shown: [Bool], k: Int) -> [Int32] {
        var top: [Int32] = []
        top.reserveCapacity(k + 1)
        for i in 0..<score.count where !shown[i] {
            let s = score[i]
            if top.count == k, let last = top.last, !(s > score[Int(last)]) { continue }
            var at = top.count
            while at > 0 && s > score[Int(top[at - 1])] { at -= 1 }
            top.insert(Int32(i), at: at)
            if top.count > k { top.removeLast() }
        }
        return top
    }

    /// Greedy MMR: each next item maximises score − weight × max topic Jaccard with the items chosen.
    /// - Complexity: O(slateSize · pool), keeping each candidate's largest overlap so far.
    func diversify(_ pool: [Int32], score: [Float], weight: Float) -> [Int32] {
        var left = pool, overlap = [Float](repeating: 0, count: pool.count), chosen: [Int32] = []
        while chosen.count < slateSize && !left.isEmpty {
            var bestAt = 0, bestValue = -Float.infinity
            for at in left.indices {
                let value = score[Int(left[at])] - weight * overlap[at]
                if value > bestValue { bestValue = value; bestAt = at }
            }
            let picked = left.remove(at: bestAt)
            overlap.remove(at: bestAt)
            chosen.append(picked)
            for at in left.indices { overlap[at] = max(overlap[at], topicJaccard(left[at], picked)) }
        }
        return chosen
    }

    /// |T(a) ∩ T(b)| / |T(a) ∪ T(b)| over the items' topics (0 when both have none).
    func topicJaccard(_ a: Int32, _ b: Int32) -> Float {
        let overlap = catalog.topicOverlap(a, b)
        return overlap.union == 0 ? 0 : Float(overlap.common) / Float(overlap.union)
    }
}
