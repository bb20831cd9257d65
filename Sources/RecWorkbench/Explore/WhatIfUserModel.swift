import RecCore
import RecModels

/// A trained model with one user more: index `base.userCount` is a what-if user known only by `history` (a
/// saved persona), every other index is the base model's own. The simulator's agent asks a model for a user's
/// scores by index, so a persona plays in Simulate through this, with no change to the simulator.
public struct WhatIfUserModel: TrainedModel {
    public let base: any TrainedModel
    /// The what-if user's items, oldest first (the ones the models read).
    public let history: [Int32]

    public init(base: any TrainedModel, history: [Int32]) {
        self.base = base
        self.history = history
    }

    /// The what-if user's index.
    public var whatIfUser: Int { base.userCount }
    public var userCount: Int { base.userCount + 1 }
    public var itemCount: Int { base.itemCount }
    public var kind: ModelKind { base.kind }
    public var params: [String: String] { base.params }

    public func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        user == whatIfUser ? base.recommend(history: history, k: k, exclude: exclude) : base.recommend(user: user, k: k, exclude: exclude)
    }

    /// The what-if user's scores: the base model's whole what-if ranking (items it does not rank score −∞).
    public func scores(user: Int, items: [Int32]) -> [Float] {
        guard user == whatIfUser else { return base.scores(user: user, items: items) }
        var all = [Float](repeating: -.infinity, count: itemCount)
        for s in base.recommend(history: history, k: itemCount, exclude: .none) { all[Int(s.item)] = s.score }
        return items.map { all[Int($0)] }
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] { base.similarItems(to: item, k: k) }
    public func artifact() -> ModelArtifact { base.artifact() }
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        base.recommend(history: history, k: k, exclude: exclude)
    }
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        base.explain(items, for: user.index == whatIfUser ? .whatIf(history) : user)
    }
}
