/// One item with its score, as every ranked list in RecScope holds them.
public struct ScoredItem: Sendable, Equatable, Hashable {
    public var item: Int32
    public var score: Float
    public init(item: Int32, score: Float) {
        self.item = item
        self.score = score
    }

    /// The ranking order used everywhere: higher score first, lower index first on ties.
    @inlinable
    public static func ranksBefore(_ a: ScoredItem, _ b: ScoredItem) -> Bool {
        a.score > b.score || (a.score == b.score && a.item < b.item)
    }
}

/// What a trained model offers: the top-K items for a user, excluding what the user has seen.
///
/// Models score; the SIMD core's `TopK` ranks. Users and items are dense indices; a user index at or
/// past `userCount` is an unknown (cold) user, for whom a model returns its best non-personal answer
/// or an empty list, never a crash.
public protocol Recommender: Sendable {
    /// Short name, as the command line spells it (`pop`, `als`, ...).
    var name: String { get }
    var userCount: Int { get }
    var itemCount: Int { get }

    /// The top-`k` items for `user`, best first, ties by item index, never an item in `exclude`.
    func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem]

    /// The top-`k` lists for many users at once; models with batched kernels override this.
    func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]]
}

extension Recommender {
    public func recommend(users: [Int], k: Int, exclude: (Int) -> ExclusionSet) -> [[ScoredItem]] {
        users.map { recommend(user: $0, k: k, exclude: exclude($0)) }
    }
}

/// A set of item indices to leave out of a ranking: a sorted, duplicate-free list (usually a CSR row).
public struct ExclusionSet: Sendable {
    public let sortedItems: [Int32]
    public init(sorted: some Sequence<Int32>) { sortedItems = Array(sorted) }
    public init(unsorted: some Sequence<Int32>) { sortedItems = Array(Set(unsorted)).sorted() }
    public static let none = ExclusionSet(sorted: [])

    public func contains(_ item: Int32) -> Bool { sortedItems.sortedContains(item) }
}
