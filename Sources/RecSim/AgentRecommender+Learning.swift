import RecCore

/// What the agent believes about one topic: the predicted response to a typical item of it, and how sure.
public struct TopicBelief: Sendable, Equatable {
    public let topic: Int32
    /// Posterior mean response (about 0: no click, 1: a click) to the topic's mean item, recent exposure included.
    public let mean: Float
    /// Posterior standard deviation of that response, and the prior's.
    public let deviation: Float
    public let priorDeviation: Float

    /// 1 − posterior deviation / prior deviation: 0 before any evidence, toward 1 as it accumulates.
    public var certainty: Float { priorDeviation > 0 ? max(0, 1 - deviation / priorDeviation) : 0 }
}

extension AgentRecommender {
    /// Weight of the item-vector term in a sampled slate's MMR, in base log-rank units: a near-duplicate of
    /// an item already in the slate needs a base rank e¹ times better to be picked.
    public static let ideaDiversity: Float = 1
    /// Weight of the topic-Jaccard term in every learning policy's slate (added to an instruction's), in
    /// base log-rank units: slates spread over topics whatever the belief says.
    public static let topicDiversity: Float = 1

    /// Reads one turn's feedback into the belief and refreshes the posterior; `static` ignores it.
    ///
    /// The response of each position (1 click, 1.5 like, 0 otherwise) is weighted by
    /// `policy.examinationWeights`: every non-click is a skip for `feedback` and `ts`, while `cascade`
    /// leaves out what lies below the last click. Feedback about any slate but the latest is ignored.
    public func observe(_ feedback: SlateFeedback, memory: inout AgentMemory) {
        guard policy.learns, memory.belief != nil, feedback.slate == memory.lastSlate else { return }
        let weights = policy.examinationWeights(clicked: feedback.clicked)
        let features = memory.belief!.features
        var phi = [Float](repeating: 0, count: features.dimension)
        phi.withUnsafeMutableBufferPointer { p in
            let out = p.baseAddress!
            for (n, item) in feedback.slate.enumerated() where weights[n] > 0 {
                features.fill(out, item: item, base: memory.base[Int(item)] / memory.baseScale, exposure: memory.slateExposure[n],
                              slot: n, turn: memory.turn)
                memory.belief!.observe(UnsafePointer(out), response: feedback.response(at: n), weight: weights[n])
            }
        }
        memory.belief!.refresh()
        for (n, item) in feedback.slate.enumerated() where feedback.clicked[n] { memory.exposure.click(item, catalog: catalog) }
    }

    /// A turn's coefficients θ (the posterior mean for `feedback`, one Thompson draw for `ts` and `cascade`)
    /// and the score of every item under them at the turn's start, in base log-rank units.
    struct LearnedDraw {
        var score: [Float]
        /// θ's exposure coefficients in base log-rank units.
        let exposure: [Float]
    }

    /// Scores every item as φ(i)ᵀθ · ln(n + 1) / (prior mean's base slope) at the turn's start (the slot and
    /// turn features are the same for every item and left out), so that the unfitted prior mean gives back the
    /// base scores exactly; items already seen keep the base's −10⁶.
    func learnedScores(_ memory: inout AgentMemory) -> LearnedDraw? {
        guard let belief = memory.belief else { return nil }
        let theta = policy.samples ? belief.sample(&memory.rng) : belief.mean
        let k = BeliefFeatures.perTurn
        let items = belief.features.items
        var shared = [Float](repeating: 0, count: items.stride)
        for j in 0..<items.cols { shared[j] = theta[k + j] }
        var score = [Float](repeating: 0, count: catalog.itemCount)
        score.withUnsafeMutableBufferPointer { out in
            shared.withUnsafeBufferPointer { Kernels.multiply(items.view, $0.baseAddress!, into: out.baseAddress!) }
        }
        let toBase = memory.baseScale / belief.features.meanSlope
        let slope = theta[0] / memory.baseScale
        let coefficients = Array(theta[1...TopicExposure.count])
        // Items with the same topics share their exposure: one value per distinct topic set.
        let sets = belief.features.topicSets
        var tiredBySet = [Float](repeating: 0, count: sets.members.count)
        var e = [Float](repeating: 0, count: TopicExposure.count)
        e.withUnsafeMutableBufferPointer { ep in
            let f = ep.baseAddress!
            for (s, topics) in sets.members.enumerated() {
                memory.exposure.features(topics, into: f)
                var tired: Float = 0
                for j in 0..<TopicExposure.count { tired += coefficients[j] * f[j] }
                tiredBySet[s] = tired
            }
        }
        memory.base.withUnsafeBufferPointer { base in
            sets.ofItem.withUnsafeBufferPointer { set in
                for i in score.indices {
                    let b = base[i]
                    guard b > -1e5 else { score[i] = b; continue }
                    score[i] = (slope * b + tiredBySet[Int(set[i])] + score[i]) * toBase
                }
            }
        }
        return LearnedDraw(score: score, exposure: coefficients.map { $0 * toBase })
    }

