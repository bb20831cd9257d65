/// Reads instructions, from the simulated user's templates or typed by a person, into intents.
///
/// A small phrase grammar over lowercased words (punctuation ignored):
/// - "different but related" (or "related but different") + a topic → different but related to it;
/// - "like T" / "similar to T" with a title T (with or without its year) → more like T;
/// - "less popular", "hidden gems", "mainstream", "obscure", "blockbusters", "lesser known" → less popular;
/// - "newer", "more recent", "recent", "new releases" → newer;
/// - "surprise me", "variety", "mix it up", "all the same", "something different" → more variety;
/// - a topic name (singular or plural) preceded within four words by "less", "fewer", "no more", "avoid",
///   "stop", "enough", "tired of", "too many", "too much", "not", "without", "fill of" → avoid it;
///   "nothing", "never", "hate", ... → avoid it; otherwise (e.g. "more X", "X please") → more of it. The cue
///   nearest the name decides, and a positive cue after a negation ("don't want X") avoids.
/// A topic is named by its name (singular or plural) or by a word of its `TopicLexicon` ("something funny"
/// → Comedy, "nothing scary" → avoid Horror); names win over synonyms, synonyms over words learnt from the
/// catalog, longer phrases over shorter ones.
public struct InstructionParser: Sendable {
    let topicForms: [(words: [String], topic: Int32)]
    let titleKeys: [String: Int32]
    let longestTitle: Int
    /// Every topic name form as one string, so a title that is also a topic name is not read as a title.
    let topicKeys: Set<String>
    /// The synonyms and catalog words behind the forms beyond the names.
    public let lexicon: TopicLexicon

    static let negativeCues: Set<String> = ["less", "fewer", "avoid", "stop", "enough", "tired", "too", "not", "without",
                                            "fill", "hate", "skip", "drop", "remove", "exclude", "sick", "nothing", "never",
                                            "dont", "no"]
    static let positiveCues: Set<String> = ["want", "like", "love", "give", "where", "plus", "add", "prefer", "more"]
    /// Words before a positive cue that turn it around: "don't want", "do not like", "never want".
    static let negations: Set<String> = ["not", "t", "dont", "never", "no"]

    public init(catalog: SimulationCatalog) {
        var forms: [(words: [String], topic: Int32, rank: Int)] = []
        for (t, name) in catalog.topicNames.enumerated() {
            let words = Self.words(name)
            guard let last = words.last, !words.isEmpty else { continue }
            var variants: Set<[String]> = [words, Array(words.dropLast()) + [last + "s"]]
            if last.hasSuffix("y") { variants.insert(Array(words.dropLast()) + [String(last.dropLast()) + "ies"]) }
            if last.hasSuffix("s") { variants.insert(Array(words.dropLast()) + [String(last.dropLast())]) }
            for v in variants.sorted(by: { $0.joined(separator: " ") < $1.joined(separator: " ") }) { forms.append((v, Int32(t), 0)) }
        }
        let names = Set(forms.map { $0.words.joined(separator: " ") })
        // The words the grammar and the simulated user's templates use are never a topic's lexicon.
        var grammar = Self.negativeCues.union(Self.positiveCues).union(Self.negations)
        for intent in [Intent.avoid(topic: 0), .more(topic: 0), .moreLike(item: 0), .differentButRelated(topic: 0), .newer,
                       .lessPopular, .moreVariety] {
            for template in InstructionTemplates.templates(for: intent) { grammar.formUnion(Self.words(template)) }
        }
        lexicon = TopicLexicon(catalog: catalog, excluded: grammar, forms: names)
        for e in lexicon.entries { forms.append((e.words, e.topic, e.lift == nil ? 1 : 2)) }
        // Longer forms first, so "film noir" wins over "film"; then names, synonyms, learnt words.
        topicForms = forms.sorted {
            ($0.words.count, -$0.rank, -Int($0.topic)) > ($1.words.count, -$1.rank, -Int($1.topic))
        }.map { ($0.words, $0.topic) }
        var keys: [String: Int32] = [:]
        var longest = 0
        for (i, title) in catalog.titles.enumerated() {
            let full = Self.words(title)
            guard !full.isEmpty else { continue }
            var bare = full
            if let last = bare.last, last.count == 4, last.allSatisfy(\.isNumber), bare.count > 1 { bare.removeLast() }
            for key in [full, bare] {
                let k = key.joined(separator: " ")
                if keys[k] == nil { keys[k] = Int32(i) }
                longest = max(longest, key.count)
            }
        }
        titleKeys = keys
        longestTitle = longest
        topicKeys = names
    }

