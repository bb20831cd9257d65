import Foundation
import RecCatalog

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

/// Orders of the users list; ties always break by id ascending (`ExternalIDOrder`: integers by value
/// first, then other ids as text).
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
    /// Free attributes, in name order (a `description` among them when the item has one).
    public var attributes: [Attribute]
    /// Number of distinct users who interacted with the item.
    public var userCount: Int
    /// Most recent interactions first (ties by user id), at most the requested limit.
    public var recent: [Interaction]

    public init(item: ItemRow, attributes: [Attribute], userCount: Int, recent: [Interaction]) {
        self.item = item
        self.attributes = attributes
        self.userCount = userCount
        self.recent = recent
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
