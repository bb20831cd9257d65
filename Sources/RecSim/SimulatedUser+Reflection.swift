import RecCore

extension SimulatedUser {
    /// Whether the state shows disengagement: patience below `speakUpPatience` of the start, or a run of
    /// `speakUpPoorTurns` slates without a click; and no instruction in the last `instructionCooldown` turns.
    public var isDisengaged: Bool {
        let cooled = state.lastInstructionTurn == 0 || state.turn - state.lastInstructionTurn >= model.instructionCooldown
        let low = state.patience < model.speakUpPatience * model.initialPatience(persona.traits)
        return cooled && (low || state.poorTurns >= model.speakUpPoorTurns)
    }

    /// A reflective instruction grounded in the state, or nil when the user is not disengaged.
    ///
    /// Causes are checked in order: one topic over-served (satiation ≥ `satiationComplaint` and ≥ 30% of
    /// the slate) → avoid it, or "different but related" when the user still likes it; a popular slate for a
    /// non-conformist → less popular; an old slate for a novelty seeker → newer; a slate of three topics or
    /// fewer → more variety; otherwise the slate missed → more of a favourite topic, or more like a title
    /// from the history.
    public mutating func reflect(on slate: [Int32]) -> Instruction? {
        guard isDisengaged, !slate.isEmpty else { return nil }
        let n = Float(slate.count)
        var share = [Int](repeating: 0, count: catalog.topicNames.count)
        var popularity: Float = 0, newness: Float = 0
        for item in slate {
            for t in catalog.itemTopics[Int(item)] { share[Int(t)] += 1 }
            popularity += catalog.popularity[Int(item)] / n
            newness += catalog.newness[Int(item)] / n
        }
        let traits = persona.traits
        let start = model.initialPatience(traits)
        let why = state.poorTurns >= model.speakUpPoorTurns
            ? "\(state.poorTurns) slate\(state.poorTurns == 1 ? "" : "s") without a click"
            : "patience \(_fixed(state.patience)) < \(_fixed(model.speakUpPatience * start))"
        let (topic, satiation) = state.mostSatiated
        let intent: Intent
        var cause: String
        if satiation >= model.satiationComplaint && Float(share[Int(topic)]) >= 0.3 * n {
            intent = state.interests[Int(topic)] >= 0.6 ? .differentButRelated(topic: topic) : .avoid(topic: topic)
            cause = "satiation of \(catalog.topicNames[Int(topic)]) \(_fixed(satiation)) ≥ \(_fixed(model.satiationComplaint)) with \(share[Int(topic)])/\(slate.count) such items shown"
        } else if popularity >= 0.8 && traits.conformity < 0.4 {
            intent = .lessPopular
            cause = "slate popularity \(_fixed(popularity)) ≥ 0.80 for conformity \(_fixed(traits.conformity))"
        } else if traits.noveltyAppetite >= 0.6 && newness < 0.4 {
            intent = .newer
            cause = "slate newness \(_fixed(newness)) < 0.40 for novelty appetite \(_fixed(traits.noveltyAppetite))"
        } else if share.filter({ $0 > 0 }).count <= 3 {
            intent = .moreVariety
            cause = "only \(share.filter { $0 > 0 }.count) topics in the slate"
        } else {
            let ranked = state.interests.indices.filter { state.satiation[$0] < model.satiationComplaint / 2 }
                .sorted { state.interests[$0] > state.interests[$1] || (state.interests[$0] == state.interests[$1] && $0 < $1) }
            if let favourite = ranked.first, rng.nextUnitFloat() < 0.5 || persona.history.isEmpty {
                intent = .more(topic: Int32(favourite))
                cause = "\(why); favourite unsatiated topic \(catalog.topicNames[favourite])"
            } else if let liked = closestHistoryItem() {
                intent = .moreLike(item: liked)
                cause = "\(why); the remembered title closest to current taste"
            } else {
                intent = .moreVariety
                cause = why
            }
        }
        if !cause.hasPrefix(why) { cause = why + "; " + cause }
        let template = rng.nextIndex(below: InstructionTemplates.templates(for: intent).count)
        return Instruction(intent: intent, text: InstructionTemplates.sentence(intent, template: template, catalog: catalog),
                           cause: cause)
    }

    /// The history item most like the current taste, among the last 20 (ties by recency).
    func closestHistoryItem() -> Int32? {
        var best: Int32?, bestSimilarity = -Float.infinity
        for item in persona.history.suffix(20).reversed() {
            let s = catalog.similarity(state.interestVector, item)
            if s > bestSimilarity { best = item; bestSimilarity = s }
        }
        return best
    }
}

/// `x` with two decimals, the same on every platform (for causes and transcripts).
func _fixed(_ x: Float, _ digits: Int = 2) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    var scale: Double = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = (Double(x) * scale).rounded()
    let negative = scaled < 0
    let magnitude = Int64(abs(scaled))
    let whole = magnitude / Int64(scale)
    var fraction = String(magnitude % Int64(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    let sign = negative && magnitude != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}