    /// The intents in `text`, in the order found, without repeats; empty when nothing was recognised.
    public func parse(_ text: String) -> [Intent] {
        let words = Self.words(text)
        let joined = " " + words.joined(separator: " ") + " "
        func has(_ phrases: [String]) -> Bool { phrases.contains { joined.contains(" \($0) ") } }
        var intents: [Intent] = []
        func add(_ i: Intent) { if !intents.contains(i) { intents.append(i) } }

        let mentions = topicMentions(words)
        let related = has(["different but related", "different yet related", "related but different", "different but similar"])
        if related {
            if let first = mentions.first { add(.differentButRelated(topic: first.topic)) } else { add(.moreVariety) }
        }
        for (n, w) in words.enumerated() where w == "like" || (w == "similar" && n + 1 < words.count && words[n + 1] == "to") {
            let start = w == "like" ? n + 1 : n + 2
            if let item = title(in: words, from: start) { add(.moreLike(item: item)) }
        }
        if has(["less popular", "hidden gem", "hidden gems", "mainstream", "obscure", "blockbusters", "blockbuster",
                "lesser known", "less known", "niche", "unknown"]) { add(.lessPopular) }
        if has(["newer", "more recent", "recent", "new releases", "latest", "something new"]) { add(.newer) }
        if has(["surprise me", "variety", "mix it up", "all the same", "something different", "something else",
                "diverse", "more diverse"]) && !related { add(.moreVariety) }
        for m in mentions {
            if case .differentButRelated(let t)? = intents.first(where: { if case .differentButRelated = $0 { true } else { false } }),
               t == m.topic { continue }
            // The cue nearest before the mention decides: "less comedy, more drama" is avoid + more.
            var avoid = false
            for n in stride(from: m.start - 1, through: max(0, m.start - 4), by: -1) {
                let w = words[n]
                if Self.positiveCues.contains(w) {
                    avoid = words[max(0, n - 2)..<n].contains { Self.negations.contains($0) }
                    break
                }
                if Self.negativeCues.contains(w) { avoid = true; break }
            }
            add(avoid ? .avoid(topic: m.topic) : .more(topic: m.topic))
        }
        return intents
    }

    /// Topic names found in `words`, left to right, longest name first at each position; a topic inside a
    /// recognised title does not count.
    func topicMentions(_ words: [String]) -> [(start: Int, topic: Int32)] {
        var out: [(start: Int, topic: Int32)] = []
        var n = 0
        while n < words.count {
            if n > 0, words[n - 1] == "like" || words[n - 1] == "to", let span = titleSpan(words, from: n) {
                n += span
                continue
            }
            var matched = 0
            for form in topicForms where n + form.words.count <= words.count && words[n..<n + form.words.count].elementsEqual(form.words) {
                out.append((n, form.topic))
                matched = form.words.count
                break
            }
            n += max(1, matched)
        }
        return out
    }

    /// The longest title starting at word `start`.
    func title(in words: [String], from start: Int) -> Int32? {
        titleSpan(words, from: start).flatMap { titleKeys[words[start..<start + $0].joined(separator: " ")] }
    }

    func titleSpan(_ words: [String], from start: Int) -> Int? {
        guard start < words.count else { return nil }
        var length = min(longestTitle, words.count - start)
        while length > 0 {
            let key = words[start..<start + length].joined(separator: " ")
            if titleKeys[key] != nil, !topicKeys.contains(key) { return length }
            length -= 1
        }
        return nil
    }

    /// Lowercased words: letters and digits, everything else separates (so "Sci-Fi" is "sci fi", "I'd" is "i d").
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if !current.isEmpty { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
