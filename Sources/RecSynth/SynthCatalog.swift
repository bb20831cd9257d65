import RecCore

/// One generated item (a film) with the hidden quantities that drive who consumes it.
struct SynthItem {
    var title = ""
    var year = 0
    /// Indices into the active genres, first genre first; one to three.
    var genres: [Int] = []
    var description = ""
    /// Unix seconds from which the item can be consumed (its release, or the timeline start).
    var availableFrom = 0
    /// Relative popularity propensity (Zipf-like in a random popularity rank).
    var propensity = 0.0
    /// Latent quality added to every rating of the item.
    var quality = 0.0
    /// Items a session tends to continue with after this one, most related first.
    var neighbors: [Int32] = []
    /// The item this one is a sequel of, if any.
    var sequelOf: Int?
}

/// The generated film catalog: genres, items, and each item's related items.
struct SynthCatalog {
    let genres: [Genre]
    var items: [SynthItem]

    /// Zipf exponent of item propensity over the popularity rank.
    static let zipfExponent = 0.85
    static let neighborCount = 8

    init(parameters p: SynthParameters, streams: SynthStreams) {
        genres = Array(Genre.all.prefix(p.categories))
        items = Array(repeating: SynthItem(), count: p.items)
        assignYearsAndGenres(p, streams)
        assignPopularity(p, streams)
        assignTitles(streams)
        assignSequels(streams)
        assignInternationalTitles(streams)
        assignDescriptions(streams)
        assignNeighbors(streams)
    }

    /// The year of the timeline's last day: no item is released after it.
    static func lastYear(_ p: SynthParameters) -> Int { CivilTime.year(ofUnixSeconds: p.endTimestamp - 1) }

