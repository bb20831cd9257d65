import RecCore
import RecModels
import Testing
@testable import RecSim

/// The learning policies: the belief's updates, what cascade leaves out, regret over a session, determinism.
@Suite struct LearningPolicyTests {
    let catalog = SimFixture.catalog

    func agent(_ policy: AgentPolicy, listens: Bool = false) -> AgentRecommender {
        AgentRecommender(model: SimFixture.model, catalog: catalog, listens: listens, policy: policy)
    }

    /// φ of `item` at slot 0 of turn 1 with a middling base score and no exposure.
    func phi(_ features: BeliefFeatures, _ item: Int32) -> [Float] {
        var v = [Float](repeating: 0, count: features.dimension)
        v.withUnsafeMutableBufferPointer {
            features.fill($0.baseAddress!, item: item, base: 0.5, exposure: [Float](repeating: 0, count: TopicExposure.count),
                          slot: 0, turn: 1)
        }
        return v
    }

    @Test func theBeliefMovesTowardClickedItemsAndAwayFromSkippedOnes() {
        let features = BeliefFeatures(model: SimFixture.model, catalog: catalog)
        let sciFi = SimFixture.items(of: 2), drama = SimFixture.items(of: 0)
        let clicked = sciFi[0], skipped = drama[0]
        // The Sci-Fi item whose vector is nearest the clicked one, and the Drama item nearest the skipped one.
        let nearClicked = sciFi.dropFirst().max { features.vectorSimilarity($0, clicked) < features.vectorSimilarity($1, clicked) }!
        let nearSkipped = drama.dropFirst().max { features.vectorSimilarity($0, skipped) < features.vectorSimilarity($1, skipped) }!
        func after(clicks: Int, skips: Int) -> (AgentBelief, [(mean: Float, deviation: Float)]) {
            var belief = AgentBelief(features: features)
            for _ in 0..<clicks { phi(features, clicked).withUnsafeBufferPointer { belief.observe($0.baseAddress!, response: 1, weight: 1) } }
            for _ in 0..<skips { phi(features, skipped).withUnsafeBufferPointer { belief.observe($0.baseAddress!, response: 0, weight: 1) } }
            belief.refresh()
            return (belief, [clicked, skipped, nearClicked, nearSkipped].map { belief.predictive(phi(features, $0)) })
        }
        let (_, prior) = after(clicks: 0, skips: 0)
        let (_, onlyClicks) = after(clicks: 3, skips: 0)
        let (_, onlySkips) = after(clicks: 0, skips: 3)
        let (both, bothSeen) = after(clicks: 3, skips: 3)
        #expect(onlyClicks[0].mean > prior[0].mean + 0.1, "clicked: \(prior[0].mean) → \(onlyClicks[0].mean)")
        #expect(onlyClicks[2].mean > prior[2].mean, "near the clicked one: \(prior[2].mean) → \(onlyClicks[2].mean)")
        #expect(onlySkips[1].mean < prior[1].mean - 0.1, "skipped: \(prior[1].mean) → \(onlySkips[1].mean)")
        #expect(onlySkips[3].mean < prior[3].mean, "near the skipped one: \(prior[3].mean) → \(onlySkips[3].mean)")
        // Together: the clicked item ends well above the skipped one (they start level), and both are surer.
        #expect(prior[0].mean == prior[1].mean)
        #expect(bothSeen[0].mean > bothSeen[1].mean + 0.3, "clicked \(bothSeen[0].mean) vs skipped \(bothSeen[1].mean)")
        #expect(bothSeen[0].deviation < prior[0].deviation && bothSeen[1].deviation < prior[1].deviation)
        #expect(both.observations == 6 && both.positives == 3)
    }

