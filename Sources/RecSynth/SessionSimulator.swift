import RecCore

/// One generated interaction before ids are assigned.
struct SynthEvent {
    var user: Int32
    var item: Int32
    var rating: Int8
    var timestamp: Int
    /// The user's session ordinal (0, 1, ...); global session ids are assigned later.
    var userSession: Int32
}

/// Turns one user's taste and activity into a history of sessions.
///
/// A session is a burst of 1-15 items a few minutes apart (sometimes at the very same second);
/// sessions are hours to weeks apart. A session follows one taste cluster drawn from the user's
/// drifting mixture; after the first item, half the time the next item is one of the previous
/// item's related items, which gives sequential models a signal to learn.
struct SessionSimulator {
    let parameters: SynthParameters
    let catalog: SynthCatalog
    let clusters: [TasteCluster]
    let sampler: ClusterSampler
    let streams: SynthStreams
    /// `catalog.items[i].availableFrom`, copied out so the hot loops do not copy whole items.
    let availableFrom: [Int]

    init(parameters: SynthParameters, catalog: SynthCatalog, clusters: [TasteCluster], sampler: ClusterSampler,
         streams: SynthStreams) {
        self.parameters = parameters
        self.catalog = catalog
        self.clusters = clusters
        self.sampler = sampler
        self.streams = streams
        availableFrom = catalog.items.map(\.availableFrom)
    }

    static let maxSessionLength = 15
    static let continueWithNeighbor = 0.45
    static let sameSecondProbability = 0.08
    static let minimumGapBetweenSessions = 4 * 3600

    func history(of user: SynthUser, index: Int) -> [SynthEvent] {
        var rng = streams.generator(.sessions, index)
        var lengths: [Int] = []
        var remaining = user.activity
        while remaining > 0 {
            // 1 + Exp(mean 3.2), redrawn past the maximum so the tail does not pile up at 15.
            var length = 1 + Int(rng.nextExponential(mean: 3.2))
            while length > Self.maxSessionLength { length = 1 + Int(rng.nextExponential(mean: 3.2)) }
            length = min(remaining, length)
            lengths.append(length)
            remaining -= length
        }
        // Offsets of each item from its session's start: 1-30 minutes apart, or the same second.
        let offsets: [[Int]] = lengths.map { length in
            var t = 0
            return (0..<length).map { k in
                if k > 0 && !rng.nextBool(probability: Self.sameSecondProbability) {
                    t += min(1800, 60 + Int(rng.nextExponential(mean: 330)))
                }
                return t
            }
        }
        let starts = sessionStarts(user, durations: offsets.map { $0.last! }, &rng)

        var seen = Set<Int32>()
        var events: [SynthEvent] = []
        events.reserveCapacity(user.activity)
        let span = Double(parameters.endTimestamp - parameters.startTimestamp)
        for (s, start) in starts.enumerated() {
            let progress = Double(start - parameters.startTimestamp) / span
            let weights = user.clusterWeights(progress: progress, clusterCount: clusters.count)
            let cluster = rng.nextIndex(weights: weights)
            var previous: Int32?
            for offset in offsets[s] {
                let time = min(start + offset, parameters.endTimestamp - 1)
                var item: Int32?
                if let p = previous, rng.nextBool(probability: Self.continueWithNeighbor) {
                    let neighbors = catalog.items[Int(p)].neighbors
                    if !neighbors.isEmpty {
                        let k = min(rng.nextIndex(below: neighbors.count), rng.nextIndex(below: neighbors.count))
                        let candidate = neighbors[k]
                        if !seen.contains(candidate) && availableFrom[Int(candidate)] <= time {
                            item = candidate
                        }
                    }
                }
                if item == nil { item = drawUnseen(cluster: cluster, at: time, seen: seen, &rng) }
                guard let chosen = item else { continue }
                seen.insert(chosen)
                previous = chosen
                events.append(SynthEvent(user: Int32(index), item: chosen,
                                         rating: rating(user, item: chosen, weights: weights, &rng),
                                         timestamp: time, userSession: Int32(s)))
            }
        }
        return events
    }

    /// Session start times: random (bursty) gaps spread over the user's active span, at least four
    /// hours between the end of one session and the start of the next, all inside the timeline.
    ///
    /// If the sessions do not fit the active span, they spread over the whole timeline, and if they
    /// do not fit that with four-hour gaps either, the gaps shrink (only with extreme `--days`).
    private func sessionStarts(_ user: SynthUser, durations: [Int], _ rng: inout SeededGenerator) -> [Int] {
        let count = durations.count
        let working = durations.reduce(0, +)
        let until = parameters.endTimestamp - 1
        var from = user.activeFrom
        var gap = Self.minimumGapBetweenSessions
        var free = min(user.activeUntil, until) - from - working - (count - 1) * gap
        if free < 0 {
            from = parameters.startTimestamp
            if count > 1 { gap = min(gap, max(0, (until - from - working) / (count - 1))) }
            free = max(0, until - from - working - (count - 1) * gap)
        }
        let pieces = (0...count).map { _ in _synthPow(rng.nextExponential(mean: 1), 1.6) }
        let total = pieces.reduce(0, +)
        var starts: [Int] = []
        var cursor = Double(from)
        for s in 0..<count {
            cursor += Double(free) * pieces[s] / total
            let start = Int(cursor)
            starts.append(start)
            cursor += Double(durations[s] + gap)
        }
        return starts
    }

    /// An item from the cluster's distribution that the user has not seen and that is released by
    /// `time`; after 40 rejected draws, the first such item from a random place in the catalog.
    private func drawUnseen(cluster: Int, at time: Int, seen: Set<Int32>, _ rng: inout SeededGenerator) -> Int32? {
        for _ in 0..<40 {
            let i = Int32(sampler.draw(cluster: cluster, &rng))
            if !seen.contains(i) && availableFrom[Int(i)] <= time { return i }
        }
        let count = availableFrom.count
        let start = rng.nextIndex(below: count)
        for k in 0..<count {
            let i = (start + k) % count
            if !seen.contains(Int32(i)) && availableFrom[i] <= time { return Int32(i) }
        }
        return nil
    }

    /// A 1-5 rating: 3.45 + 1.8·(taste match − 0.45) + item quality + user bias + N(0, 0.8²), rounded.
    private func rating(_ user: SynthUser, item: Int32, weights: [Double], _ rng: inout SeededGenerator) -> Int8 {
        let genres = catalog.items[Int(item)].genres
        let year = catalog.items[Int(item)].year
        var match = 0.0
        for c in weights.indices where weights[c] > 0 {
            var a = 0.0
            for n in genres.indices { a += clusters[c].genreWeights[genres[n]] * (n == 0 ? 1.0 : 0.6) }
            match += weights[c] * min(1, a) * min(1.4, clusters[c].eraFactor(year))
        }
        let quality = catalog.items[Int(item)].quality
        let raw = 3.45 + 1.8 * (match - 0.45) + quality + user.bias + 0.8 * rng.nextGaussian()
        return Int8(min(5, max(1, raw.rounded())))
    }
}