    /// Release years fall off exponentially into the past (recent films are more numerous); genres
    /// follow the genre shares, with related genres as second and third categories.
    private mutating func assignYearsAndGenres(_ p: SynthParameters, _ streams: SynthStreams) {
        let lastYear = Self.lastYear(p)
        let shares = genres.map(\.share)
        let index = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1.name, $0) })
        for i in items.indices {
            var rng = streams.generator(.itemYears, i)
            let age = Int(rng.nextExponential(mean: 13))
            let year = max(1925, lastYear - age)
            items[i].year = year
            let yearStart = CivilTime.unixSeconds(year: year)
            let release = yearStart + rng.nextIndex(below: 365) * 86_400
            items[i].availableFrom = max(p.startTimestamp, min(release, p.endTimestamp - 86_400))

            var g = streams.generator(.itemGenres, i)
            let first = g.nextIndex(weights: shares)
            var chosen = [first]
            let related = genres[first].related.compactMap { index[$0] }
            for probability in [0.55, 0.2] where g.nextBool(probability: probability) {
                let pool = related.filter { !chosen.contains($0) }
                if let extra = pool.isEmpty ? nil : g.pick(pool) { chosen.append(extra) } else { break }
            }
            items[i].genres = chosen
        }
    }

    /// A random popularity rank per item; propensity ∝ (rank + 1)^-s, boosted for recent releases.
    private mutating func assignPopularity(_ p: SynthParameters, _ streams: SynthStreams) {
        var rng = streams.generator(.popularity)
        var ranks = Array(0..<items.count)
        ranks.shuffle(using: &rng)
        let lastYear = Self.lastYear(p)
        for i in items.indices {
            let rank = Double(ranks[i])
            let recency = 1 + 1.5 * _synthExp(-Double(lastYear - items[i].year) / 3)
            items[i].propensity = _synthPow(rank + 1, -Self.zipfExponent) * recency
            var q = streams.generator(.popularity, i)
            items[i].quality = 0.45 * q.nextGaussian() + 0.4 * (1 - rank / Double(items.count))
        }
    }

    /// Titles from per-genre grammars; a collision is redrawn, and after eight tries gets a year suffix.
    private mutating func assignTitles(_ streams: SynthStreams) {
        var rng = streams.generator(.titles)
        var used = Set<String>()
        for i in items.indices {
            let genre = genres[items[i].genres[0]]
            var title = ""
            for attempt in 0..<9 {
                title = Self.drawTitle(genre, &rng)
                if attempt == 8 { title += " (\(items[i].year))" }
                if !used.contains(title) { break }
            }
            var n = 2
            let base = title
            while used.contains(title) { title = "\(base) \(n)"; n += 1 }
            used.insert(title)
            items[i].title = title
        }
    }

    static func drawTitle(_ genre: Genre, _ rng: inout SeededGenerator) -> String {
        func adjective(_ rng: inout SeededGenerator) -> String {
            rng.nextBool(probability: 0.75) ? rng.pick(genre.adjectives) : rng.pick(CommonWords.adjectives)
        }
        func noun(_ rng: inout SeededGenerator) -> String {
            rng.nextBool(probability: 0.75) ? rng.pick(genre.nouns) : rng.pick(CommonWords.nouns)
        }
        switch rng.nextIndex(weights: [5, 3, 2, 2, 1.5, 1.5, 1, 1]) {
        case 0: return "The \(adjective(&rng)) \(noun(&rng))"
        case 1: return "\(adjective(&rng)) \(noun(&rng))"
        case 2: return "The \(noun(&rng)) of \(rng.pick(CommonWords.places))"
        case 3:
            let preposition = rng.pick(["Beyond", "Under", "After", "Before", "Across", "Into", "Against"])
            return "\(preposition) the \(noun(&rng))"
        case 4: return "\(rng.pick(CommonWords.names))'s \(noun(&rng))"
        case 5: return "\(rng.pick(CommonWords.names)) and the \(adjective(&rng)) \(noun(&rng))"
        case 6:
            let n = noun(&rng)
            let plural = n.hasSuffix("s") && !n.hasSuffix("ss")
            return (plural ? "" : Self.article(n.lowercased()).capitalizedFirst + " ") + "\(n) in \(rng.pick(CommonWords.places))"
        default: return "\(noun(&rng)) \(rng.pick(["Road", "Blues", "Nights", "Song", "Diaries", "Rising"]))"
        }
    }

    /// About 4% of items are sequels of an older item of the same first genre, sharing its genres.
    private mutating func assignSequels(_ streams: SynthStreams) {
        var rng = streams.generator(.sequels)
        var titles = Set(items.map(\.title))
        var hasSequel = Set<Int>()
        var byGenre = [[Int]](repeating: [], count: genres.count)
        for i in items.indices { byGenre[items[i].genres[0]].append(i) }
        for i in items.indices where rng.nextBool(probability: 0.04) {
            guard items[i].sequelOf == nil && !hasSequel.contains(i) else { continue }
            let year = items[i].year
            let candidates = byGenre[items[i].genres[0]].filter {
                $0 != i && items[$0].year < year && items[$0].sequelOf == nil && !hasSequel.contains($0)
            }
            guard !candidates.isEmpty else { continue }
            let original = rng.pick(candidates)
            let title = items[original].title + rng.pick(CommonWords.sequelMarks)
            guard !titles.contains(title) else { continue }
            titles.remove(items[i].title)
            titles.insert(title)
            items[i].title = title
            items[i].genres = items[original].genres
            items[i].sequelOf = original
            hasSequel.insert(original)
        }
    }

    /// Gives the non-ASCII titles to items of their genre (any item if the genre is not in use).
    private mutating func assignInternationalTitles(_ streams: SynthStreams) {
        var rng = streams.generator(.international)
        let index = Dictionary(uniqueKeysWithValues: genres.enumerated().map { ($1.name, $0) })
        let originals = Set(items.compactMap(\.sequelOf))
        var taken = Set<Int>()
        for (genreName, title) in InternationalTitles.titles {
            let eligible = items.indices.filter { i in
                items[i].sequelOf == nil && !originals.contains(i) && !taken.contains(i)
                    && (index[genreName].map { items[i].genres[0] == $0 } ?? true)
            }
            guard !eligible.isEmpty else { continue }
            let chosen = rng.pick(eligible)
            taken.insert(chosen)
            items[chosen].title = title
        }
    }

    /// One sentence per item from a tone, the genre's noun phrase, a subject and a setting.
    private mutating func assignDescriptions(_ streams: SynthStreams) {
        for i in items.indices {
            var rng = streams.generator(.descriptions, i)
            let genre = genres[items[i].genres[0]]
            let tone = rng.pick(CommonWords.tones)
            let subject = rng.pick(genre.subjects)
            let setting = rng.pick(CommonWords.settings)
            var sentence: String
            if let original = items[i].sequelOf {
                sentence = "\(Self.article(tone).capitalizedFirst) \(tone) sequel to \(items[original].title), "
                    + "following \(subject) \(setting)"
            } else {
                sentence = "\(Self.article(tone).capitalizedFirst) \(tone) \(genre.genreNoun) about \(subject) \(setting)"
            }
            if items[i].genres.count > 1 {
                sentence += ", with a streak of \(genres[items[i].genres[1]].name.lowercased())"
            }
            items[i].description = sentence + "."
        }
    }

    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// Each item's related items: same first genre, weighted by √propensity, closeness in year and
    /// shared genres, drawn without replacement (Efraimidis–Spirakis keys); sequels come first.
    /// - Complexity: O(items × items of the same genre).
    private mutating func assignNeighbors(_ streams: SynthStreams) {
        var byGenre = [[Int]](repeating: [], count: genres.count)
        for i in items.indices { byGenre[items[i].genres[0]].append(i) }
        var sequels = [Int: [Int]]()
        for i in items.indices { if let o = items[i].sequelOf { sequels[o, default: []].append(i) } }
        let years = items.map(\.year)
        let itemGenres = items.map(\.genres)
        let rootPropensity = items.map { $0.propensity.squareRoot() }
        for i in items.indices {
            var rng = streams.generator(.neighbors, i)
            let genresOfI = itemGenres[i]
            var list: [Int] = []
            if let o = items[i].sequelOf { list.append(o) }
            list += sequels[i] ?? []
            // The largest keys, best first (ties by lower index), kept by insertion.
            var best: [(key: Double, item: Int)] = []
            for j in byGenre[genresOfI[0]] where j != i && !list.contains(j) {
                var shared = 0
                for g in itemGenres[j] where genresOfI.contains(g) { shared += 1 }
                let yearGap = Double(abs(years[j] - years[i]))
                let w = rootPropensity[j] * _synthExp(-yearGap / 12) * Double(shared * shared)
                var u = rng.nextUnitDouble()
                if u < 1e-300 { u = 1e-300 }
                let key = _synthLog(u) / w
                if best.count == Self.neighborCount && key <= best[best.count - 1].key { continue }
                var slot = best.count
                while slot > 0 && best[slot - 1].key < key { slot -= 1 }
                best.insert((key, j), at: slot)
                if best.count > Self.neighborCount { best.removeLast() }
            }
            for (_, j) in best where list.count < Self.neighborCount { list.append(j) }
            items[i].neighbors = list.map { Int32($0) }
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
