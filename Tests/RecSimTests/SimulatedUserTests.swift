import RecCore
import Testing
@testable import RecSim

@Suite struct SimulatedUserTests {
    /// Clicks on `slate` summed over `trials` fresh users (seeds 1...trials) prepared by `prepare`.
    func clicks(_ slate: [Int32], persona: Persona, trials: Int = 300, model: UserModel = UserModel(),
                prepare: (inout SimulatedUser) -> Void = { _ in }) -> Int {
        var total = 0
        for seed in 1...trials {
            var user = SimulatedUser(persona: persona, catalog: SimFixture.catalog, model: model, seed: UInt64(seed))
            prepare(&user)
            total += user.review(slate).reactions.filter(\.isClick).count
        }
        return total
    }

    @Test func moreSatiationMeansFewerClicksInThatTopic() {
        let persona = SimFixture.persona(0)  // favours Drama (topic 0)
        let slate = Array(SimFixture.items(of: 0).prefix(10))
        let fresh = clicks(slate, persona: persona)
        let satiated = clicks(slate, persona: persona) { $0.state.satiation[0] = 2.5 }
        let otherTopic = clicks(slate, persona: persona) { $0.state.satiation[1] = 2.5 }
        #expect(satiated < fresh / 2, "satiated \(satiated) vs fresh \(fresh)")
        #expect(otherTopic == fresh, "satiation of another topic must not change clicks on Drama")
    }

    @Test func aRelevantSlateIsClickedMoreThanARandomOne() {
        let persona = SimFixture.persona(2)  // favours Sci-Fi (topic 2)
        let unseen = (0..<Int32(SimFixture.itemCount)).filter { !persona.history.contains($0) }
        let relevant = unseen.sorted {
            let a = SimFixture.catalog.similarity(persona.interestVector, $0), b = SimFixture.catalog.similarity(persona.interestVector, $1)
            return a > b || (a == b && $0 < $1)
        }.prefix(10)
        var rng = SeededGenerator(seed: 9)
        var shuffled = unseen
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.nextIndex(below: i + 1)) }
        let relevantClicks = clicks(Array(relevant), persona: persona)
        let randomClicks = clicks(Array(shuffled.prefix(10)), persona: persona)
        #expect(relevantClicks > 2 * randomClicks, "relevant \(relevantClicks) vs random \(randomClicks)")
    }

    @Test func laterPositionsAndFatigueGetLessAttention() {
        let persona = SimFixture.persona(0)
        var seenFirst = 0, seenLast = 0, seenTired = 0
        let slate = Array(SimFixture.items(of: 0).prefix(10))
        for seed in 1...300 {
            var user = SimulatedUser(persona: persona, catalog: SimFixture.catalog, seed: UInt64(seed))
            let r = user.review(slate).reactions
            seenFirst += r.first == .unseen ? 0 : 1
            seenLast += r.last == .unseen ? 0 : 1
            var tired = SimulatedUser(persona: persona, catalog: SimFixture.catalog, seed: UInt64(seed))
            tired.state.fatigue = 0.8
            seenTired += tired.review(slate).reactions.first == .unseen ? 0 : 1
        }
        #expect(seenLast < seenFirst / 2)
        #expect(seenTired < seenFirst / 2)
    }

    @Test func poorSlatesDrainPatienceUntilTheUserLeaves() {
        let persona = SimFixture.persona(0)  // favours Drama; show it Film-Noir only
        let noir = SimFixture.items(of: 3)
        var user = SimulatedUser(persona: persona, catalog: SimFixture.catalog, seed: 5)
        var patience = user.state.patience
        var turns = 0
        while !user.hasLeft && turns < 30 {
            let slate = (0..<10).map { noir[(turns * 10 + $0) % noir.count] }
            _ = user.review(slate)
            #expect(user.state.patience < patience || user.hasLeft)
            patience = user.state.patience
            turns += 1
        }
        #expect(user.hasLeft)
        #expect(turns <= 10)
    }

    @Test func fatigueAloneEndsASessionWithReasonFatigue() {
        var model = UserModel()
        model.fatiguePerTurn = 0.5
        model.patienceDrain = 0.1
        var user = SimulatedUser(persona: SimFixture.persona(0), catalog: SimFixture.catalog, model: model, seed: 1)
        let drama = SimFixture.items(of: 0)
        var turn = 0
        while !user.hasLeft && turn < 20 {
            _ = user.review((0..<5).map { drama[(turn * 5 + $0) % drama.count] })
            turn += 1
        }
        #expect(user.state.left == .fatigue)
    }

    @Test func clicksMoveInterestsAndRaiseSatiation() {
        var user = SimulatedUser(persona: SimFixture.persona(1), catalog: SimFixture.catalog, seed: 2)
        let before = user.state
        let out = user.review(Array(SimFixture.items(of: 1).prefix(10)))
        #expect(out.reactions.contains { $0.isClick })
        #expect(user.state.satiation[1] > before.satiation[1])
        #expect(user.state.interestVector != before.interestVector)
        #expect(user.state.fatigue > before.fatigue)
    }
}
