import RecCore

/// Words that point to a topic without naming it, so typed text such as "something funny", "nothing
/// scary" or "space adventures" reaches Comedy, Horror, Sci-Fi and Adventure.
///
/// Two sources, in order of trust: a built-in synonym table (`synonyms`, used for the topics the catalog
/// has), and words learnt from the catalog: the words of item titles and attribute text whose items fall
/// mostly in one topic, ranked by lift P(topic | word) / P(topic) (Brin et al. 1997). A learnt word needs
/// `minimumItems` items, a precision P(topic | word) ≥ ½ and lift ≥ `minimumLift`; it goes to its
/// highest-lift topic; stop words, the parser's cue words and the words of the simulated user's sentence
/// templates are never learnt, so the lexicon cannot change how the simulated user is read.
public struct TopicLexicon: Sendable, Equatable {
    /// A word or phrase (lowercased words) and its topic.
    public struct Entry: Sendable, Equatable {
        public let words: [String]
        public let topic: Int32
        /// Lift for a learnt word; nil for a synonym.
        public let lift: Float?
    }

    /// Synonyms first, then learnt words; no word or phrase twice.
    public let entries: [Entry]

    /// Built-in synonyms: the names a topic goes by (as `InstructionParser.words` spells them), and the
    /// words and phrases that mean it.
    public static let synonyms: [(names: [String], words: [String])] = [
        (["comedy"], ["funny", "humor", "humour", "hilarious", "laugh", "laughs", "comic", "comedic", "silly", "lighthearted"]),
        (["horror"], ["scary", "scare", "scares", "frightening", "creepy", "spooky", "terrifying", "gore", "gory", "slasher",
                      "monster", "monsters", "zombies", "vampires"]),
        (["sci fi", "science fiction", "scifi"], ["space", "science fiction", "futuristic", "aliens", "robots",
                                                  "outer space", "spaceships", "spaceship"]),
        (["adventure"], ["adventurous", "quest", "quests", "expedition", "treasure"]),
        (["action"], ["explosions", "fights", "fighting", "stunts", "shootouts", "car chases"]),
        (["romance"], ["romantic", "love story", "love stories", "romcom", "romcoms", "dating"]),
        (["drama"], ["dramatic", "serious", "emotional", "tearjerker"]),
        (["thriller"], ["suspense", "suspenseful", "tense", "thrilling", "gripping", "edge of my seat"]),
        (["crime"], ["gangster", "gangsters", "mafia", "mob", "heist", "heists", "criminals", "cops"]),
        (["mystery"], ["whodunit", "whodunnit", "detective", "detectives", "puzzling", "sleuth"]),
        (["animation"], ["animated", "cartoon", "cartoons", "anime", "pixar"]),
        (["children s", "children", "kids", "family"], ["kids", "kid", "family", "children", "childrens"]),
        (["musical"], ["singing", "songs", "music", "dance", "dancing"]),
        (["documentary"], ["documentaries", "nonfiction", "true story", "true stories", "real life"]),
        (["war"], ["military", "soldiers", "battle", "battles", "combat", "wartime"]),
        (["western"], ["cowboy", "cowboys", "wild west", "gunslinger", "gunslingers"]),
        (["film noir", "noir"], ["noir", "hardboiled", "hard boiled"]),
        (["fantasy"], ["magic", "magical", "wizards", "wizard", "dragons", "fairy tale", "fairy tales"]),
    ]

