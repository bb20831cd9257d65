/// The one order of external ids (user and item ids as the source spells them): ids that parse as
/// integers first, by value, then every other id as text.
///
/// So `9 < 10 < 1a`, as a person reading a list of MovieLens or RecBole ids expects. Two ids with the
/// same value (`7`, `007`) are ordered by text, so the order is total and every list sorted by it is
/// deterministic.
public enum ExternalIDOrder {
    /// Whether id `a` sorts before id `b`.
    public static func less(_ a: String, _ b: String) -> Bool {
        Key(a) < Key(b)
    }

    /// An id parsed once for sorting: compare keys instead of ids when sorting many.
    public struct Key: Comparable, Hashable, Sendable {
        /// The id's integer value, when it is one.
        public let integer: Int?
        public let text: String

        public init(_ id: String) {
            integer = Int(id)
            text = id
        }

        public static func < (a: Key, b: Key) -> Bool {
            switch (a.integer, b.integer) {
            case let (x?, y?): return x != y ? x < y : a.text < b.text
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.text < b.text
            }
        }
    }

    /// The positions of `ids` in id order (`ids[order[0]]` first; repeated ids by position), each id
    /// parsed once.
    /// - Complexity: O(n log n) comparisons of precomputed keys.
    public static func order(_ ids: [String]) -> [Int] {
        // Usually every id is a distinct integer: sort plain (value, position) pairs, no strings touched.
        var pairs: [(value: Int, position: Int)] = []
        pairs.reserveCapacity(ids.count)
        for (n, id) in ids.enumerated() {
            guard let v = Int(id), String(v) == id else { pairs = []; break }
            pairs.append((v, n))
        }
        if pairs.count == ids.count {
            pairs.sort { $0.value < $1.value || ($0.value == $1.value && $0.position < $1.position) }
            return pairs.map(\.position)
        }
        let keys = ids.map(Key.init)
        return ids.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
    }

    /// `elements` sorted by the id each one has (ties in input order), each id parsed once.
    /// - Complexity: O(n log n) comparisons of precomputed keys.
    public static func sorted<E>(_ elements: [E], id: (E) -> String) -> [E] {
        order(elements.map(id)).map { elements[$0] }
    }
}
