/// What the sample-data generator is asked for; equal parameters always give byte-identical files.
public struct SynthParameters: Sendable, Equatable {
    public var seed: UInt64
    public var users: Int
    public var items: Int
    /// How many genres the catalog uses (the first ones of `Genre.all`).
    public var categories: Int
    /// Mean interactions per user before de-duplication; each user still gets at least `minimumPerUser`.
    public var meanInteractionsPerUser: Double
    /// Length of the timeline in days, starting at `startTimestamp`.
    public var days: Int
    /// Unix seconds of the first moment of the timeline (default 2023-01-01T00:00:00Z).
    public var startTimestamp: Int
    /// Taste clusters; 0 picks one per two genres (at least 4).
    public var clusters: Int

    public static let minimumPerUser = 5

    public init(seed: UInt64 = 7, users: Int = 2000, items: Int = 3000, categories: Int = Genre.all.count,
                meanInteractionsPerUser: Double = 50, days: Int = 730, startTimestamp: Int = 1_672_531_200,
                clusters: Int = 0) {
        self.seed = seed
        self.users = users
        self.items = items
        self.categories = categories
        self.meanInteractionsPerUser = meanInteractionsPerUser
        self.days = days
        self.startTimestamp = startTimestamp
        self.clusters = clusters
    }

    /// Unix seconds one past the last moment of the timeline.
    public var endTimestamp: Int { startTimestamp + days * 86_400 }

    var clusterCount: Int { clusters > 0 ? clusters : max(4, categories / 2) }

    /// Checks the parameters, throwing an error that says which one is wrong and what is allowed.
    public func validate() throws(SynthError) {
        if users < 1 { throw .invalidParameter("--users must be at least 1 (got \(users))") }
        if items < 50 { throw .invalidParameter("--items must be at least 50 (got \(items))") }
        if categories < 4 || categories > Genre.all.count {
            throw .invalidParameter("--categories must be between 4 and \(Genre.all.count) (got \(categories))")
        }
        let minimum = Double(Self.minimumPerUser)
        if !(meanInteractionsPerUser >= minimum + 1) || meanInteractionsPerUser > Double(items) / 4 {
            throw .invalidParameter(
                "--interactions-per-user must be between \(Self.minimumPerUser + 1) and items/4 = \(items / 4) "
                    + "(got \(meanInteractionsPerUser))")
        }
        if days < 7 || days > 36_500 { throw .invalidParameter("--days must be between 7 and 36500 (got \(days))") }
        if clusters < 0 || clusters > 64 { throw .invalidParameter("--clusters must be between 0 and 64 (got \(clusters))") }
    }
}

/// Why synthesis or writing its files failed.
public enum SynthError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(String)
    case outputNotEmpty(path: String)
    case outputNotDirectory(path: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidParameter(let message):
            return message
        case .outputNotEmpty(let path):
            return "\(path) already exists and is not empty; choose another --out or pass --force to overwrite its "
                + "sample files"
        case .outputNotDirectory(let path):
            return "\(path) exists and is not a directory; choose another --out"
        case .writeFailed(let path, let reason):
            return "could not write \(path): \(reason)"
        }
    }
}
