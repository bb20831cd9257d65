import RecCore

/// A generated film catalog with users and their sessions: RecScope's own sample data.
///
/// Ids are the 1-based positions as decimal strings: item `"1"` is `items[0]`, user `"1"` is
/// `users[0]`, session `"1"` is the first session to start. Interactions are in global chronological
/// order; rows with equal timestamps keep user order, and within a user the order in which the
/// session consumed them (which is what "source order" means for ties).
public struct SyntheticDataset: Sendable {
    public struct Item: Sendable, Equatable {
        public var title: String
        public var year: Int
        public var categories: [String]
        public var description: String
    }

    public struct User: Sendable, Equatable {
        public var age: Int
        public var gender: String
        public var country: String
    }

    public struct Interaction: Sendable, Equatable {
        /// Dense user index (id is index + 1).
        public var user: Int32
        /// Dense item index (id is index + 1).
        public var item: Int32
        public var rating: Int8
        /// Unix seconds.
        public var timestamp: Int
        /// Dense session index (id is index + 1), numbered in order of session start.
        public var session: Int32
    }

    public let parameters: SynthParameters
    public let items: [Item]
    public let users: [User]
    public let interactions: [Interaction]
    public let sessionCount: Int

    /// Generates the dataset; the same parameters always give the same dataset.
    /// - Complexity: O(items² / genres + interactions · log items), a fraction of a second at the
    ///   default size in release.
    public static func generate(_ parameters: SynthParameters) throws(SynthError) -> SyntheticDataset {
        try parameters.validate()
        let streams = SynthStreams(seed: parameters.seed)
        let catalog = SynthCatalog(parameters: parameters, streams: streams)
        let clusters = TasteCluster.draw(count: parameters.clusterCount, genres: catalog.genres, streams: streams)
        let simulator = SessionSimulator(parameters: parameters, catalog: catalog, clusters: clusters,
                                         sampler: ClusterSampler(clusters: clusters, items: catalog.items, streams: streams),
                                         streams: streams)
        var synthUsers: [SynthUser] = []
        var events: [SynthEvent] = []
        for u in 0..<parameters.users {
            let user = SynthUser.draw(index: u, parameters: parameters, clusters: clusters, streams: streams)
            synthUsers.append(user)
            events += simulator.history(of: user, index: u)
        }
        // `events` is grouped by user and chronological within a user, so a stable sort by time
        // keeps the within-session order of same-second items.
        let order = events.indices.sorted { a, b in
            let ea = events[a], eb = events[b]
            if ea.timestamp != eb.timestamp { return ea.timestamp < eb.timestamp }
            if ea.user != eb.user { return ea.user < eb.user }
            return a < b
        }
        var sessionIndex: [Int64: Int32] = [:]
        var interactions: [Interaction] = []
        interactions.reserveCapacity(events.count)
        for n in order {
            let e = events[n]
            let key = Int64(e.user) << 32 | Int64(e.userSession)
            let session: Int32
            if let s = sessionIndex[key] {
                session = s
            } else {
                session = Int32(sessionIndex.count)
                sessionIndex[key] = session
            }
            interactions.append(Interaction(user: e.user, item: e.item, rating: e.rating, timestamp: e.timestamp,
                                            session: session))
        }
        return SyntheticDataset(
            parameters: parameters,
            items: catalog.items.map {
                Item(title: $0.title, year: $0.year, categories: $0.genres.map { catalog.genres[$0].name },
                     description: $0.description)
            },
            users: synthUsers.map { User(age: $0.age, gender: $0.gender, country: $0.country) },
            interactions: interactions,
            sessionCount: sessionIndex.count)
    }

    /// Interactions whose user already has an earlier row with the same timestamp.
    public var timestampTies: Int {
        var last: [Int: Int] = [:]
        var ties = 0
        for r in interactions {
            if last[Int(r.user)] == r.timestamp { ties += 1 }
            last[Int(r.user)] = r.timestamp
        }
        return ties
    }
}
