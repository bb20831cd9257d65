import RecCore

/// A group of people with a shared taste: a few favoured genres and possibly a favoured era.
struct TasteCluster {
    enum Era { case any, classic, recent }

    /// Weight per active genre (most are zero).
    var genreWeights: [Double]
    var era: Era
    /// Share of users whose main taste this is.
    var size: Double
    /// Whether this taste gains followers over the timeline (users drift toward it).
    var rising: Bool

    /// How much a person of this taste likes an item, in (0, 1]: the first genre counts fully,
    /// later ones 60%, plus a small floor; multiplied by the era preference.
    func affinity(_ item: SynthItem) -> Double {
        var a = 0.02
        for (n, g) in item.genres.enumerated() { a += genreWeights[g] * (n == 0 ? 1.0 : 0.6) }
        return min(1, a) * eraFactor(item.year) / 2.5
    }

    func eraFactor(_ year: Int) -> Double {
        switch era {
        case .any: return 1
        case .classic: return year < 1990 ? 2.5 : (year >= 2010 ? 0.5 : 1)
        case .recent: return year >= 2015 ? 2.5 : (year < 1995 ? 0.4 : 1)
        }
    }

    /// Draws `count` clusters: each starts from one genre (by genre share) and adds two related
    /// genres and one random one; sizes are Zipf-like; two clusters are rising.
    static func draw(count: Int, genres: [Genre], streams: SynthStreams) -> [TasteCluster] {
        var rng = streams.generator(.clusters)
        let index = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1.name, $0) })
        var clusters: [TasteCluster] = []
        var usedLeads = Set<Int>()
        for c in 0..<count {
            var shares = genres.map { $0.share.squareRoot() }
            if usedLeads.count < genres.count { for g in usedLeads { shares[g] = 0 } }
            let lead = rng.nextIndex(weights: shares)
            usedLeads.insert(lead)
            var weights = [Double](repeating: 0, count: genres.count)
            weights[lead] = 1
            var related = genres[lead].related.compactMap { index[$0] }
            related.shuffle(using: &rng)
            for (g, w) in zip(related.prefix(2), [0.5, 0.25]) { weights[g] = w }
            let other = rng.nextIndex(below: genres.count)
            if weights[other] == 0 { weights[other] = 0.15 }
            let eraDraw = rng.nextUnitDouble()
            let era: Era = eraDraw < 0.2 ? .classic : (eraDraw < 0.45 ? .recent : .any)
            clusters.append(TasteCluster(genreWeights: weights, era: era, size: 1 / _synthPow(Double(c + 1), 0.6),
                                         rising: false))
        }
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        for c in order.prefix(min(2, count)) { clusters[c].rising = true }
        return clusters
    }
}

/// Per-cluster cumulative distributions over items, for drawing an item in O(log items).
struct ClusterSampler {
    /// `cumulative[c][i]` is the total weight of items 0...i for cluster c.
    let cumulative: [[Double]]

    /// Spread of the per-(cluster, item) taste factor: people of one taste favour particular films
    /// within their genres, which only collaborative filtering (not the genre labels) can learn.
    static let idiosyncrasy = 0.9

    /// Weight of item i for cluster c: propensity × affinity × exp(σ·z), z ~ N(0, 1) per (c, i).
    init(clusters: [TasteCluster], items: [SynthItem], streams: SynthStreams) {
        cumulative = clusters.indices.map { c in
            var rng = streams.generator(.clusterTaste, c)
            var total = 0.0
            return items.map { item in
                let factor = _synthExp(Self.idiosyncrasy * rng.nextGaussian())
                total += item.propensity * clusters[c].affinity(item) * factor
                return total
            }
        }
    }

    func draw(cluster c: Int, _ rng: inout SeededGenerator) -> Int {
        let cdf = cumulative[c]
        let target = rng.nextUnitDouble() * cdf[cdf.count - 1]
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cdf[mid] <= target { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
