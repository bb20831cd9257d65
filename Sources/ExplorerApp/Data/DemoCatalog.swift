import RecCatalog
import RecWorkbench
import Foundation
import RecCore
import RecModels

extension InMemoryDataSource {
    /// A small synthetic catalog for the demo and tests: Zipf-like item popularity, users with
    /// a few sessions each, and some titles in CJK, with emoji and one hostile title (an escape
    /// sequence and a bidi override) to show that titles are shown safely.
    public static func demo(users: Int = 120, items: Int = 400, seed: UInt64 = 7) -> InMemoryDataSource {
        var rng = SeededGenerator(seed: seed)
        let adjectives = ["Silent", "Crimson", "Hidden", "Last", "Electric", "Golden", "Broken", "Midnight",
                          "Lonely", "Wild", "Frozen", "Secret", "Burning", "Distant", "Little", "Iron"]
        let nouns = ["Harbor", "Garden", "Empire", "River", "Letter", "Machine", "Summer", "Station",
                     "Kingdom", "Promise", "Mountain", "Voyage", "Island", "Signal", "Mirror", "Orchard"]
        let genres = ["Drama", "Comedy", "Action", "Thriller", "Romance", "Sci-Fi", "Animation", "Documentary",
                      "Horror", "Crime"]
        let special = ["千と千尋の神隠し", "기생충 Parasite", "Amélie", "🎬 Premiere Night 🍿",
                       "Evil \u{1B}[2J\u{1B}]52;c;cHduZWQ=\u{07} \u{202E}txet desrever", "Ｆｕｌｌｗｉｄｔｈ Ｆｉｌｍ"]
        var catalogItems: [Item] = []
        for i in 0..<items {
            let title = i % 53 == 3
                ? special[(i / 53) % special.count]
                : "The \(adjectives[rng.nextIndex(below: adjectives.count)]) \(nouns[rng.nextIndex(below: nouns.count)])"
            let first = genres[rng.nextIndex(below: genres.count)]
            let second = genres[rng.nextIndex(below: genres.count)]
            let year = 1950 + rng.nextIndex(below: 75)
            catalogItems.append(Item(
                id: String(i + 1), title: title, year: year, categories: first == second ? [first] : [first, second],
                attributes: [Attribute("director", "\(nouns[rng.nextIndex(below: nouns.count)]) \(adjectives[rng.nextIndex(below: adjectives.count)])"),
                             Attribute("runtime", "\(80 + rng.nextIndex(below: 90)) min")]))
        }
        // Zipf(1) popularity over a random permutation of the items.
        var order = Array(0..<items)
        for i in stride(from: items - 1, to: 0, by: -1) { order.swapAt(i, rng.nextIndex(below: i + 1)) }
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 0..<items {
            total += 1 / Double(rank + 1)
            cumulative.append(total)
        }
        func drawItem() -> Int {
            let u = rng.nextUnitDouble() * total
            var lo = 0, hi = items - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return order[lo]
        }
        let start = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01 00:00 UTC
        let events = ["view", "view", "view", "click", "click", "rating"]
        var interactions: [Interaction] = []
        var sessionNumber = 0
        for u in 0..<users {
            let sessionCount = 1 + rng.nextIndex(below: 1 + (u % 9 == 0 ? 12 : 4))
            var time = start.addingTimeInterval(Double(rng.nextIndex(below: 300 * 86_400)))
            for _ in 0..<sessionCount {
                sessionNumber += 1
                let length = 1 + rng.nextIndex(below: 9)
                for _ in 0..<length {
                    let event = events[rng.nextIndex(below: events.count)]
                    interactions.append(Interaction(
                        user: String(u + 1), item: String(drawItem() + 1), time: time, event: event,
                        value: event == "rating" ? Double(1 + rng.nextIndex(below: 5)) : nil,
                        session: "s\(sessionNumber)"))
                    time.addTimeInterval(Double(30 + rng.nextIndex(below: 600)))
                }
                time.addTimeInterval(Double(3600 + rng.nextIndex(below: 20 * 86_400)))
            }
        }
        return InMemoryDataSource(name: "demo", items: catalogItems, interactions: interactions,
                                  semanticIDs: demoSemanticIDs(catalogItems, genres: genres, seed: seed))
    }

    /// Semantic IDs for the demo's Tree pane: RQ-KMeans on a genre embedding (1 for the first genre, 0.5
    /// for the second, plus seeded noise), in two spaces so the pane has a choice of spaces.
    static func demoSemanticIDs(_ items: [Item], genres: [String], seed: UInt64) -> [String: SemanticIDs] {
        var rng = SeededGenerator(seed: seed &+ 101)
        let d = genres.count + 2
        var values = [Float](repeating: 0, count: items.count * d)
        for (i, item) in items.enumerated() {
            for (n, genre) in item.categories.enumerated() {
                if let g = genres.firstIndex(of: genre) { values[i * d + g] += n == 0 ? 1 : 0.5 }
            }
            for j in 0..<d { values[i * d + j] += Float(rng.nextUnitDouble() - 0.5) * 0.3 }
        }
        let embedding = DenseMatrix(rows: items.count, cols: d, values: values)
        return [
            "aligned": ResidualQuantizer.fit(embeddings: embedding, configuration: .init(levels: 3, codes: 8, seed: seed)),
            "content": ResidualQuantizer.fit(embeddings: embedding, configuration: .init(levels: 2, codes: 16, seed: seed &+ 1)),
        ]
    }
}
