import RecCore
import Synchronization

/// Rows of a long list kept in memory in id order, with each sort order computed once on first use:
/// paging, sorting, lookup by id and search never go back to the database.
public final class SortedRows<Row: Hashable & Sendable, Sort: Hashable & Sendable>: Sendable {
    /// Every row, in id order.
    public let rows: [Row]
    /// Each row's position in the rows given (for rows given by dense index: its dense index).
    public let given: [Int32]
    private let positions: Vocabulary
    private let before: @Sendable (Sort, Row, Row) -> Bool
    private let orders = Mutex<[Sort: [Int]]>([:])
    private let idSort: Sort

    /// `before(sort, a, b)` says whether `a` comes before `b` in `sort`; ties then break by id. `idSort` is
    /// the sort that is id order itself (its order is the rows as they are, with no sort to run).
    public init(_ rows: [Row], id: (Row) -> String, idSort: Sort, before: @escaping @Sendable (Sort, Row, Row) -> Bool) {
        let ids = rows.map(id)
        let order = ExternalIDOrder.order(ids)
        self.rows = order.map { rows[$0] }
        given = order.map { Int32($0) }
        positions = Vocabulary(ids: order.map { ids[$0] })
        self.idSort = idSort
        self.before = before
    }

    public var count: Int { rows.count }

    /// The position of the row with id `id` in id order.
    public func position(of id: String) -> Int? { positions.lookup(id).map(Int.init) }

    public func row(id: String) -> Row? { position(of: id).map { rows[$0] } }

    /// Positions in `sort` order, ties by id (computed once per sort).
    public func order(_ sort: Sort) -> [Int] {
        if let cached = orders.withLock({ $0[sort] }) { return cached }
        let rows = self.rows
        let order = sort == idSort ? Array(rows.indices) : Array(rows.indices).sorted { a, b in
            before(sort, rows[a], rows[b]) || (!before(sort, rows[b], rows[a]) && a < b)
        }
        orders.withLock { $0[sort] = order }
        return order
    }

    /// The rows `request` asks for, clamped to the list.
    public func page(_ request: PageRequest<Sort>) -> Page<Row> {
        let order = order(request.sort)
        let lo = min(max(0, request.offset), order.count), hi = min(order.count, lo + max(0, request.limit))
        return Page(offset: lo, rows: order[lo..<hi].map { rows[$0] }, total: order.count)
    }
}

/// The users and items lists every browse source pages through, and the rules they share.
public enum BrowseIndex {
    public static func users(_ rows: [UserRow]) -> SortedRows<UserRow, UserSort> {
        SortedRows(rows, id: \.id, idSort: .id) { sort, a, b in
            switch sort {
            case .id: false
            case .interactionsDescending: a.interactions > b.interactions
            case .lastSeenDescending: (a.lastSeen ?? .distantPast) > (b.lastSeen ?? .distantPast)
            }
        }
    }

    public static func items(_ rows: [ItemRow]) -> SortedRows<ItemRow, ItemSort> {
        SortedRows(rows, id: \.id, idSort: .id) { sort, a, b in
            switch sort {
            case .id: false
            case .popularityDescending: a.popularity > b.popularity
            case .title: a.title < b.title
            }
        }
    }

    /// Users whose id, and items whose id or title, contain `query` (case-insensitive): users by id, then
    /// items by popularity then id; at most `limit` in all.
    public static func search(_ query: String, limit: Int, users: SortedRows<UserRow, UserSort>,
                              items: SortedRows<ItemRow, ItemSort>) -> [SearchHit] {
        let q = query.lowercased()
        guard !q.isEmpty, limit > 0 else { return [] }
        var hits: [SearchHit] = []
        for u in users.rows where hits.count < limit && u.id.lowercased().contains(q) {
            hits.append(SearchHit(kind: .user, id: u.id, label: "user \(u.id) · \(u.interactions) interactions"))
        }
        for n in items.order(.popularityDescending) where hits.count < limit {
            let item = items.rows[n]
            if item.title.lowercased().contains(q) || item.id.lowercased().contains(q) {
                hits.append(SearchHit(kind: .item, id: item.id, label: item.title))
            }
        }
        return hits
    }
}