    /// The slate of a learning policy, picked one item at a time from the best 5 × `slateSize` by `score`:
    /// each pick maximises its score with its exposures raised by the items already picked, each at its
    /// slot's attention (so the belief's own estimate of tiring decides how much a slate mixes topics),
    /// minus `topicWeight` × its largest topic Jaccard with them (`topicDiversity` plus an instruction's)
    /// and, for a sampled slate, `ideaDiversity` × its largest item-vector cosine with them. Records each
    /// position's exposures for `observe`.
    /// - Complexity: O(slateSize · pool · (topics + vector width)).
    func learnedSlate(_ score: [Float], draw: LearnedDraw, topicWeight: Float, memory: inout AgentMemory) -> [Int32] {
        let ideas: Float = policy.samples ? Self.ideaDiversity : 0
        var left = best(score, shown: memory.shown, k: slateSize * 5)
        var overlap = [Float](repeating: 0, count: left.count), near = overlap
        var added = [Float](repeating: 0, count: catalog.topicNames.count)
        var start = left.map { memory.exposure.features(catalog.itemTopics[Int($0)]) }
        var now = start
        var chosen: [Int32] = [], picked: [[Float]] = []
        while chosen.count < slateSize && !left.isEmpty {
            var bestAt = 0, bestValue = -Float.infinity
            for at in left.indices {
                var value = score[Int(left[at])] - topicWeight * overlap[at] - ideas * near[at]
                for j in 0..<TopicExposure.count { value += draw.exposure[j] * (now[at][j] - start[at][j]) }
                if value > bestValue { bestValue = value; bestAt = at }
            }
            let item = left[bestAt]
            chosen.append(item)
            picked.append(now[bestAt])
            left.remove(at: bestAt)
            overlap.remove(at: bestAt)
            near.remove(at: bestAt)
            start.remove(at: bestAt)
            now.remove(at: bestAt)
            let w = TopicExposure.positionAttention(chosen.count - 1)
            for t in catalog.itemTopics[Int(item)] { added[Int(t)] += w }
            for at in left.indices {
                overlap[at] = max(overlap[at], topicJaccard(left[at], item))
                if ideas > 0, let features { near[at] = max(near[at], features.vectorSimilarity(left[at], item)) }
                now[at] = memory.exposure.features(catalog.itemTopics[Int(left[at])], extra: added)
            }
        }
        memory.lastSlate = chosen
        memory.slateExposure = picked
        return chosen
    }

    /// The learning part of a slate's trace: `ts over als: Thompson draw from 20 responses (6 clicks), idea MMR 1.0`.
    func learnedTrace(_ memory: AgentMemory) -> String {
        guard let belief = memory.belief else { return model.name }
        let evidence = belief.observations == 0
            ? "the prior"
            : "\(Int(belief.observations.rounded())) responses (\(belief.positives) click\(belief.positives == 1 ? "" : "s"))"
        let how = policy.samples ? "Thompson draw from \(evidence)" : "posterior mean from \(evidence)"
        let diversity = policy.samples ? ", idea MMR \(_fixed(Self.ideaDiversity, 1))" : ""
        return "\(policy.rawValue) over \(model.name): \(how)\(diversity)"
    }

    /// The belief per topic, most wanted first (ties by topic index): the predicted response to the topic's
    /// mean item at its current exposure. Empty for `static`.
    public func topicBeliefs(_ memory: AgentMemory) -> [TopicBelief] {
        guard let belief = memory.belief else { return [] }
        let features = belief.features
        var out: [TopicBelief] = []
        var v = [Float](repeating: 0, count: features.dimension)
        for t in catalog.topicNames.indices {
            var base: Float = 0, count = 0
            for i in catalog.topicItems[t] where memory.base[Int(i)] > -1e5 {
                base += memory.base[Int(i)]
                count += 1
            }
            guard count > 0 else { continue }
            let e = memory.exposure.features(topic: t)
            v.withUnsafeMutableBufferPointer {
                BeliefFeatures.fillShared($0.baseAddress!, base: base / Float(count) / memory.baseScale, exposure: e, slot: 0,
                                          turn: memory.turn + 1)
            }
            withExtendedLifetime(features.topicMeans) {
                let row = features.topicMeans.row(t)
                for j in 0..<features.items.cols { v[BeliefFeatures.perTurn + j] = row[j] }
            }
            let p = belief.predictive(v)
            out.append(TopicBelief(topic: Int32(t), mean: p.mean, deviation: p.deviation, priorDeviation: belief.priorDeviation(v)))
        }
        return out.stableSorted { $0.mean > $1.mean }
    }
}

