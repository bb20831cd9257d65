import Foundation

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

/// Which slice of a sorted list to read.
public struct PageRequest<Sort: Hashable & Sendable>: Hashable, Sendable {
    public var offset: Int
    public var limit: Int
    public var sort: Sort

    public init(offset: Int, limit: Int, sort: Sort) {
        self.offset = offset
        self.limit = limit
        self.sort = sort
    }
}

/// A slice of a sorted list and the length of the whole list.
public struct Page<Row: Hashable & Sendable>: Hashable, Sendable {
    public var offset: Int
    public var rows: [Row]
    public var total: Int

    public init(offset: Int, rows: [Row], total: Int) {
        self.offset = offset
        self.rows = rows
        self.total = total
    }
}

/// Orders of the users list; ties always break by id ascending. Ids order as
/// `ExplorerDataSourceContract.idLess`: integers by value first, then other ids as text.
public enum UserSort: String, Hashable, Sendable, CaseIterable {
    case id, interactionsDescending, lastSeenDescending
}

/// Orders of the items list; ties always break by id ascending (ids as for `UserSort`).
public enum ItemSort: String, Hashable, Sendable, CaseIterable {
    case id, popularityDescending, title
}

/// One row of the users list.
public struct UserRow: Hashable, Sendable {
    public var id: String
    public var interactions: Int
    public var sessions: Int
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// Most frequent categories of the items the user interacted with, most frequent first.
    public var topCategories: [String]

    public init(id: String, interactions: Int, sessions: Int, firstSeen: Date?, lastSeen: Date?, topCategories: [String]) {
        self.id = id
        self.interactions = interactions
        self.sessions = sessions
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.topCategories = topCategories
    }
}

/// One session of a user.
public struct SessionRow: Hashable, Sendable {
    public var id: String
    public var userID: String
    public var start: Date
    public var end: Date
    public var itemCount: Int

    public init(id: String, userID: String, start: Date, end: Date, itemCount: Int) {
        self.id = id
        self.userID = userID
        self.start = start
        self.end = end
        self.itemCount = itemCount
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }
}

/// One interaction inside a session.
public struct SessionItemRow: Hashable, Sendable {
    public var itemID: String
    public var title: String
    public var time: Date
    /// The event type as stored (e.g. "click", "rating").
    public var event: String
    /// The value (a rating, a watch fraction), when there is one.
    public var value: Double?

    public init(itemID: String, title: String, time: Date, event: String, value: Double?) {
        self.itemID = itemID
        self.title = title
        self.time = time
        self.event = event
        self.value = value
    }
}

/// One row of the items list.
public struct ItemRow: Hashable, Sendable {
    public var id: String
    public var title: String
    public var year: Int?
    public var categories: [String]
    /// Number of interactions with the item.
    public var popularity: Int

    public init(id: String, title: String, year: Int?, categories: [String], popularity: Int) {
        self.id = id
        self.title = title
        self.year = year
        self.categories = categories
        self.popularity = popularity
    }
}

/// An item with its free attributes and who interacted with it.
public struct ItemDetail: Hashable, Sendable {
    public struct Interaction: Hashable, Sendable {
        public var userID: String
        public var time: Date
        public var event: String
        public var value: Double?

        public init(userID: String, time: Date, event: String, value: Double?) {
            self.userID = userID
            self.time = time
            self.event = event
            self.value = value
        }
    }

    public var item: ItemRow
    /// Free attributes (key, value), in key order.
    public var attributes: [KeyValue]
    /// Number of distinct users who interacted with the item.
    public var userCount: Int
    /// Most recent interactions first (ties by user id), at most the requested limit.
    public var recent: [Interaction]

    public init(item: ItemRow, attributes: [KeyValue], userCount: Int, recent: [Interaction]) {
        self.item = item
        self.attributes = attributes
        self.userCount = userCount
        self.recent = recent
    }
}

/// A (key, value) pair shown as text.
public struct KeyValue: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// A search result: a user or an item, with the text to show.
public struct SearchHit: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case user, item }
    public var kind: Kind
    public var id: String
    public var label: String

    public init(kind: Kind, id: String, label: String) {
        self.kind = kind
        self.id = id
        self.label = label
    }
}

/// How counts spread over users (or items).
public struct Distribution: Hashable, Sendable {
    /// The probabilities of `quantiles`: min, quartiles, p90, p99, max.
    public static let probabilities: [Double] = [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]
    /// Values at `probabilities` (nearest rank), as many as there are probabilities.
    public var quantiles: [Double]
    /// `log2Histogram[i]` counts entities with a count in [2^i, 2^(i+1)); index 0 holds count 1.
    public var log2Histogram: [Int]
    public var mean: Double

    public init(quantiles: [Double], log2Histogram: [Int], mean: Double) {
        self.quantiles = quantiles
        self.log2Histogram = log2Histogram
        self.mean = mean
    }
}

/// Interactions in one time bucket.
public struct TimeBucket: Hashable, Sendable {
    public var start: Date
    public var count: Int

    public init(start: Date, count: Int) {
        self.start = start
        self.count = count
    }
}

/// The catalog at a glance.
public struct CatalogSummary: Hashable, Sendable {
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var sessions: Int
    public var firstInteraction: Date?
    public var lastInteraction: Date?
    public var perUser: Distribution
    public var perItem: Distribution
    /// The long tail: `longTail[i]` is the share of all interactions held by the most popular
    /// `(i + 1) / longTail.count` of the items (a Lorenz curve from the top); non-decreasing, ends at 1.
    public var longTail: [Double]
    /// Interaction counts over equal time buckets, oldest first.
    public var activity: [TimeBucket]

    public init(users: Int, items: Int, interactions: Int, sessions: Int, firstInteraction: Date?, lastInteraction: Date?,
                perUser: Distribution, perItem: Distribution, longTail: [Double], activity: [TimeBucket]) {
        self.users = users
        self.items = items
        self.interactions = interactions
        self.sessions = sessions
        self.firstInteraction = firstInteraction
        self.lastInteraction = lastInteraction
        self.perUser = perUser
        self.perItem = perItem
        self.longTail = longTail
        self.activity = activity
    }

    /// interactions / (users × items).
    public var density: Double {
        users > 0 && items > 0 ? Double(interactions) / (Double(users) * Double(items)) : 0
    }
}
