import RecCore

/// What the user did with one slate: a reaction per position, the turn's satisfaction, and possibly an
/// instruction or a departure.
public struct UserTurn: Sendable, Equatable {
    public let reactions: [Reaction]
    /// Clicks plus half the likes.
    public let satisfaction: Float
    public let instruction: Instruction?
    public let left: LeaveReason?
}

/// A RecoWorld-style simulated user: reviews a slate item by item from its mindset, updates it, speaks
/// up when disengaging, and leaves when its patience runs out. Every random draw comes from its own seed.
public struct SimulatedUser: Sendable {
    public let persona: Persona
    public let model: UserModel
    public let catalog: SimulationCatalog
    public internal(set) var state: UserState
    var rng: SeededGenerator

    public init(persona: Persona, catalog: SimulationCatalog, model: UserModel = UserModel(), seed: UInt64) {
        self.persona = persona
        self.model = model
        self.catalog = catalog
        state = UserState(interests: persona.interests, interestVector: persona.interestVector,
                          patience: model.initialPatience(persona.traits))
        rng = SeededGenerator(seed: seed)
    }

    public var hasLeft: Bool { state.left != nil }

    /// The utility of `item` in the current state (see `UserModel`).
    public func utility(_ item: Int32) -> Float {
        let i = Int(item)
        var interest: Float = 0, satiation: Float = 0
        for t in catalog.itemTopics[i] {
            interest = max(interest, state.interests[Int(t)])
            satiation = max(satiation, state.satiation[Int(t)])
        }
        let future: Float = persona.future.sortedContains(item) ? 1 : 0
        let traits = persona.traits
        var u = model.interestWeight * interest
        u += model.tasteWeight * catalog.similarity(state.interestVector, item)
        u += model.futureWeight * future
        u += model.popularityWeight * (traits.conformity - 0.5) * catalog.popularity[i]
        u += model.noveltyWeight * traits.noveltyAppetite * catalog.newness[i]
        return u - model.satiationWeight * max(0, satiation - model.satiationTolerance)
    }

    /// Reviews `slate` in order, updates the mindset, and decides whether to speak up or leave.
    public mutating func review(_ slate: [Int32]) -> UserTurn {
        precondition(!hasLeft, "a user who left reviews no more slates")
        state.turn += 1
        var reactions: [Reaction] = []
        reactions.reserveCapacity(slate.count)
        var examine: Float = 1 - state.fatigue
        var scanning = true
        var clicks = 0, likes = 0
        for item in slate {
            let seen: Bool
            switch model.clickModel {
            case .position:
                seen = rng.nextUnitFloat() < examine
                examine *= model.positionDecay
            case .cascade:
                // Top-down: the first item is reached with probability 1 − fatigue, each next one with the
                // page patience γ; once the user stops, nothing below is examined.
                seen = scanning && rng.nextUnitFloat() < examine
                scanning = seen
                examine = model.positionDecay
            }
            guard seen else { reactions.append(.unseen); continue }
            let u = utility(item)
            let p = clickProbability(utility: u)
            let clicked = rng.nextUnitFloat() < p
            for t in catalog.itemTopics[Int(item)] { state.satiation[Int(t)] += model.satiationPerView }
            if clicked {
                let liked = u >= model.clickBias + model.likeMargin
                reactions.append(liked ? .like : .click)
                clicks += 1
                if liked { likes += 1 }
                absorb(item)
                if model.clickModel == .cascade && rng.nextUnitFloat() < model.cascadeStop { scanning = false }
            } else {
                reactions.append(.skip)
            }
        }
        let satisfaction = Float(clicks) + 0.5 * Float(likes)
        state.poorTurns = clicks == 0 ? state.poorTurns + 1 : 0
        let refill = model.patienceRefill * Float(min(clicks, model.refillCap))
        state.patience = min(state.patience + refill - model.patienceDrain - state.fatigue,
                             model.patienceCap * model.initialPatience(persona.traits))
        state.fatigue = min(0.9, state.fatigue + model.fatiguePerTurn)
        var instruction: Instruction?
        if state.patience <= 0 {
            state.left = leaveReason()
        } else {
            instruction = reflect(on: slate)
            if instruction != nil { state.lastInstructionTurn = state.turn }
        }
        for t in state.satiation.indices { state.satiation[t] *= model.satiationRetention }
        return UserTurn(reactions: reactions, satisfaction: satisfaction, instruction: instruction, left: state.left)
    }

    /// The probability that an examined item of utility `u` is clicked: 1/(1 + exp(−(u − b)/τ)).
    public func clickProbability(utility u: Float) -> Float {
        1 / (1 + _exp(-(u - model.clickBias) / model.temperature))
    }

    /// A click moves interests and taste toward the item and raises its topics' satiation.
    mutating func absorb(_ item: Int32) {
        // Interests: (1 − drift)·w + drift·[t ∈ T(item)], rescaled so the largest is 1 again.
        for t in state.interests.indices { state.interests[t] *= 1 - model.drift }
        for t in catalog.itemTopics[Int(item)] {
            state.satiation[Int(t)] += model.satiationPerClick
            state.interests[Int(t)] += model.drift
        }
        let top = state.interests.max() ?? 1
        if top > 0 { for t in state.interests.indices { state.interests[t] /= top } }
        let base = Int(item) * catalog.dimension
        var v = state.interestVector
        for j in v.indices { v[j] = (1 - model.drift) * v[j] + model.drift * catalog.embeddings[base + j] }
        state.interestVector = _unit(v)
    }

    /// Why patience ran out: fatigue if it outweighed the per-turn drain, else satiation of an
    /// over-served topic, else boredom.
    func leaveReason() -> LeaveReason {
        if state.fatigue > model.patienceDrain { return .fatigue }
        let (topic, s) = state.mostSatiated
        if s >= model.satiationComplaint { return .satiated(topic: topic) }
        return .boredom(poorTurns: state.poorTurns)
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _exp(_ x: Float) -> Float { Glibc.expf(x) }
@usableFromInline func _log(_ x: Float) -> Float { Glibc.logf(x) }
#elseif canImport(Darwin)
import Darwin
@usableFromInline func _exp(_ x: Float) -> Float { Darwin.expf(x) }
@usableFromInline func _log(_ x: Float) -> Float { Darwin.logf(x) }
#endif
