/// A two-way map between external ids (strings, as the source spells them) and dense indices 0..<count.
///
/// Dense indices live inside the engine; external ids appear only at the edges (import, display, export).
public struct Vocabulary: Sendable, Equatable {
    public private(set) var ids: [String] = []
    private var index: [String: Int32] = [:]

    public init() {}

    public init(ids: [String]) {
        self.ids = []
        self.ids.reserveCapacity(ids.count)
        index.reserveCapacity(ids.count)
        for id in ids { _ = insert(id) }
    }

    public var count: Int { ids.count }

    /// The dense index of `id`, adding it when new.
    @discardableResult
    public mutating func insert(_ id: String) -> Int32 {
        if let existing = index[id] { return existing }
        let next = Int32(ids.count)
        ids.append(id)
        index[id] = next
        return next
    }

    /// The dense index of `id`, or nil when the vocabulary does not hold it.
    public func lookup(_ id: String) -> Int32? { index[id] }

    public func id(at dense: Int32) -> String { ids[Int(dense)] }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.ids == b.ids }
}
