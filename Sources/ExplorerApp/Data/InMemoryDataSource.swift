import RecCore
import Foundation
import RecCatalog
import RecModels
import RecWorkbench

/// An `ExplorerDataSource` over arrays in memory: for tests, the demo, and as the reference
/// behaviour a catalog-backed source must match.
public struct InMemoryDataSource: ExplorerDataSource {
    public struct Item: Hashable, Sendable {
        public var id: String
        public var title: String
        public var year: Int?
        public var categories: [String]
        public var attributes: [Attribute]

        public init(id: String, title: String, year: Int? = nil, categories: [String] = [], attributes: [Attribute] = []) {
            self.id = id
            self.title = title
            self.year = year
            self.categories = categories
            self.attributes = attributes
        }
    }

    public struct Interaction: Hashable, Sendable {
        public var user: String
        public var item: String
        public var time: Date
        public var event: String
        public var value: Double?
        public var session: String

        public init(user: String, item: String, time: Date, event: String, value: Double? = nil, session: String) {
            self.user = user
            self.item = item
            self.time = time
            self.event = event
            self.value = value
            self.session = session
        }
    }

    public let name: String
    /// Every item, in the order given.
    public let allItems: [Item]
    /// Every interaction, by time (source order breaks ties).
    public let allInteractions: [Interaction]
    let itemsByID: [String: Item]
    let itemRows: SortedRows<ItemRow, ItemSort>
    let userRows: SortedRows<UserRow, UserSort>
    let sessionsByUser: [String: [SessionRow]]
    let interactionsBySession: [String: [Interaction]]
    let interactionsByItem: [String: [Interaction]]
    let cachedSummary: CatalogSummary
    /// Semantic IDs by space, over `allItems` in the order given.
    let semanticIDs: [String: SemanticIDs]

    /// Indexes the data; `interactions` are in source order, which breaks time ties. `semanticIDs`
    /// (by space) number the items in the order of `items`.
    public init(name: String, items: [Item], interactions: [Interaction], semanticIDs: [String: SemanticIDs] = [:]) {
        precondition(semanticIDs.values.allSatisfy { $0.itemCount == items.count }, "semantic IDs must cover every item")
        self.name = name
        self.semanticIDs = semanticIDs
        allItems = items
        var itemsByID: [String: Item] = [:]
        for item in items { itemsByID[item.id] = item }
        self.itemsByID = itemsByID
        // Stable sort by time keeps source order for ties.
        let ordered = interactions.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
            .map(\.element)
        allInteractions = ordered
        var byUser: [String: [Interaction]] = [:], bySession: [String: [Interaction]] = [:]
        var byItem: [String: [Interaction]] = [:]
        for i in ordered {
            byUser[i.user, default: []].append(i)
            bySession[i.session, default: []].append(i)
            byItem[i.item, default: []].append(i)
        }
        interactionsBySession = bySession
        interactionsByItem = byItem
        var sessionsByUser: [String: [SessionRow]] = [:]
        for (id, list) in bySession {
            sessionsByUser[list[0].user, default: []].append(
                SessionRow(id: id, userID: list[0].user, start: list.first!.time, end: list.last!.time, itemCount: list.count))
        }
        for key in sessionsByUser.keys { sessionsByUser[key]!.sort { ($0.start, $0.id) < ($1.start, $1.id) } }
        self.sessionsByUser = sessionsByUser
        userRows = BrowseIndex.users(byUser.map { id, list in
            var categoryCounts: [String: Int] = [:]
            for i in list { for c in itemsByID[i.item]?.categories ?? [] { categoryCounts[c, default: 0] += 1 } }
            let top = categoryCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(3).map(\.key)
            return UserRow(id: id, interactions: list.count, sessions: sessionsByUser[id]?.count ?? 0,
                           firstSeen: list.first?.time, lastSeen: list.last?.time, topCategories: top)
        })
        itemRows = BrowseIndex.items(items.map {
            ItemRow(id: $0.id, title: $0.title, year: $0.year, categories: $0.categories,
                    popularity: byItem[$0.id]?.count ?? 0)
        })
        let perUser = userRows.rows.map(\.interactions), popularity = itemRows.rows.map(\.popularity)
        cachedSummary = CatalogSummary(
            users: userRows.count, items: itemRows.count, interactions: ordered.count, sessions: bySession.count,
            firstInteraction: ordered.first?.time, lastInteraction: ordered.last?.time,
            perUser: CountDistribution(counts: perUser), perItem: CountDistribution(counts: popularity),
            longTail: CatalogSummary.longTail(popularity: popularity),
            activity: CatalogSummary.activity(times: ordered.map(\.time)))
    }

