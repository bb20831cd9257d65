import RecCore
import Synchronization

/// Rows of a long list kept in memory in id order, with each sort order computed once on first use:
/// paging, sorting, lookup by id and search never go back to the database.
public final class SortedRows<Row: Hashable & Sendable, Sort: Hashable & Sendable>: Sendable {
    /// Every row, in id order.
    public let rows: [Row]
    /// Each row's position in the rows given (for rows given by dense index: its dense index).
    public let given: [Int32]
    /// Ids to positions, made on the first lookup by id: opening a list of 160k users does not wait for it.
    private let positions = Mutex<Vocabulary?>(nil)
    private let key: @Sendable (Sort, Row) -> SortKey?
    private let idOf: @Sendable (Row) -> String
    private let orders = Mutex<[Sort: [Int]]>([:])

    /// `key(sort, row)` is the row's key in `sort` (rows with smaller keys first, ties by id); nil for the
    /// sort that is id order itself, which needs no sorting.
    public init(_ rows: [Row], id: @escaping @Sendable (Row) -> String, key: @escaping @Sendable (Sort, Row) -> SortKey?) {
        let ids = rows.map(id)
        let order = ExternalIDOrder.order(ids)
        self.rows = order.map { rows[$0] }
        given = order.map { Int32($0) }
        self.key = key
        idOf = id
    }

    public var count: Int { rows.count }

    /// The position of the row with id `id` in id order.
    public func position(of id: String) -> Int? {
        positions.withLock { positions in
            if positions == nil { positions = Vocabulary(ids: rows.map(idOf)) }
            return positions!.lookup(id).map(Int.init)
        }
    }

    public func row(id: String) -> Row? { position(of: id).map { rows[$0] } }

    /// Positions in `sort` order, ties by id (computed once per sort, from each row's key read once).
    public func order(_ sort: Sort) -> [Int] {
        if let cached = orders.withLock({ $0[sort] }) { return cached }
        let keys = rows.map { key(sort, $0) }
        let order: [Int]
        if keys.allSatisfy({ $0 == nil }) {
            order = Array(rows.indices)
        } else if case let v = keys.compactMap({ $0?.number }), v.count == keys.count {
            order = Array(rows.indices).sorted { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }
        } else {
            let t = keys.map { $0?.text ?? "" }
            order = Array(rows.indices).sorted { t[$0] < t[$1] || (t[$0] == t[$1] && $0 < $1) }
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

/// A row's key in one sort of a `SortedRows` list: smaller first. Descending sorts negate their number.
public enum SortKey: Hashable, Sendable {
    case number(Double)
    case text(String)

    var number: Double? { if case .number(let v) = self { v } else { nil } }
    var text: String? { if case .text(let v) = self { v } else { nil } }
}

/// The users and items lists every browse source pages through, and the rules they share.
public enum BrowseIndex {
    public static func users(_ rows: [UserRow]) -> SortedRows<UserRow, UserSort> {
        SortedRows(rows, id: \.id) { sort, row in
            switch sort {
            case .id: nil
            case .interactionsDescending: .number(-Double(row.interactions))
            case .lastSeenDescending: .number(-(row.lastSeen ?? .distantPast).timeIntervalSince1970)
            }
        }
    }

    public static func items(_ rows: [ItemRow]) -> SortedRows<ItemRow, ItemSort> {
        SortedRows(rows, id: \.id) { sort, row in
            switch sort {
            case .id: nil
            case .popularityDescending: .number(-Double(row.popularity))
            case .title: .text(row.title)
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