    @Test func feedbackLearnsTheTopicAUserClicks() {
        // A Drama lover who clicks only what the agent first believes it wants least.
        let p = SimFixture.profile(0)
        let a = agent(.feedback)
        var m = a.start(user: p.user, history: p.history, seed: 3)
        let least = a.topicBeliefs(m).last!.topic
        for turn in 1...4 {
            let slate = a.nextSlate(memory: &m)
            if turn == 1 { #expect(m.trace.hasPrefix("turn 1: feedback over als: posterior mean from the prior")) }
            let clicked = slate.map { catalog.itemTopics[Int($0)].contains(least) }
            a.observe(SlateFeedback(slate: slate, clicked: clicked, liked: clicked.map { _ in false }), memory: &m)
        }
        let beliefs = a.topicBeliefs(m)
        #expect(beliefs.count == 4)
        #expect(beliefs.first?.topic == least, "\(beliefs)")
        #expect(beliefs.allSatisfy { $0.certainty > 0 })
        #expect(m.trace.contains("posterior mean from 30 responses"))
        // A static agent keeps no belief.
        #expect(agent(.static).topicBeliefs(agent(.static).start(user: p.user, history: p.history)).isEmpty)
    }

    @Test func cascadeDoesNotCountItemsBelowTheLastClickAsSkips() {
        #expect(AgentPolicy.cascade.examinationWeights(clicked: [false, true, false, true, false, false]) == [1, 1, 1, 1, 0, 0])
        #expect(AgentPolicy.cascade.examinationWeights(clicked: [false, false, false]) == [1, 1, 1])
        #expect(AgentPolicy.feedback.examinationWeights(clicked: [true, false, false]) == [1, 1, 1])
        #expect(AgentPolicy.ts.examinationWeights(clicked: [true, false, false]) == [1, 1, 1])

        // One slate, clicked at position 1: cascade learns from positions 0 and 1 only, exactly as a belief
        // fed those two responses; ts (the same draws otherwise) reads the eight below as skips.
        let p = SimFixture.profile(3)
        for policy in [AgentPolicy.cascade, .ts] {
            let a = agent(policy)
            var m = a.start(user: p.user, history: p.history, seed: 5)
            let slate = a.nextSlate(memory: &m)
            let clicked = slate.indices.map { $0 == 1 }
            let exposures = m.slateExposure
            a.observe(SlateFeedback(slate: slate, clicked: clicked, liked: clicked.map { _ in false }), memory: &m)
            let belief = m.belief!
            if policy == .cascade {
                #expect(belief.observations == 2 && belief.positives == 1)
                var manual = AgentBelief(features: a.features!)
                var v = [Float](repeating: 0, count: manual.features.dimension)
                for n in 0..<2 {
                    v.withUnsafeMutableBufferPointer {
                        manual.features.fill($0.baseAddress!, item: slate[n], base: m.base[Int(slate[n])] / m.baseScale,
                                             exposure: exposures[n], slot: n, turn: 1)
                    }
                    v.withUnsafeBufferPointer { manual.observe($0.baseAddress!, response: n == 1 ? 1 : 0, weight: 1) }
                }
                manual.refresh()
                #expect(manual.mean == belief.mean)
            } else {
                #expect(belief.observations == Float(slate.count))
            }
        }
    }

    @Test func aCascadeUsersUnexaminedItemsAreNeverNegativesForCascade() {
        var model = UserModel()
        model.clickModel = .cascade
        let persona = SimFixture.persona(2)
        let slate = Array(SimFixture.items(of: 2).prefix(10))
        var stoppedAfterAClick = 0
        for seed in 1...200 {
            var user = SimulatedUser(persona: persona, catalog: catalog, model: model, seed: UInt64(seed))
            let reactions = user.review(slate).reactions
            // Top-down: once an item goes unseen, every item below it does too.
            if let first = reactions.firstIndex(of: .unseen) {
                #expect(reactions[first...].allSatisfy { $0 == .unseen }, "\(reactions)")
            }
            let clicked = reactions.map(\.isClick)
            let weights = AgentPolicy.cascade.examinationWeights(clicked: clicked)
            if clicked.contains(true) {
                for (n, r) in reactions.enumerated() where r == .unseen { #expect(weights[n] == 0) }
                if reactions.last == .unseen { stoppedAfterAClick += 1 }
            }
        }
        #expect(stoppedAfterAClick > 20)
        // The position-based user is the default, and examines below an unseen item.
        var position = SimulatedUser(persona: persona, catalog: catalog, seed: 1)
        #expect(position.model.clickModel == .position)
        _ = position.review(slate)
    }

    @Test func sameSeedSameTranscriptForAnyThreadCountUnderEveryPolicy() {
        let profiles = PopulationRun.sample(SimFixture.profiles, count: 16, seed: 2)
        let lines = { (r: PopulationRun) in r.transcript(catalog: catalog).map { $0.jsonLine(run: 1) }.joined(separator: "\n") }
        for policy in AgentPolicy.allCases where policy.learns {
            let config = SimulationConfig(turns: 8, seed: 4, agent: true, policy: policy)
            let one = agent(policy, listens: true).calibrated(on: SimFixture.profiles, config: config, users: 12, threads: 1)
            let two = agent(policy, listens: true).calibrated(on: SimFixture.profiles, config: config, users: 12, threads: 2)
            #expect(one.prior == two.prior && one.prior.shared?.count == BeliefFeatures.sharedCount)
            let a = PopulationRun(profiles: profiles, agent: one, config: config, threads: 1)
            let b = PopulationRun(profiles: profiles, agent: two, config: config, threads: 2)
            #expect(lines(a) == lines(b), "\(policy)")
        }
        // ts draws differ from feedback's greedy slates.
        let f = PopulationRun(profiles: profiles, agent: agent(.feedback), config: SimulationConfig(turns: 8, seed: 4, agent: false, policy: .feedback), threads: 1)
        let t = PopulationRun(profiles: profiles, agent: agent(.ts), config: SimulationConfig(turns: 8, seed: 4, agent: false, policy: .ts), threads: 1)
        #expect(lines(f) != lines(t))
    }
}

/// Regret on a synthetic catalog whose users' click probabilities are known and fixed.
@Suite struct RegretTests {
    /// 800 items with random unit taste vectors in 8 dimensions and 4 topics; a popularity model that
    /// knows nothing of taste.
    static let world: (catalog: SimulationCatalog, model: any TrainedModel) = {
        let items = 800, dimension = 8
        var rng = SeededGenerator(seed: 21)
        var embeddings: [Float] = []
        for _ in 0..<items * dimension { embeddings.append(Float(rng.nextGaussian())) }
        var users: [Int32] = [], interacted: [Int32] = []
        for u in 0..<40 {
            for _ in 0..<20 {
                users.append(Int32(u))
                interacted.append(Int32(rng.nextIndex(below: items)))
            }
        }
        let matrix = InteractionMatrix(userCount: 40, itemCount: items, users: users, items: interacted)
        let catalog = SimulationCatalog(topicNames: ["A", "B", "C", "D"], itemTopics: (0..<items).map { [Int32($0 % 4)] },
                                        titles: (0..<items).map { "Item \($0)" }, years: [Int32](repeating: 2000, count: items),
                                        interactionCounts: matrix.itemCounts(), embeddings: embeddings, dimension: dimension)
        return (catalog, try! ModelKind.pop.train(matrix, params: [:]))
    }()

    /// Satiation, fatigue and drift off, patience unlimited: each item's click probability is fixed.
    static var fixedUser: UserModel {
        var m = UserModel()
        m.satiationWeight = 0
        m.fatiguePerTurn = 0
        m.drift = 0
        m.patienceDrain = 0
        return m
    }

    /// Mean per-turn regret over turns 1-10, 11-20 and 21-40 of `users` users with known taste vectors.
    func regret(_ policy: AgentPolicy, users: Int = 16) -> [Double] {
        let (catalog, model) = Self.world
        let agent = AgentRecommender(model: model, catalog: catalog, listens: false, policy: policy)
        let config = SimulationConfig(turns: 40, seed: 3, agent: false, user: Self.fixedUser, policy: policy, measuresRegret: true)
        var rng = SeededGenerator(seed: 8)
        var sessions: [[TurnRecord]] = []
        for u in 0..<users {
            var v = (0..<catalog.dimension).map { _ in Float(rng.nextGaussian()) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            let persona = Persona(user: Int32(u), name: "u\(u)", history: [], future: [], interests: [0.5, 0.5, 0.5, 0.5],
                                  interestVector: v, traits: Traits(activity: 0.5, conformity: 0.5, noveltyAppetite: 0))
            var session = SimulationSession(persona: persona, agent: agent, config: config, choiceSeed: UInt64(100 + u))
            session.run()
            sessions.append(session.records)
        }
        let summary = SimulationSummary(sessions: sessions, turns: 40, catalog: catalog)
        #expect(summary.meanSessionLength == 40)
        return [1...10, 11...20, 21...40].map { summary.meanRegret(turns: $0)! }
    }

    @Test func learningPoliciesRegretFallsAndStaticsDoesNot() {
        let fixed = regret(.static)
        #expect(!(fixed[0] > fixed[1] && fixed[1] > fixed[2]), "static: \(fixed)")
        for policy in [AgentPolicy.feedback, .ts] {
            let r = regret(policy)
            #expect(r[0] > r[1] && r[1] > r[2], "\(policy): \(r)")
            #expect(r[2] < fixed[2], "\(policy) ends below static: \(r) vs \(fixed)")
        }
    }
}
