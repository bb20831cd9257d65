import RecCore
import RecModels
@testable import RecSim

/// A small world: 4 topics (Drama, Comedy, Sci-Fi, Film-Noir), 80 items, 60 users who each favour one topic.
enum SimFixture {
    static let topics = ["Drama", "Comedy", "Sci-Fi", "Film-Noir"]
    static let itemCount = 80
    static let userCount = 60

    /// Item i has topic i % 4; every fifth item also the next topic.
    static func itemTopics() -> [[Int32]] {
        var out: [[Int32]] = []
        for i in 0..<itemCount {
            let own = Int32(i % 4), next = Int32((i + 1) % 4)
            out.append(i % 5 == 0 ? [own, next] : [own])
        }
        return out
    }

    /// User u favours topic u % 4: 12 items of it and 2 others, seeded.
    static let matrix: InteractionMatrix = {
        var rng = SeededGenerator(seed: 3)
        var users: [Int32] = [], items: [Int32] = []
        for u in 0..<userCount {
            var mine = Set<Int32>()
            while mine.count < 12 { mine.insert(Int32(4 * rng.nextIndex(below: itemCount / 4) + u % 4)) }
            while mine.count < 14 { mine.insert(Int32(rng.nextIndex(below: itemCount))) }
            for i in mine.sorted() { users.append(Int32(u)); items.append(i) }
        }
        return InteractionMatrix(userCount: userCount, itemCount: itemCount, users: users, items: items)
    }()

    static let catalog: SimulationCatalog = {
        let counts = matrix.itemCounts()
        return SimulationCatalog(
            topicNames: topics, itemTopics: itemTopics(), titles: (0..<itemCount).map { "Title \($0)" },
            years: (0..<itemCount).map { Int32(1950 + $0) }, interactionCounts: counts,
            embeddings: SimulationCatalog.cooccurrenceEmbeddings(matrix, dimension: 16), dimension: 16)
    }()

    static let model: any TrainedModel = try! ModelKind.als.train(matrix, params: ["factors": "8", "iterations": "5"])

    /// User u's history (all but its last item) and future (its last item).
    static func profile(_ u: Int) -> UserProfile {
        let row = Array(matrix.items(ofUser: u))
        return UserProfile(user: Int32(u), name: "u\(u)", history: Array(row.dropLast()), future: [row.last!])
    }

    static var profiles: [UserProfile] { (0..<userCount).map(profile) }

    static func persona(_ u: Int, seed: UInt64 = 1) -> Persona {
        let p = profile(u)
        return Persona(user: p.user, name: p.name, history: p.history, future: p.future, catalog: catalog, seed: seed)
    }

    /// Items of `topic` only (single-topic items), ascending.
    static func items(of topic: Int32) -> [Int32] {
        (0..<Int32(itemCount)).filter { catalog.itemTopics[Int($0)] == [topic] }
    }
}
