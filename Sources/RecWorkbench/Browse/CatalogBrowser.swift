import Foundation
import RecCatalog
import RecCore
import RecModels
import Synchronization

/// A SQLite catalog as the explorer browses it: small, paged answers, so a catalog of millions of
/// interactions browses as fast as a toy one.
///
/// The users and items lists are read once (one scan of each table, on first use) and kept in memory
/// with their sort orders, so paging, sorting and search never re-sort the database; per-row details
/// (a user's top categories and sessions, a session's items, an item's recent users) are small indexed
/// queries. Every call is synchronous and meant for a background queue.
public final class CatalogBrowser: Sendable {
    public let catalog: Catalog
    private let cache = Mutex<Cache>(Cache())

    struct Cache {
        var users: SortedRows<UserRow, UserSort>?
        var items: SortedRows<ItemRow, ItemSort>?
        var summary: CatalogSummary?
        var codeTrees: [String: CodeTree] = [:]
    }

    /// How many categories a user row lists.
    public static let userCategories = 3

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The catalog's file name, for the status bar.
    public var name: String { String(catalog.path.split(separator: "/").last ?? Substring(catalog.path)) }

    /// Forgets everything read, so the next call sees what was written since (e.g. by an import).
    public func refresh() { cache.withLock { $0 = Cache() } }

    // MARK: users

    /// The users list; `given` holds each row's dense index.
    private func users() throws -> SortedRows<UserRow, UserSort> {
        if let cached = cache.withLock({ $0.users }) { return cached }
        let list = BrowseIndex.users(try catalog.userRecords().map { r in
            UserRow(id: r.id, interactions: r.interactions, sessions: r.sessions,
                    firstSeen: r.firstTS.map { Date(timeIntervalSince1970: $0) },
                    lastSeen: r.lastTS.map { Date(timeIntervalSince1970: $0) }, topCategories: [])
        })
        cache.withLock { $0.users = list }
        return list
    }

    /// The row at `position` (id order), with its top categories.
    private func userRow(_ position: Int, _ users: SortedRows<UserRow, UserSort>) throws -> UserRow {
        var row = users.rows[position]
        row.topCategories = try catalog.topCategories(ofUser: users.given[position], limit: Self.userCategories)
        return row
    }

    public func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow> {
        let users = try users()
        let order = users.order(request.sort)
        let page = users.page(request)
        let rows = try order[page.offset..<(page.offset + page.rows.count)].map { try userRow($0, users) }
        return Page(offset: page.offset, rows: rows, total: page.total)
    }

    public func user(id: String) throws -> UserRow? {
        let users = try users()
        return try users.position(of: id).map { try userRow($0, users) }
    }

    /// The user's sessions, oldest first (ties by session id); at most `limit`.
    public func sessions(ofUser id: String, limit: Int) throws -> [SessionRow] {
        let users = try users()
        guard let n = users.position(of: id), limit > 0 else { return [] }
        return try catalog.sessions(ofUser: users.given[n], limit: limit).map {
            SessionRow(id: String($0.id), userID: id, start: Date(timeIntervalSince1970: $0.start),
                       end: Date(timeIntervalSince1970: $0.end), itemCount: $0.length)
        }
    }

    /// The interactions of a session in time order (ties by source order); at most `limit`.
    public func sessionItems(session id: String, limit: Int) throws -> [SessionItemRow] {
        guard let id = Int64(id), limit > 0 else { return [] }
        return try catalog.sessionInteractions(session: id, limit: limit).map {
            SessionItemRow(itemID: $0.itemID, title: $0.title ?? "", time: Date(timeIntervalSince1970: $0.ts),
                           event: Self.eventName($0.event, value: $0.value), value: $0.value)
        }
    }

    /// The event as shown: the stored type, else `rating` for a row with a value, else `event`.
    static func eventName(_ event: String?, value: Double?) -> String {
        event ?? (value == nil ? "event" : "rating")
    }

    // MARK: items

    /// The items list; `given` holds each row's dense index.
    private func items() throws -> SortedRows<ItemRow, ItemSort> {
        if let cached = cache.withLock({ $0.items }) { return cached }
        let list = BrowseIndex.items(Self.rows(try catalog.itemListing()))
        cache.withLock { $0.items = list }
        return list
    }

