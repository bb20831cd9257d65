import RecCore

/// What every trained model answers besides its ranked lists: the list of a user known only by their items (a
/// what-if user), and why it scores an item as it does. `TrainedModel` refines it, so a model that does not
/// explain itself does not compile.
///
/// Explanations follow implicit's `explain` where the model allows it: the score written as a sum over the
/// user's history items (ItemKNN, EASE, ALS through its closed-form user solve, sid's ALS part), plus named
/// terms; see `ItemExplanation` for what each model gives.
public protocol ItemExplaining: Recommender {
    /// The top `k` for a user known only by `history` (oldest first), never an item in `exclude`. ALS and BPR
    /// solve the user's factor against their trained item factors; the others score from the items directly.
    /// An empty history gets the model's non-personal answer (training popularity).
    func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem]
    /// Why `items` score as they do for `user`, in the order given.
    func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation]
}

extension ItemExplaining {
    /// Why each item of `list` is there, for `user`.
    public func explain(_ list: [ScoredItem], for user: ExplainedUser) -> [ItemExplanation] {
        explain(list.map(\.item), for: user)
    }
}
