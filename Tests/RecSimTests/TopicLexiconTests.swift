import Foundation
import RecCore
import Testing
@testable import RecSim

/// Typed instructions that name a topic without its name: synonyms and words learnt from the catalog.
@Suite struct TopicLexiconTests {
    /// MovieLens-100k's genres, as its RecBole files spell them.
    static let genres = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
                         "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War",
                         "Western", "unknown"]

    /// One item per genre, plus five Horror items and one Comedy item whose titles say "Ghost".
    static let catalog: SimulationCatalog = {
        var topics: [[Int32]] = [], titles: [String] = []
        for (t, g) in genres.enumerated() {
            topics.append([Int32(t)])
            titles.append("A \(g) Picture")
        }
        let horror = Int32(genres.firstIndex(of: "Horror")!), comedy = Int32(genres.firstIndex(of: "Comedy")!)
        for n in 0..<5 {
            topics.append([horror])
            titles.append("The Ghost of Hill \(n)")
        }
        topics.append([comedy])
        titles.append("Ghost Dad")
        let n = topics.count
        return SimulationCatalog(topicNames: genres, itemTopics: topics, titles: titles, years: [Int32](repeating: 1990, count: n),
                                 interactionCounts: [Int](repeating: 1, count: n), embeddings: [Float](repeating: 1, count: n * 2),
                                 dimension: 2)
    }()

    func topic(_ name: String) -> Int32 { Int32(Self.genres.firstIndex(of: name)!) }

    @Test func typedSynonymsReachTheRightTopic() {
        let parser = InstructionParser(catalog: Self.catalog)
        let cases: [(String, [Intent])] = [
            ("something funny", [.more(topic: topic("Comedy"))]),
            ("nothing scary", [.avoid(topic: topic("Horror"))]),
            ("Nothing scary, please!", [.avoid(topic: topic("Horror"))]),
            ("I don't want anything scary", [.avoid(topic: topic("Horror"))]),
            ("space adventures", [.more(topic: topic("Sci-Fi")), .more(topic: topic("Adventure"))]),
            ("more cartoons for the kids", [.more(topic: topic("Animation")), .more(topic: topic("Children's"))]),
            ("no more cowboys", [.avoid(topic: topic("Western"))]),
            ("a romantic one", [.more(topic: topic("Romance"))]),
            ("something funny, nothing scary", [.more(topic: topic("Comedy")), .avoid(topic: topic("Horror"))]),
            ("more comedy", [.more(topic: topic("Comedy"))]),
        ]
        for (text, expected) in cases {
            #expect(parser.parse(text) == expected, "\(text)")
        }
    }

    @Test func catalogWordsAreLearntByLiftAndNeverShadowNamesOrTheGrammar() {
        let parser = InstructionParser(catalog: Self.catalog)
        // "hill" is in five titles, all Horror; "ghost" in six, five of them Horror: both lift far above 2.
        #expect(parser.lexicon.learnt(topic("Horror")) == ["hill", "ghost"])
        #expect(parser.parse("more ghost stories") == [.more(topic: topic("Horror"))])
        // Words in every genre's titles ("picture") or of the grammar are never learnt.
        #expect(!parser.lexicon.entries.contains { $0.words == ["picture"] })
        #expect(!parser.lexicon.entries.contains { $0.words == ["more"] || $0.words == ["different"] })
        // The simulated user's own sentences are read as before.
        for intent in [Intent.avoid(topic: topic("Drama")), .more(topic: topic("Sci-Fi")), .differentButRelated(topic: topic("War")),
                       .newer, .lessPopular, .moreVariety] {
            for n in InstructionTemplates.templates(for: intent).indices {
                let text = InstructionTemplates.sentence(intent, template: n, catalog: Self.catalog)
                #expect(parser.parse(text) == [intent], "\(text)")
            }
        }
    }
}

/// The same on MovieLens-100k's own titles and genres, when its files are here.
private let ml100kItems = (ProcessInfo.processInfo.environment["RECSCOPE_ML100K"] ?? "/work/data/ml-100k") + "/ml-100k.item"

@Suite(.enabled(if: FileManager.default.fileExists(atPath: ml100kItems), "MovieLens-100k not found (set RECSCOPE_ML100K)"))
struct MovieLensLexiconTests {
    @Test func synonymsReachTheirGenresOnMovieLens() throws {
        let text = try String(contentsOfFile: ml100kItems, encoding: .utf8)
        var names: [String] = [], index: [String: Int32] = [:]
        var topics: [[Int32]] = [], titles: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 4 else { continue }
            titles.append(String(fields[1]))
            topics.append(fields[3].split(separator: " ").map { g in
                if let t = index[String(g)] { return t }
                index[String(g)] = Int32(names.count)
                names.append(String(g))
                return Int32(names.count - 1)
            })
        }
        let n = titles.count
        let catalog = SimulationCatalog(topicNames: names, itemTopics: topics, titles: titles, years: [Int32](repeating: 0, count: n),
                                        interactionCounts: [Int](repeating: 1, count: n), embeddings: [Float](repeating: 1, count: n),
                                        dimension: 1)
        let parser = InstructionParser(catalog: catalog)
        func t(_ name: String) -> Int32 { index[name]! }
        #expect(parser.parse("something funny") == [.more(topic: t("Comedy"))])
        #expect(parser.parse("nothing scary") == [.avoid(topic: t("Horror"))])
        #expect(parser.parse("space adventures") == [.more(topic: t("Sci-Fi")), .more(topic: t("Adventure"))])
        #expect(parser.parse("more comedy") == [.more(topic: t("Comedy"))])
        // Titles teach it words of their own: every genre with enough distinctive titles learns some.
        #expect(names.indices.filter { !parser.lexicon.learnt(Int32($0)).isEmpty }.count >= 5)
    }
}
