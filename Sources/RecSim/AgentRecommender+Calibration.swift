import RecCore

extension AgentRecommender {
    /// Simulated users in the logged sessions a prior is fitted on.
    public static let calibrationUsers = 400

    /// This agent with its belief's shared coefficients fitted on logged sessions of `users` other
    /// simulated users (empirical Bayes: each user's belief then starts from the population's).
    ///
    /// Two rounds: the sessions the platform's ranking as it is (`static` without instructions) gives them,
    /// then the sessions `feedback` (`cascade` for a cascade agent, `priorReading`) gives them starting from
    /// that first fit, since the static ranking
    /// rarely leaves a user's favourite topics and so says little about what happens when it does; the
    /// final fit reads both. The logged users are drawn from `profiles` with a seed derived from
    /// `config.seed` that no run uses, under the run's user knobs; the agent reads only their slates and
    /// clicks, never their state. Each fit is ridge regression of the response (`SlateFeedback.response`)
    /// on the shared features (`BeliefFeatures`: base score, exposures, slot, turn, bias, popularity,
    /// newness) of every shown item, shrunk toward the unfitted prior. The same profiles, config and seed
    /// give the same coefficients for any thread count.
    /// - Complexity: a `static` and a `feedback` population run of `users` users, then
    ///   O(impressions · sharedCount²).
    public func calibrated(on profiles: [UserProfile], config: SimulationConfig, users: Int = calibrationUsers,
                           threads: Int = 0) -> AgentRecommender {
        guard !profiles.isEmpty, users > 0 else { return self }
        var logging = config
        logging.agent = false
        logging.policy = .static
        logging.measuresRegret = false
        logging.seed = Self.calibrationSeed(config.seed)
        let sample = PopulationRun.sample(profiles, count: users, seed: logging.seed)
        let first = PopulationRun(profiles: sample, agent: self, config: logging, threads: threads)
        var out = self
        let reading = Self.priorReading(policy)
        out.prior.shared = fitShared(personas: first.personas, sessions: first.sessions, reading: reading)
        logging.policy = reading
        let second = PopulationRun(profiles: sample, agent: out, config: logging, threads: threads)
        out.prior.shared = fitShared(personas: first.personas + second.personas, sessions: first.sessions + second.sessions,
                                     reading: reading)
        return out
    }

    /// A seed of its own for the logged sessions.
    static func calibrationSeed(_ seed: UInt64) -> UInt64 {
        var g = SeededGenerator(seed: seed ^ 0xCA11_B8A7_E000_0001)
        return g.next()
    }

    /// How a policy's prior reads logged sessions, which is also the policy that logs the second round:
    /// `cascade` as it reads its own users (nothing below the last click), every other policy as `feedback`
    /// (every non-click a skip). A prior read otherwise would not match the evidence the policy adds to it.
    public static func priorReading(_ policy: AgentPolicy) -> AgentPolicy {
        policy == .cascade ? .cascade : .feedback
    }

    /// Ridge regression of every shown item's response on its shared features, replaying each session's
    /// exposure as the agent would have tracked it; each response weighted as `reading` weighs it.
    func fitShared(personas: [Persona], sessions: [[TurnRecord]], reading: AgentPolicy) -> [Float] {
        let s = BeliefFeatures.sharedCount, k = BeliefFeatures.perTurn
        var gram = [Double](repeating: 0, count: s * s), target = [Double](repeating: 0, count: s)
        var phi = [Float](repeating: 0, count: s)
        let topics = catalog.topicNames.count
        for (persona, records) in zip(personas, sessions) {
            let memory = start(user: persona.user, history: persona.history)
            var exposure = TopicExposure(topics: topics, slateSize: slateSize)
            for (t, record) in records.enumerated() {
                let feedback = SlateFeedback(slate: record.slate, reactions: record.reactions)
                let weights = reading.examinationWeights(clicked: feedback.clicked)
                var added = [Float](repeating: 0, count: topics)
                for (p, item) in record.slate.enumerated() {
                    let e = exposure.features(catalog.itemTopics[Int(item)], extra: added)
                    phi.withUnsafeMutableBufferPointer {
                        BeliefFeatures.fillShared($0.baseAddress!, base: memory.base[Int(item)] / memory.baseScale, exposure: e,
                                                  slot: p, turn: t + 1)
                    }
                    phi[k] = 1
                    phi[k + 1] = catalog.popularity[Int(item)]
                    phi[k + 2] = catalog.newness[Int(item)]
                    let y = Double(feedback.response(at: p)), weight = Double(weights[p])
                    for r in 0..<s where weight > 0 {
                        let a = weight * Double(phi[r])
                        guard a != 0 else { continue }
                        target[r] += a * y
                        for c in 0...r { gram[r * s + c] += a * Double(phi[c]) }
                    }
                    let w = TopicExposure.positionAttention(p)
                    for topic in catalog.itemTopics[Int(item)] { added[Int(topic)] += w }
                }
                exposure.show(record.slate, catalog: catalog)
                for (p, item) in record.slate.enumerated() where feedback.clicked[p] { exposure.click(item, catalog: catalog) }
            }
        }
        // Shrink toward the unfitted prior mean: (G + λI)θ = h + λθ₀.
        var fallback = [Double](repeating: 0, count: s)
        fallback[0] = Double(BeliefFeatures.baseSlope)
        for r in 0..<s {
            for c in 0..<r { gram[c * s + r] = gram[r * s + c] }
            gram[r * s + r] += Self.calibrationRidge
            target[r] += Self.calibrationRidge * fallback[r]
        }
        return Self.solveSymmetric(gram, target, n: s).map { Float($0) }
    }

    /// The ridge penalty of the fit, in impressions' worth.
    static let calibrationRidge = 10.0

    /// x with A·x = b for a symmetric positive definite `n × n` A (row-major), by Cholesky in Double.
    static func solveSymmetric(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for r in 0..<n {
            for c in 0...r {
                var sum = a[r * n + c]
                for j in 0..<c { sum -= l[r * n + j] * l[c * n + j] }
                l[r * n + c] = r == c ? max(sum, 1e-12).squareRoot() : sum / l[c * n + c]
            }
        }
        var y = b
        for r in 0..<n {
            for j in 0..<r { y[r] -= l[r * n + j] * y[j] }
            y[r] /= l[r * n + r]
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            for j in (r + 1)..<n { y[r] -= l[j * n + r] * y[j] }
            y[r] /= l[r * n + r]
        }
        return y
    }
}
