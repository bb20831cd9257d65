import RecCore

/// One generated person: visible attributes and the hidden taste and activity that drive their history.
struct SynthUser {
    var age = 0
    var gender = ""
    var country = ""
    /// Main and secondary taste clusters, and the cluster the person drifts toward.
    var mainCluster = 0
    var secondCluster = 0
    var driftCluster = 0
    /// Share of the taste that has moved to `driftCluster` by the end of the timeline, in [0, 1).
    var drift = 0.0
    /// Rating bias added to every rating.
    var bias = 0.0
    /// How many interactions to generate (at least `SynthParameters.minimumPerUser`).
    var activity = 0
    /// The part of the timeline the person is active in, Unix seconds.
    var activeFrom = 0
    var activeUntil = 0

    static let countries: [(String, Double)] = [
        ("US", 30), ("GB", 8), ("DE", 7), ("FR", 6), ("BR", 6), ("IN", 6), ("CA", 5), ("JP", 5), ("ES", 4),
        ("IT", 4), ("MX", 4), ("KR", 3), ("AU", 3), ("NL", 2), ("SE", 2), ("PL", 2), ("TR", 2), ("AR", 1),
    ]

    /// Cluster mixture at fraction `progress` ∈ [0, 1] of the timeline: 75/25 main/second at the
    /// start, with `drift` of it moved to the drift cluster by the end.
    func clusterWeights(progress: Double, clusterCount: Int) -> [Double] {
        var w = [Double](repeating: 0, count: clusterCount)
        let moved = drift * progress
        w[mainCluster] += 0.75 * (1 - moved)
        w[secondCluster] += 0.25 * (1 - moved)
        w[driftCluster] += moved
        return w
    }

    /// Draws user `index` from its own stream.
    ///
    /// Activity is 5 + a log-normal (σ = 1.1) whose mean makes the total mean `meanInteractionsPerUser`,
    /// capped at a quarter of the catalog; heavy users stay active over most of the timeline.
    static func draw(index: Int, parameters p: SynthParameters, clusters: [TasteCluster],
                     streams: SynthStreams) -> SynthUser {
        var rng = streams.generator(.users, index)
        var user = SynthUser()
        user.mainCluster = rng.nextIndex(weights: clusters.map(\.size))
        if clusters.count > 1 {
            repeat { user.secondCluster = rng.nextIndex(weights: clusters.map(\.size)) }
            while user.secondCluster == user.mainCluster
        }
        let rising = clusters.indices.filter { clusters[$0].rising }
        user.driftCluster = rng.nextBool(probability: 0.5) && !rising.isEmpty
            ? rng.pick(rising) : rng.nextIndex(weights: clusters.map(\.size))
        user.drift = 0.15 + 0.6 * rng.nextUnitDouble()

        let meanAge: Double
        switch clusters[user.mainCluster].era {
        case .classic: meanAge = 49
        case .recent: meanAge = 27
        case .any: meanAge = 36
        }
        user.age = min(80, max(16, Int((meanAge + 11 * rng.nextGaussian()).rounded())))
        let g = rng.nextUnitDouble()
        user.gender = g < 0.47 ? "F" : (g < 0.96 ? "M" : "X")
        user.country = countries[rng.nextIndex(weights: countries.map(\.1))].0
        user.bias = 0.35 * rng.nextGaussian()

        let minimum = Double(SynthParameters.minimumPerUser)
        let sigma = 1.1
        let extraMean = p.meanInteractionsPerUser - minimum
        let mu = _synthLog(extraMean) - sigma * sigma / 2
        let extra = _synthExp(mu + sigma * rng.nextGaussian())
        user.activity = SynthParameters.minimumPerUser + min(p.items / 4, Int(extra.rounded()))

        let span = Double(p.endTimestamp - p.startTimestamp)
        var fraction = 0.2 + 0.8 * _synthPow(rng.nextUnitDouble(), 0.6)
        if user.activity >= 150 { fraction = max(fraction, 0.85) }
        let length = Int(span * fraction)
        user.activeFrom = p.startTimestamp + Int(Double(p.endTimestamp - p.startTimestamp - length) * rng.nextUnitDouble())
        user.activeUntil = user.activeFrom + length
        return user
    }
}
