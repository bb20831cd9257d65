import ExplorerApp
import Foundation
import RecCore
import RecWorkbench

/// The behaviour every `ExplorerDataSource` must have, as a check any test can run on any
/// implementation (the in-memory one and the catalog-backed one).
public enum ExplorerDataSourceContract {
    /// The broken promises found, as readable sentences; empty when the source keeps them all.
    /// Reads at most `sampleUsers` users and `sampleItems` items in detail.
    public static func violations(of source: any ExplorerDataSource, sampleUsers: Int = 20,
                                  sampleItems: Int = 20) throws -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { problems.append(message()) } }
        let summary = try source.summary()

        // Users: totals, paging, orders with ties by id.
        for sort in UserSort.allCases {
            let all = try source.users(PageRequest(offset: 0, limit: 1_000_000_000, sort: sort))
            check(all.total == summary.users, "users(\(sort)).total is \(all.total), summary says \(summary.users)")
            check(all.rows.count == all.total, "users(\(sort)) with a huge limit returned \(all.rows.count) of \(all.total)")
            let a = try source.users(PageRequest(offset: 0, limit: 7, sort: sort))
            let b = try source.users(PageRequest(offset: 7, limit: 7, sort: sort))
            check(a.rows + b.rows == Array(all.rows.prefix(14)), "users(\(sort)) pages of 7 do not concatenate to the list")
            check(b.offset == min(7, all.total), "users(\(sort)) page offset is \(b.offset), asked 7")
            let past = try source.users(PageRequest(offset: all.total + 5, limit: 10, sort: sort))
            check(past.rows.isEmpty, "users(\(sort)) past the end returned rows")
            for (x, y) in zip(all.rows, all.rows.dropFirst()) {
                let tie: Bool
                switch sort {
                case .id: tie = true
                case .interactionsDescending:
                    check(x.interactions >= y.interactions, "users by interactions: \(x.id) before \(y.id) is out of order")
                    tie = x.interactions == y.interactions
                case .lastSeenDescending:
                    let lx = x.lastSeen ?? .distantPast, ly = y.lastSeen ?? .distantPast
                    check(lx >= ly, "users by last seen: \(x.id) before \(y.id) is out of order")
                    tie = lx == ly
                }
                if tie { check(idLess(x.id, y.id), "users(\(sort)): tie between \(x.id) and \(y.id) not broken by id") }
            }
        }
        check(summary.interactions == (try source.users(PageRequest(offset: 0, limit: 1_000_000_000, sort: .id)))
                .rows.reduce(0) { $0 + $1.interactions }, "summary.interactions differs from the sum over users")

        // A sample of users: lookup, sessions, session items.
        let users = try source.users(PageRequest(offset: 0, limit: sampleUsers, sort: .id)).rows
        for user in users {
            check(try source.user(id: user.id) == user, "user(id: \(user.id)) differs from its row in the list")
            let sessions = try source.sessions(ofUser: user.id, limit: 1_000_000)
            check(sessions.count == user.sessions, "user \(user.id) has \(sessions.count) sessions, its row says \(user.sessions)")
            check(zip(sessions, sessions.dropFirst()).allSatisfy { $0.start <= $1.start },
                  "sessions of user \(user.id) are not oldest first")
            check(try source.sessions(ofUser: user.id, limit: 1).count == min(1, sessions.count),
                  "sessions(ofUser: \(user.id), limit: 1) ignores the limit")
            var total = 0
            for session in sessions {
                check(session.userID == user.id, "session \(session.id) listed for user \(user.id) belongs to \(session.userID)")
                let items = try source.sessionItems(session: session.id, limit: 1_000_000)
                total += items.count
                check(items.count == session.itemCount, "session \(session.id) has \(items.count) items, its row says \(session.itemCount)")
                check(zip(items, items.dropFirst()).allSatisfy { $0.time <= $1.time }, "items of session \(session.id) are not in time order")
                check(items.first?.time == session.start && items.last?.time == session.end,
                      "session \(session.id) start/end differ from its first/last item")
            }
            check(total == user.interactions, "user \(user.id): sessions hold \(total) interactions, the row says \(user.interactions)")
        }
        check(try source.user(id: "\u{1B}no such user") == nil, "user(id:) of an unknown id is not nil")

        // Items: totals, orders, detail.
        for sort in ItemSort.allCases {
            let all = try source.items(PageRequest(offset: 0, limit: 1_000_000_000, sort: sort))
            check(all.total == summary.items, "items(\(sort)).total is \(all.total), summary says \(summary.items)")
            let a = try source.items(PageRequest(offset: 0, limit: 5, sort: sort))
            let b = try source.items(PageRequest(offset: 5, limit: 5, sort: sort))
            check(a.rows + b.rows == Array(all.rows.prefix(10)), "items(\(sort)) pages of 5 do not concatenate to the list")
            for (x, y) in zip(all.rows, all.rows.dropFirst()) {
                switch sort {
                case .id: check(idLess(x.id, y.id), "items by id: \(x.id) before \(y.id)")
                case .popularityDescending:
                    check(x.popularity > y.popularity || (x.popularity == y.popularity && idLess(x.id, y.id)),
                          "items by popularity: \(x.id) before \(y.id) is out of order or a tie not broken by id")
                case .title:
                    check(x.title < y.title || (x.title == y.title && idLess(x.id, y.id)),
                          "items by title: \(x.id) before \(y.id) is out of order or a tie not broken by id")
                }
            }
        }
        for item in try source.items(PageRequest(offset: 0, limit: sampleItems, sort: .popularityDescending)).rows {
            guard let detail = try source.itemDetail(id: item.id, userLimit: 3) else {
                problems.append("itemDetail(id: \(item.id)) is nil for a listed item")
                continue
            }
            check(detail.item == item, "itemDetail(\(item.id)).item differs from its row")
            check(detail.recent.count <= 3, "itemDetail(\(item.id)) ignores userLimit")
            check(detail.recent.count == min(3, item.popularity), "itemDetail(\(item.id)) shows \(detail.recent.count) interactions of \(item.popularity)")
            check(zip(detail.recent, detail.recent.dropFirst()).allSatisfy { $0.time >= $1.time },
                  "itemDetail(\(item.id)).recent is not most recent first")
            check(detail.userCount <= item.popularity, "itemDetail(\(item.id)) has more users than interactions")
        }
        check(try source.itemDetail(id: "\u{1B}no such item", userLimit: 3) == nil, "itemDetail of an unknown id is not nil")

        // Search.
        if let first = try source.items(PageRequest(offset: 0, limit: 1, sort: .popularityDescending)).rows.first {
            let query = String(first.title.prefix(4)).lowercased()
            let hits = try source.search(query, limit: 5)
            check(hits.count <= 5, "search ignores its limit")
            check(hits.contains { $0.kind == .item && $0.id == first.id }, "search(\"\(query)\") misses item \(first.id), \(first.title)")
            for hit in hits where hit.kind == .item {
                check(hit.label.lowercased().contains(query) || hit.id.lowercased().contains(query),
                      "search(\"\(query)\") returned item \(hit.id) that does not match")
            }
        }
        check(try source.search("", limit: 5).isEmpty, "search(\"\") returned hits")

        // Summary shapes.
        check(summary.perUser.quantiles.map(\.value) == summary.perUser.quantiles.map(\.value).sorted(), "perUser quantiles are not in order")
        check(summary.perItem.quantiles.map(\.value) == summary.perItem.quantiles.map(\.value).sorted(), "perItem quantiles are not in order")
        check(zip(summary.longTail, summary.longTail.dropFirst()).allSatisfy { $0 <= $1 }, "longTail is not non-decreasing")
        check(summary.longTail.last.map { abs($0 - 1) < 1e-9 } ?? (summary.interactions == 0), "longTail does not end at 1")
        check(summary.activity.reduce(0) { $0 + $1.count } == summary.interactions, "activity buckets do not add up to the interactions")

        // Semantic IDs: spaces by name; each tree covers every item, with the same rows as the items list.
        let spaces = try source.semanticIDSpaces()
        check(spaces == Array(Set(spaces)).sorted(), "semanticIDSpaces() is not sorted by name without repeats: \(spaces)")
        let listed = try source.items(PageRequest(offset: 0, limit: sampleItems, sort: .popularityDescending)).rows
        for space in spaces {
            guard let tree = try source.codeTree(space: space) else {
                problems.append("codeTree(space: \(space)) is nil for a listed space")
                continue
            }
            check(tree.space == space, "codeTree(space: \(space)) says it is space \(tree.space)")
            check(tree.items.count == summary.items && tree.tree.itemCount == summary.items,
                  "codeTree(space: \(space)) covers \(tree.items.count) items, summary says \(summary.items)")
            check(Set(tree.items.map(\.id)).count == tree.items.count, "codeTree(space: \(space)) lists an item twice")
            for row in listed {
                guard let n = tree.index(ofItem: row.id) else {
                    problems.append("codeTree(space: \(space)) has no item \(row.id)")
                    continue
                }
                check(tree.items[n] == row, "codeTree(space: \(space)) item \(row.id) differs from its row in the items list")
                check(tree.tree.items(of: tree.tree.leaf(of: n)).contains(Int32(n)), "codeTree(space: \(space)) item \(row.id) is not in its leaf")
            }
        }
        check(try source.codeTree(space: "\u{1B}no such space") == nil, "codeTree of an unknown space is not nil")
        return problems
    }

    /// The order of external ids every list keeps (`ExternalIDOrder`).
    public static func idLess(_ a: String, _ b: String) -> Bool { ExternalIDOrder.less(a, b) }
}
