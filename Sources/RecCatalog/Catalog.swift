import GRDB
import RecCore

/// A RecScope catalog: one SQLite file of users, items, interactions, sessions and model runs.
public final class Catalog: Sendable {
    public let path: String
    public let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        pool = try DatabasePool(path: path, configuration: config)
    }
}