    /// The listing's items as list rows, by dense index.
    static func rows(_ listing: ItemListing) -> [ItemRow] {
        (0..<listing.count).map {
            ItemRow(id: listing.ids[$0], title: listing.titles[$0], year: listing.years[$0],
                    categories: listing.categories[$0], popularity: listing.popularity[$0])
        }
    }

    public func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow> { try items().page(request) }

    /// An item's attributes and the most recent users who interacted with it (ties by user id), or nil.
    public func itemDetail(id: String, userLimit: Int) throws -> ItemDetail? {
        let items = try items()
        guard let n = items.position(of: id) else { return nil }
        let index = items.given[n]
        let text = try catalog.itemText(index)
        var attributes = text?.attributes ?? []
        if let description = text?.description { attributes.append(Attribute("description", description)) }
        attributes.sort { $0.name < $1.name }
        let history = try catalog.itemHistory(item: index, limit: userLimit, idLess: ExternalIDOrder.less)
        let recent = history.recent.map {
            ItemDetail.Interaction(userID: $0.userID, time: Date(timeIntervalSince1970: $0.ts),
                                   event: Self.eventName($0.event, value: $0.value), value: $0.value)
        }
        return ItemDetail(item: items.rows[n], attributes: attributes, userCount: history.userCount, recent: recent)
    }

    /// Users whose id, and items whose id or title, contain `query` (`BrowseIndex.search`).
    public func search(_ query: String, limit: Int) throws -> [SearchHit] {
        BrowseIndex.search(query, limit: limit, users: try users(), items: try items())
    }

    // MARK: summary

    /// Counts, distributions, the long-tail curve and activity over time, from the counts the importer keeps.
    public func summary() throws -> CatalogSummary {
        if let cached = cache.withLock({ $0.summary }) { return cached }
        let users = try users().rows, items = try items().rows
        let totals = try catalog.totals()
        let popularity = items.map(\.popularity)
        var activity: [TimeBucket] = []
        if let first = totals.firstTS, let last = totals.lastTS {
            // Each day counted in the bucket of its start.
            let days = try catalog.dailyActivity()
            activity = CatalogSummary.activity(first: first, last: last, days: days)
        }
        let summary = CatalogSummary(
            users: users.count, items: items.count, interactions: totals.interactions, sessions: totals.sessions,
            firstInteraction: totals.firstTS.map { Date(timeIntervalSince1970: $0) },
            lastInteraction: totals.lastTS.map { Date(timeIntervalSince1970: $0) },
            perUser: CountDistribution(counts: users.map(\.interactions)), perItem: CountDistribution(counts: popularity),
            longTail: CatalogSummary.longTail(popularity: popularity), activity: activity)
        cache.withLock { $0.summary = summary }
        return summary
    }

    // MARK: semantic IDs

    public func semanticIDSpaces() throws -> [String] { try catalog.semanticIDSpaces() }

    /// The code tree of `space` over every item, or nil when the space has no semantic IDs.
    public func codeTree(space: String) throws -> CodeTree? {
        if let cached = cache.withLock({ $0.codeTrees[space] }) { return cached }
        guard let stored = try catalog.loadSemanticIDs(space: space) else { return nil }
        let items = try items()
        guard stored.itemCount == items.count else {
            throw WorkbenchError("semantic IDs of space '\(space)' cover \(stored.itemCount) items; the catalog has \(items.count): rebuild them with recscope sid build --space \(space)")
        }
        var byIndex = items.rows
        for (p, row) in items.rows.enumerated() { byIndex[Int(items.given[p])] = row }
        let tree = CodeTree(space: space, ids: SemanticIDs(stored), items: byIndex)
        cache.withLock { $0.codeTrees[space] = tree }
        return tree
    }

    /// Builds and stores the semantic IDs of a built-in space with the command line's defaults
    /// (`recscope sid build --space S`).
    public func buildSemanticIDs(space: String) throws {
        guard ItemEmbeddings.Space(rawValue: space) != nil else {
            throw WorkbenchError("'\(space)' is not a built-in space (content, als, aligned); import its vectors with recscope embeddings import and build with recscope sid build --space \(space)")
        }
        _ = try SemanticIDWorkbench(catalog: catalog).buildSemanticIDs(space: space, configuration: ResidualQuantizer.Configuration())
        cache.withLock { $0.codeTrees[space] = nil }
    }
}
