import TUIKit

/// Something that happened: a key, or the result of background work.
public enum Action: Hashable, Sendable {
    case key(Key)
    /// Sent once when the explorer starts.
    case started
    case summaryLoaded(CatalogSummary)
    case usersLoaded(Page<UserRow>, UserSort)
    case sessionsLoaded(user: String, [SessionRow])
    case sessionItemsLoaded(session: String, [SessionItemRow])
    case itemsLoaded(Page<ItemRow>, ItemSort)
    case itemDetailLoaded(item: String, ItemDetail?)
    case userOpened(id: String, UserRow?)
    case searchResults(query: String, [SearchHit])
    case failed(String)
}

/// Slow work `update` asks for; `EffectRunner` does it off the UI thread and answers with an `Action`.
public enum Effect: Hashable, Sendable {
    case loadSummary
    case loadUsers(PageRequest<UserSort>)
    case loadSessions(user: String)
    case loadSessionItems(session: String)
    case loadItems(PageRequest<ItemSort>)
    case loadItemDetail(item: String)
    case openUser(id: String)
    case search(query: String)
}

/// Runs effects against a data source; every call is synchronous and meant for a background queue.
public struct EffectRunner: Sendable {
    public static let sessionLimit = 500
    public static let sessionItemLimit = 500
    public static let detailUserLimit = 50
    public static let searchLimit = 50

    public let dataSource: any ExplorerDataSource

    public init(dataSource: any ExplorerDataSource) { self.dataSource = dataSource }

    /// Performs `effect` and returns the action that reports its result (or its failure).
    public func perform(_ effect: Effect) -> Action {
        do {
            switch effect {
            case .loadSummary:
                return .summaryLoaded(try dataSource.summary())
            case .loadUsers(let request):
                return .usersLoaded(try dataSource.users(request), request.sort)
            case .loadSessions(let user):
                return .sessionsLoaded(user: user, try dataSource.sessions(ofUser: user, limit: Self.sessionLimit))
            case .loadSessionItems(let session):
                return .sessionItemsLoaded(
                    session: session, try dataSource.sessionItems(session: session, limit: Self.sessionItemLimit))
            case .loadItems(let request):
                return .itemsLoaded(try dataSource.items(request), request.sort)
            case .loadItemDetail(let item):
                return .itemDetailLoaded(item: item, try dataSource.itemDetail(id: item, userLimit: Self.detailUserLimit))
            case .openUser(let id):
                return .userOpened(id: id, try dataSource.user(id: id))
            case .search(let query):
                return .searchResults(query: query, try dataSource.search(query, limit: Self.searchLimit))
            }
        } catch {
            return .failed("\(effect.summary) failed: \(error)")
        }
    }
}

extension Effect {
    var summary: String {
        switch self {
        case .loadSummary: "loading the catalog summary"
        case .loadUsers: "loading users"
        case .loadSessions(let u): "loading the sessions of user \(u)"
        case .loadSessionItems(let s): "loading session \(s)"
        case .loadItems: "loading items"
        case .loadItemDetail(let i): "loading item \(i)"
        case .openUser(let u): "looking up user \(u)"
        case .search(let q): "searching for \(q)"
        }
    }
}
