import RecCore

extension Popularity {
    /// The same list for everyone: the most popular items.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        ranking.top(k: k, exclude: exclude)
    }

    /// The item's count (users who have it in training, or in the window) and its place in the order.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        let days = params["window_days"]
        return ranking.explanations(items, term: days.map { "users in the last \($0) days" } ?? "training users")
    }
}

extension ItemKNN {
    /// Σ over `items` of xᵢ times each item's votes (its neighbours' similarities, or, candidate-oriented,
    /// the similarities of the items that kept it) into `out` (itemCount floats); x = 1 without `values`.
    func score(items: [Int32], values: [Float]? = nil, into out: UnsafeMutableBufferPointer<Float>) {
        out.update(repeating: 0)
        for (e, i) in items.enumerated() {
            let x = values?[e] ?? 1
            for n in votes.rowStart[Int(i)]..<votes.rowStart[Int(i) + 1] { out[Int(votes.columns[n])] += x * votes.values[n] }
        }
    }

    /// Scores from the items directly: score(j) = Σ_{i ∈ items} sim(i, j) over the pairs the orientation keeps.
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        // Summed in ascending item order, as a stored row is, so a user's own items give their list bit for bit.
        let items = ExplainedUser.whatIf(history).items.sorted()
        guard !items.isEmpty else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        var buffer = [Float](repeating: 0, count: itemCount)
        return buffer.withUnsafeMutableBufferPointer { b in
            score(items: items, into: b)
            return _topK(UnsafeBufferPointer(b), k: k, exclude: exclude)
        }
    }

    /// Each history item's share xᵤᵢ·sim(i, j) (only pairs the orientation keeps: i kept j, or j kept i); they add up
    /// to the score exactly. A trained user is explained by their stored training row.
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        let row: [(item: Int32, x: Float)]
        if let u = user.index, _isKnown(u, history: history) {
            row = Array(zip(history.items(ofUser: u), history.values(ofUser: u)))
        } else {
            row = user.items.sorted().map { ($0, 1) }
        }
        guard !row.isEmpty else { return ranking.explanations(items, term: "training users (no history: popularity)") }
        let position = Dictionary(user.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // The scores as the lists rank by them (the scatter-add), independent of the shares below.
        var buffer = [Float](repeating: 0, count: itemCount)
        buffer.withUnsafeMutableBufferPointer { b in
            if let u = user.index, _isKnown(u, history: history) { score(user: u, into: b) } else { score(items: user.items.sorted(), into: b) }
        }
        return items.map { j in
            var values: [(Int32, Float)] = []
            for (i, x) in row {
                for n in votes.rowStart[Int(i)]..<votes.rowStart[Int(i) + 1] where votes.columns[n] == j {
                    values.append((i, x * votes.values[n]))
                }
            }
            return ItemExplanation(item: j, score: buffer[Int(j)], contributions: ItemExplanation.ordered(values.map { ($0, $1) }, position: position))
        }
    }
}

extension EASE {
    /// Σ_{i ∈ items} B[i, ·] into `out` (stride floats).
    func score(items: [Int32], into out: UnsafeMutablePointer<Float>) {
        let s = weights.stride
        out.update(repeating: 0, count: s)
        withExtendedLifetime(weights) {
            for i in items { Kernels.axpy(1, weights.row(Int(i)), out, count: s) }
        }
    }

    func whatIfScores(_ history: [Int32], _ items: [Int32]) -> [Float] {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: weights.stride)
        defer { buffer.deallocate() }
        score(items: history, into: buffer)
        return items.map { buffer[Int($0)] }
    }

    /// Scores from the items directly: score = Σ_{i ∈ items} B[i, ·].
    public func recommend(history: [Int32], k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        // Summed in ascending item order, as a stored row is, so a user's own items give their list bit for bit.
        let items = ExplainedUser.whatIf(history).items.sorted()
        guard !items.isEmpty else { return ranking.top(k: k, exclude: exclude) }
        guard k > 0 else { return [] }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: weights.stride)
        defer { buffer.deallocate() }
        score(items: items, into: buffer)
        return _topK(UnsafeBufferPointer(start: buffer, count: itemCount), k: k, exclude: exclude)
    }

    /// Each history item's weight xᵤᵢ·B[i, j]; they add up to the score exactly (up to float rounding).
    public func explain(_ items: [Int32], for user: ExplainedUser) -> [ItemExplanation] {
        let row: [(item: Int32, x: Float)]
        if let u = user.index, _isKnown(u, history: history) {
            row = Array(zip(history.items(ofUser: u), history.values(ofUser: u)))
        } else {
            row = user.items.sorted().map { ($0, 1) }
        }
        guard !row.isEmpty else { return ranking.explanations(items, term: "training users (no history: popularity)") }
        let position = Dictionary(user.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // The scores as the lists rank by them (SIMD axpys of B's rows), independent of the weights below.
        let scores = user.index.map { _isKnown($0, history: history) } == true ? self.scores(user: user.index!, items: items)
            : whatIfScores(user.items.sorted(), items)
        return withExtendedLifetime(weights) {
            zip(items, scores).map { j, score in
                let values = row.map { ($0.item, $0.x * weights.row(Int($0.item))[Int(j)]) }
                return ItemExplanation(item: j, score: score, contributions: ItemExplanation.ordered(values.map { ($0, $1) }, position: position))
            }
        }
    }
}
