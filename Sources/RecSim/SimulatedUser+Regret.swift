import RecCore

extension SimulatedUser {
    /// The expected clicks on `slate` in the current state, before reviewing it.
    ///
    /// Position model: Σₚ (1 − fatigue)·γᵖ·cₚ. Cascade: Σₚ eₚ·cₚ with e₀ = 1 − fatigue and
    /// eₚ₊₁ = eₚ·(1 − stop·cₚ)·γ. cₚ is the click probability of the item at p (`clickProbability`).
    public func expectedClicks(_ slate: [Int32]) -> Float {
        expectedClicks(probabilities: slate.map { clickProbability(utility: utility($0)) })
    }

    func expectedClicks(probabilities c: [Float]) -> Float {
        var examine = 1 - state.fatigue, total: Float = 0
        for p in c {
            total += examine * p
            switch model.clickModel {
            case .position: examine *= model.positionDecay
            case .cascade: examine *= (1 - model.cascadeStop * p) * model.positionDecay
            }
        }
        return total
    }

    /// The regret of showing `slate` now: the expected clicks of an oracle's slate minus the slate's.
    ///
    /// The oracle knows every click probability in the current state and shows the `slate.count` best items
    /// not yet shown (`shown`: the history and earlier slates), best first. Under the position model that
    /// slate maximises expected clicks; under the cascade it is the usual top-down order. With satiation,
    /// fatigue and drift off the probabilities do not change, so regret measures what the agent has learnt.
    /// - Complexity: O(items · (topics per item + dimension)).
    public func regret(of slate: [Int32], shown: [Bool]) -> Float {
        let k = slate.count
        var top: [Float] = []
        top.reserveCapacity(k + 1)
        for i in 0..<catalog.itemCount where !shown[i] {
            let c = clickProbability(utility: utility(Int32(i)))
            if top.count == k, let last = top.last, !(c > last) { continue }
            var at = top.count
            while at > 0 && c > top[at - 1] { at -= 1 }
            top.insert(c, at: at)
            if top.count > k { top.removeLast() }
        }
        return expectedClicks(probabilities: top) - expectedClicks(slate)
    }
}
