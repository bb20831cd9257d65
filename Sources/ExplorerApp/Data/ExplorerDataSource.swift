import Foundation
import RecWorkbench

/// What the explorer reads from a catalog: small, paged answers, so a catalog of a million
/// interactions browses as fast as a toy one. Ids are the catalog's external ids, as text.
///
/// Calls are synchronous and made from a background queue, never from the UI thread; an
/// implementation may block on its database. Every list comes back in a deterministic order.
public protocol ExplorerDataSource: Sendable {
    /// A short name for the status bar (the catalog file name).
    var name: String { get }
    /// Counts, distributions, the long-tail curve and activity over time.
    func summary() throws -> CatalogSummary
    /// One page of users in the requested order.
    func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow>
    /// One user by id, or nil when there is none.
    func user(id: String) throws -> UserRow?
    /// The user's sessions, oldest first (ties by session id); at most `limit`.
    func sessions(ofUser userID: String, limit: Int) throws -> [SessionRow]
    /// The interactions of a session in time order (ties by source order); at most `limit`.
    func sessionItems(session sessionID: String, limit: Int) throws -> [SessionItemRow]
    /// One page of items in the requested order.
    func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow>
    /// An item's attributes and the most recent users who interacted with it, or nil.
    func itemDetail(id: String, userLimit: Int) throws -> ItemDetail?
    /// Users whose id, and items whose id or title, contain `query` (case-insensitive); items
    /// by popularity then id, users by id; users first, at most `limit` in all.
    func search(_ query: String, limit: Int) throws -> [SearchHit]
    /// The spaces that have semantic IDs, by name (empty when none were built).
    func semanticIDSpaces() throws -> [String]
    /// The code tree of `space` over every item, or nil when the space has no semantic IDs. Slow for a
    /// large catalog (it reads and groups every item): call it from the background.
    func codeTree(space: String) throws -> CodeTree?
    /// Forgets anything cached, so the next calls see what was written since.
    func refresh()
    /// Builds and stores the semantic IDs of a built-in space (`aligned`, `content`, `als`) with the
    /// command line's defaults (`recscope sid build --space S`). Slow: call it from the background.
    func buildSemanticIDs(space: String) throws
}

extension ExplorerDataSource {
    /// Sources that cache nothing have nothing to forget.
    public func refresh() {}

    /// Sources without a catalog to write to cannot build semantic IDs.
    public func buildSemanticIDs(space: String) throws {
        throw DataSourceError("this data source cannot build semantic IDs; run recscope sid build --space \(space) on a catalog")
    }
}

/// Why a data source could not do what was asked; the message says what to do instead.
public struct DataSourceError: Error, CustomStringConvertible, Hashable {
    public let description: String
    public init(_ message: String) { description = message }
}
