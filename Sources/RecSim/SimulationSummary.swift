import RecCore

/// What a population run measured.
public struct SimulationSummary: Sendable, Equatable {
    public let users: Int
    public let turns: Int
    /// Turns each simulated user stayed.
    public let sessionLengths: [Int]
    public let meanSessionLength: Double
    /// `retention[t]`: share of users still there at the start of turn t + 1 (`retention[0]` = 1).
    public let retention: [Double]
    public let clicks: Int
    public let likes: Int
    public let impressions: Int
    /// Clicks per shown item.
    public let ctr: Double
    /// Mean satisfaction at each turn, over the users still there.
    public let satisfaction: [Double]
    public let instructions: Int
    /// Instructions per turn played.
    public let instructionShare: Double
    /// Share of instructions after which the user's patience rose above its level at the instruction
    /// within the next 2 turns (a user who left first did not recover).
    public let recoveryRate: Double
    /// Mean over slates of 1 − mean pairwise topic Jaccard (1: no two items share a topic).
    public let diversity: Double
    /// Distinct items shown / catalog items.
    public let coverage: Double
    /// Users per leave reason kind (`boredom`, `satiated`, `fatigue`; `stayed` for the rest).
    public let leaveReasons: [String: Int]
    /// Per-user clicks per shown item (0 for no impressions), for paired comparisons.
    public let userCTR: [Double]
    /// Per-user clicks.
    public let userClicks: [Int]
    /// Per-user mean slate diversity (0 for no slates).
    public let userDiversity: [Double]
    /// Mean regret at each turn over the users still there, when the run measured it (else empty).
    public let regret: [Double]

    public init(sessions: [[TurnRecord]], turns: Int, catalog: SimulationCatalog) {
        users = sessions.count
        self.turns = turns
        sessionLengths = sessions.map(\.count)
        meanSessionLength = sessions.isEmpty ? 0 : Double(sessions.map(\.count).reduce(0, +)) / Double(sessions.count)
        let n = sessions.count
        retention = (0..<turns).map { t in
            n == 0 ? 0 : Double(sessions.filter { $0.count > t }.count) / Double(n)
        }
        var clicks = 0, likes = 0, impressions = 0, instructions = 0, recovered = 0, played = 0
        var satisfactionSum = [Double](repeating: 0, count: turns), active = [Int](repeating: 0, count: turns)
        var diversitySum = 0.0
        var seen = [Bool](repeating: false, count: catalog.itemCount)
        var reasons: [String: Int] = [:]
        var userCTR: [Double] = [], userClicks: [Int] = [], userDiversity: [Double] = []
        var regretSum = [Double](repeating: 0, count: turns), regretCount = [Int](repeating: 0, count: turns)
        for records in sessions {
            var mine = 0, shown = 0, diverse = 0.0
            for (t, r) in records.enumerated() {
                played += 1
                let c = r.clicks
                clicks += c
                mine += c
                likes += r.reactions.filter { $0 == .like }.count
                impressions += r.slate.count
                shown += r.slate.count
                if t < turns { satisfactionSum[t] += Double(r.satisfaction); active[t] += 1 }
                for i in r.slate { seen[Int(i)] = true }
                let d = Self.slateDiversity(r.slate, catalog)
                diversitySum += d
                diverse += d
                if let g = r.regret, t < turns { regretSum[t] += Double(g); regretCount[t] += 1 }
                if r.instruction != nil {
                    instructions += 1
                    let after = records.dropFirst(t + 1).prefix(2)
                    if after.contains(where: { $0.state.patience > r.state.patience }) { recovered += 1 }
                }
            }
            reasons[records.last?.left?.kind ?? "stayed", default: 0] += 1
            userCTR.append(shown == 0 ? 0 : Double(mine) / Double(shown))
            userClicks.append(mine)
            userDiversity.append(records.isEmpty ? 0 : diverse / Double(records.count))
        }
        self.clicks = clicks
        self.likes = likes
        self.impressions = impressions
        ctr = impressions == 0 ? 0 : Double(clicks) / Double(impressions)
        satisfaction = (0..<turns).map { active[$0] == 0 ? 0 : satisfactionSum[$0] / Double(active[$0]) }
        self.instructions = instructions
        instructionShare = played == 0 ? 0 : Double(instructions) / Double(played)
        recoveryRate = instructions == 0 ? 0 : Double(recovered) / Double(instructions)
        diversity = played == 0 ? 0 : diversitySum / Double(played)
        coverage = catalog.itemCount == 0 ? 0 : Double(seen.filter { $0 }.count) / Double(catalog.itemCount)
        leaveReasons = reasons
        self.userCTR = userCTR
        self.userClicks = userClicks
        self.userDiversity = userDiversity
        regret = regretCount.allSatisfy { $0 == 0 } ? [] : (0..<turns).map { regretCount[$0] == 0 ? 0 : regretSum[$0] / Double(regretCount[$0]) }
    }

    /// Mean per-turn regret over 1-based turns `window` (each turn weighted by the users there), or nil when
    /// the run did not measure regret or reached none of those turns.
    public func meanRegret(turns window: ClosedRange<Int>) -> Double? {
        guard !regret.isEmpty else { return nil }
        let t = window.clamped(to: 1...regret.count)
        guard window.overlaps(1...regret.count) else { return nil }
        var sum = 0.0, weight = 0.0
        for turn in t {
            let here = Double(sessionLengths.filter { $0 >= turn }.count)
            sum += regret[turn - 1] * here
            weight += here
        }
        return weight == 0 ? nil : sum / weight
    }

    /// 1 − mean pairwise topic Jaccard of a slate (1 for fewer than two items).
    static func slateDiversity(_ slate: [Int32], _ catalog: SimulationCatalog) -> Double {
        guard slate.count > 1 else { return 1 }
        var sum = 0.0, pairs = 0
        for a in 0..<slate.count {
            for b in (a + 1)..<slate.count {
                let overlap = catalog.topicOverlap(slate[a], slate[b])
                sum += overlap.union == 0 ? 0 : Double(overlap.common) / Double(overlap.union)
                pairs += 1
            }
        }
        return 1 - sum / Double(pairs)
    }
}