    /// Function words and words common in any request about films; never learnt.
    static let stopWords: Set<String> = [
        "the", "and", "for", "with", "from", "that", "this", "these", "those", "who", "what", "when", "where", "why",
        "how", "there", "here", "her", "his", "him", "she", "you", "your", "yours", "our", "they", "them", "their",
        "its", "are", "was", "were", "been", "being", "have", "has", "had", "will", "would", "can", "could", "should",
        "shall", "may", "might", "must", "not", "but", "all", "any", "some", "one", "two", "three", "four", "five",
        "out", "off", "over", "under", "into", "onto", "upon", "about", "after", "before", "again", "then", "than",
        "just", "only", "very", "too", "also", "own", "same", "such", "each", "other", "another", "more", "most",
        "less", "much", "many", "few", "thing", "things", "something", "anything", "nothing", "everything",
        "stuff", "movie", "movies", "film", "films", "show", "shows", "watch", "good", "great", "best", "better", "bad",
        "new", "old", "time", "times", "day", "days", "night", "life", "world", "story", "big", "little", "man", "men",
        "woman", "women", "boy", "boys", "girl", "girls", "part", "don", "doesn", "didn", "isn", "aren", "wasn",
        "ever", "never", "always", "now", "way", "back", "down", "get", "got", "make", "made", "see", "seen", "let",
        "say", "said", "like", "love", "want", "please", "give", "lot", "lots", "kind", "sort", "type",
    ]

    /// Builds the lexicon of `catalog`'s topics; `excluded` words (the parser's cues and templates) are never
    /// learnt. `forms` are the topics' own name forms, which neither source may take over.
    init(catalog: SimulationCatalog, excluded: Set<String>, forms: Set<String>, perTopic: Int = 10,
         minimumItems: Int = 3, minimumLift: Float = 2) {
        let normalised = catalog.topicNames.map { InstructionParser.words($0).joined(separator: " ") }
        var taken = forms
        var entries: [Entry] = []
        for (names, words) in Self.synonyms {
            guard let t = normalised.firstIndex(where: { names.contains($0) }) else { continue }
            for phrase in words where !taken.contains(phrase) {
                taken.insert(phrase)
                entries.append(Entry(words: phrase.split(separator: " ").map(String.init), topic: Int32(t), lift: nil))
            }
        }
        // Learnt words: per word, the items that have it and their topics.
        let n = catalog.itemTopics.filter { !$0.isEmpty }.count
        var itemsWith: [String: Int] = [:]
        var inTopic: [String: [Int32: Int]] = [:]
        for i in 0..<catalog.itemCount where !catalog.itemTopics[i].isEmpty {
            let text = catalog.titles[i] + " " + catalog.itemText[i]
            let words = Set(InstructionParser.words(text).filter {
                $0.count >= 3 && !$0.allSatisfy(\.isNumber) && !Self.stopWords.contains($0) && !excluded.contains($0) && !taken.contains($0)
            })
            for w in words {
                itemsWith[w, default: 0] += 1
                for t in catalog.itemTopics[i] { inTopic[w, default: [:]][t, default: 0] += 1 }
            }
        }
        var learnt: [[Entry]] = Array(repeating: [], count: catalog.topicNames.count)
        var counts: [String: Int] = [:]
        for (w, topics) in inTopic {
            let all = Float(itemsWith[w] ?? 0)
            var best: (topic: Int32, lift: Float)?
            for (t, c) in topics.sorted(by: { $0.key < $1.key }) where c >= minimumItems && Float(c) >= all / 2 {
                let lift = (Float(c) / all) / (Float(catalog.topicSizes[Int(t)]) / Float(max(n, 1)))
                if lift >= minimumLift, lift > (best?.lift ?? 0) { best = (t, lift) }
            }
            if let best {
                learnt[Int(best.topic)].append(Entry(words: [w], topic: best.topic, lift: best.lift))
                counts[w] = topics[best.topic]
            }
        }
        for list in learnt {
            let ranked = list.sorted {
                ($0.lift!, counts[$0.words[0]]!, $1.words[0]) > ($1.lift!, counts[$1.words[0]]!, $0.words[0])
            }
            entries += ranked.prefix(perTopic)
        }
        self.entries = entries
    }

    /// The learnt words of topic `t`, best first.
    public func learnt(_ t: Int32) -> [String] {
        entries.filter { $0.topic == t && $0.lift != nil }.map { $0.words.joined(separator: " ") }
    }
}