    public func summary() throws -> CatalogSummary { cachedSummary }
    public func users(_ request: PageRequest<UserSort>) throws -> Page<UserRow> { userRows.page(request) }
    public func user(id: String) throws -> UserRow? { userRows.row(id: id) }

    public func sessions(ofUser userID: String, limit: Int) throws -> [SessionRow] {
        Array((sessionsByUser[userID] ?? []).prefix(max(0, limit)))
    }

    public func sessionItems(session sessionID: String, limit: Int) throws -> [SessionItemRow] {
        (interactionsBySession[sessionID] ?? []).prefix(max(0, limit)).map {
            SessionItemRow(itemID: $0.item, title: itemsByID[$0.item]?.title ?? $0.item, time: $0.time,
                           event: $0.event, value: $0.value)
        }
    }

    public func items(_ request: PageRequest<ItemSort>) throws -> Page<ItemRow> { itemRows.page(request) }

    public func itemDetail(id: String, userLimit: Int) throws -> ItemDetail? {
        guard let item = itemsByID[id], let row = itemRows.row(id: id) else { return nil }
        let list = interactionsByItem[id] ?? []
        let recent = list.reversed().stableSorted { $0.time > $1.time }.prefix(max(0, userLimit)).map {
            ItemDetail.Interaction(userID: $0.user, time: $0.time, event: $0.event, value: $0.value)
        }
        return ItemDetail(item: row, attributes: item.attributes.sorted { $0.name < $1.name },
                          userCount: Set(list.map(\.user)).count, recent: recent)
    }

    public func search(_ query: String, limit: Int) throws -> [SearchHit] {
        BrowseIndex.search(query, limit: limit, users: userRows, items: itemRows)
    }

    public func semanticIDSpaces() throws -> [String] { semanticIDs.keys.sorted() }

    public func codeTree(space: String) throws -> CodeTree? {
        guard let ids = semanticIDs[space] else { return nil }
        return CodeTree(space: space, ids: ids, items: allItems.map { itemRows.row(id: $0.id)! })
    }
}

extension InMemoryDataSource {
    /// The interactions and items as the workbench reads them: users numbered in id order, items in the
    /// order given, rows in (user, time, source) order.
    public var store: MemoryStore {
        let userIDs = userRows.rows.map(\.id)
        let users = Vocabulary(ids: userIDs), items = Vocabulary(ids: allItems.map(\.id))
        var u: [Int32] = [], i: [Int32] = [], t: [Double] = [], n: [Int64] = []
        for (k, r) in allInteractions.enumerated() {
            guard let user = users.lookup(r.user), let item = items.lookup(r.item) else { continue }
            u.append(user); i.append(item); t.append(r.time.timeIntervalSince1970); n.append(Int64(k))
        }
        var listing = ItemListing()
        for item in allItems {
            listing.append(id: item.id, title: item.title, year: item.year, categories: item.categories,
                           popularity: itemRows.row(id: item.id)?.popularity ?? 0)
        }
        return MemoryStore(name: name, log: InteractionLog(userIDs: userIDs, itemIDs: items.ids, users: u, items: i,
                                                           timestamps: t, sequence: n), items: listing)
    }
}
