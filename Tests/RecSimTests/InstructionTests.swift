import RecCore
import Testing
@testable import RecSim

@Suite struct InstructionTests {
    let catalog = SimFixture.catalog

    /// A user with the given traits whose state shows disengagement (patience low, one poor turn).
    func disengaged(_ u: Int = 0, traits: Traits? = nil, prepare: (inout UserState) -> Void = { _ in }) -> SimulatedUser {
        var persona = SimFixture.persona(u)
        if let traits {
            persona = Persona(user: persona.user, name: persona.name, history: persona.history, future: persona.future,
                              interests: persona.interests, interestVector: persona.interestVector, traits: traits)
        }
        var user = SimulatedUser(persona: persona, catalog: catalog, seed: 4)
        user.state.turn = 5
        user.state.patience = 0.1
        user.state.poorTurns = 1
        prepare(&user.state)
        return user
    }

    let neutral = Traits(activity: 0.5, conformity: 0.6, noveltyAppetite: 0.3)

    @Test func satiationOfAFavouriteTopicAsksForDifferentButRelated() throws {
        var user = disengaged(traits: neutral) { $0.satiation[0] = 2.0 }
        let slate = Array(SimFixture.items(of: 0).prefix(6)) + Array(SimFixture.items(of: 1).prefix(4))
        let reflected = user.reflect(on: slate)
        let said = try #require(reflected)
        #expect(said.intent == .differentButRelated(topic: 0))
        #expect(said.text.contains("Drama"))
        #expect(said.cause.hasPrefix("1 slate without a click; satiation of Drama 2.00"))
    }

    @Test func satiationOfAnUnlovedTopicAsksToAvoidIt() throws {
        var user = disengaged(traits: neutral) { $0.satiation[3] = 2.0; $0.interests[3] = 0.2 }
        let slate = Array(SimFixture.items(of: 3).prefix(5)) + Array(SimFixture.items(of: 1).prefix(5))
        let reflected = user.reflect(on: slate)
        let said = try #require(reflected)
        #expect(said.intent == .avoid(topic: 3))
        #expect(said.text.contains("Film-Noir"))
    }

    @Test func aPopularSlateForANonConformistAsksForLessPopular() throws {
        var user = disengaged(traits: Traits(activity: 0.5, conformity: 0.1, noveltyAppetite: 0.3))
        let popularity: [Float] = catalog.popularity.map { Float($0) }
        let popular = (0..<Int32(SimFixture.itemCount)).sorted { (a: Int32, b: Int32) -> Bool in
            let pa = popularity[Int(a)], pb = popularity[Int(b)]
            return pa != pb ? pa > pb : a < b
        }
        let slate = Array(popular.prefix(10))
        let reflected = user.reflect(on: slate)
        let said = try #require(reflected)
        #expect(said.intent == .lessPopular)
    }

    @Test func anOldSlateForANoveltySeekerAsksForNewer() throws {
        var user = disengaged(traits: Traits(activity: 0.5, conformity: 0.6, noveltyAppetite: 0.9))
        let old: [Int32] = [0, 1, 2, 3, 6, 7, 9, 11, 13, 14]  // the oldest items, spread over topics
        let reflected = user.reflect(on: old)
        let said = try #require(reflected)
        #expect(said.intent == .newer)
    }

    @Test func aNarrowSlateAsksForVariety() throws {
        var user = disengaged(traits: neutral)
        let reflected = user.reflect(on: Array(SimFixture.items(of: 2).suffix(10)))
        let said = try #require(reflected)
        #expect(said.intent == .moreVariety)
    }

    @Test func anEngagedUserSaysNothing() {
        var user = SimulatedUser(persona: SimFixture.persona(0), catalog: catalog, seed: 4)
        user.state.turn = 3
        #expect(user.reflect(on: Array(SimFixture.items(of: 0).prefix(10))) == nil)
        var cooling = disengaged()
        cooling.state.lastInstructionTurn = 4
        #expect(cooling.reflect(on: Array(SimFixture.items(of: 0).prefix(10))) == nil)
    }

    @Test func theParserReadsEveryTemplate() {
        let parser = InstructionParser(catalog: catalog)
        let intents: [Intent] = [.avoid(topic: 2), .differentButRelated(topic: 3), .more(topic: 1), .moreLike(item: 17),
                                 .newer, .lessPopular, .moreVariety]
        for intent in intents {
            for n in InstructionTemplates.templates(for: intent).indices {
                let text = InstructionTemplates.sentence(intent, template: n, catalog: catalog)
                #expect(parser.parse(text) == [intent], "\(text)")
            }
        }
    }

    @Test func theParserReadsTypedVariants() {
        let parser = InstructionParser(catalog: catalog)
        let cases: [(String, [Intent])] = [
            ("less drama", [.avoid(topic: 0)]),
            ("LESS Drama!!", [.avoid(topic: 0)]),
            ("no more comedies", [.avoid(topic: 1)]),
            ("more sci-fi please", [.more(topic: 2)]),
            ("Sci Fi", [.more(topic: 2)]),
            ("something newer", [.newer]),
            ("surprise me", [.moreVariety]),
            ("hidden gems please", [.lessPopular]),
            ("more like title 12", [.moreLike(item: 12)]),
            ("similar to Title 7", [.moreLike(item: 7)]),
            ("different but related to film noir", [.differentButRelated(topic: 3)]),
            ("less comedy, more drama", [.avoid(topic: 1), .more(topic: 0)]),
            ("hello there", []),
        ]
        for (text, expected) in cases {
            #expect(parser.parse(text) == expected, "\(text)")
        }
    }
}
