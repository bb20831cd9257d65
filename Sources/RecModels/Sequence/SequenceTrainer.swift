import RecCore

/// What a transformer learns to predict: how a batch of users' sequences becomes rows and targets, and how
/// a network is judged on the validation rows after each epoch.
protocol SequenceObjective: Sendable {
    /// Users whose sequences are trained on.
    var trainable: [Int] { get }
    /// Users judged after each epoch (empty: no early stopping).
    var validUsers: [Int] { get }
    /// The batch of `users`' training rows; masks and other draws from `seed`.
    func batch(_ users: [Int], seed: UInt64) -> SequenceBatch
    /// The classes of a sampled softmax for `batch`, or nil for the full softmax.
    func candidates(_ batch: SequenceBatch, seed: UInt64) -> [Int32]?
    /// Mean NDCG@10 of the validation users' held-out items.
    func validationNDCG(_ network: TransformerNetwork, users: [Int], threads: Int) -> Double
}

/// Trains a transformer on users' training sequences: mini-batches of whole sequences in a seeded order,
/// AdamW, dropout from seeded hashes, and early stopping on the validation rows' NDCG@10 (the best epoch's
/// weights kept). The same seed gives the same weights for any thread count.
struct SequenceTrainer<Objective: SequenceObjective> {
    let kind: ModelKind
    let hyper: TransformerHyperparameters
    let shape: TransformerShape
    let causal: Bool
    let objective: Objective

    /// The fitted network, the epoch it comes from and its validation NDCG@10 (nil without validation rows).
    func train(progress: TrainingProgress?) -> (network: TransformerNetwork, epoch: Int, ndcg: Double?) {
        var network = TransformerNetwork(shape: shape, causal: causal, weights: TransformerWeights(initial: shape, seed: hyper.seed))
        let threads = hyper.threads <= 0 ? Parallel.defaultThreads : hyper.threads
        var adam = AdamW(shape: shape, learningRate: hyper.learningRate, weightDecay: hyper.weightDecay)
        var gradient = TransformerWeights(zeros: shape)
        var logits = DenseMatrix(rows: 0, cols: 0)
        let trainable = objective.trainable, validUsers = objective.validUsers
        var best: (weights: TransformerWeights, epoch: Int, ndcg: Double)? = nil
        var rng = SeededGenerator(seed: hyper.seed ^ 0x5E9_0E11CE)
        let watch = Stopwatch()
        var step: UInt64 = 0
        for epoch in 1...max(1, hyper.epochs) where hyper.epochs > 0 {
            var order = trainable
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.nextIndex(below: i + 1)) }
            var lossSum = 0.0, batches = 0
            let epochWatch = Stopwatch()
            var start = 0
            while start < order.count {
                let users = order[start..<min(order.count, start + hyper.batch)]
                start += users.count
                step += 1
                let seed = hyper.seed &+ step &* 0xD1B5_4A32_D192_ED03
                let batch = objective.batch(Array(users), seed: seed)
                let cache = network.forward(batch, dropout: hyper.dropout, seed: seed, threads: threads)
                gradient.zero()
                let loss = network.lossAndGradient(batch, cache, dropout: hyper.dropout, seed: seed,
                                                   candidates: objective.candidates(batch, seed: seed),
                                                   logits: &logits, into: &gradient, threads: threads)
                adam.step(&network.weights, gradient: gradient)
                lossSum += Double(loss)
                batches += 1
            }
            let epochSeconds = epochWatch.elapsed
            var ndcg: Double? = nil
            // Epochs before `min_epochs` are not judged: early stopping cannot act on them (the last epoch always is).
            if !validUsers.isEmpty && epoch >= min(hyper.minEpochs, hyper.epochs) {
                let value = objective.validationNDCG(network, users: validUsers, threads: threads)
                ndcg = value
                if best == nil || value > best!.ndcg { best = (network.weights, epoch, value) }
            }
            let stopping = epoch >= hyper.minEpochs && (best.map { epoch - $0.epoch >= hyper.patience } ?? false)
            progress?(TrainingEvent(model: kind, epoch: epoch, epochs: hyper.epochs, loss: batches > 0 ? lossSum / Double(batches) : nil,
                                    seconds: watch.elapsed, validation: ndcg, epochSeconds: epochSeconds, isLast: stopping))
            if stopping { break }
        }
        if let best {
            network.weights = best.weights
            return (network, best.epoch, best.ndcg)
        }
        return (network, hyper.epochs, nil)
    }
}

/// SASRec's and BERT4Rec's objective: items in, items out.
struct ItemSequenceObjective: SequenceObjective {
    let hyper: TransformerHyperparameters
    /// BERT4Rec's share of positions replaced by `[mask]`; nil for SASRec (next-item targets, causal).
    let maskProbability: Float?
    /// Each user's training items in time order.
    let histories: [[Int32]]
    /// Each user's validation item (−1: none).
    let validation: [Int32]
    let items: Int

    var masked: Bool { maskProbability != nil }
    var trainable: [Int] { histories.indices.filter { histories[$0].count >= (masked ? 1 : 2) } }
    var validUsers: [Int] { validation.indices.filter { validation[$0] >= 0 && !histories[$0].isEmpty } }

    func batch(_ users: [Int], seed: UInt64) -> SequenceBatch { trainingBatch(users, seed: seed) }
    func candidates(_ batch: SequenceBatch, seed: UInt64) -> [Int32]? {
        hyper.negatives > 0 ? sampledCandidates(batch, seed: seed) : nil
    }

    /// One batch: SASRec reads the last `maxLen + 1` items and predicts each next one; BERT4Rec reads the
    /// last `maxLen` and predicts the ones replaced by `[mask]` (each with probability `maskProbability`, at
    /// least one per sequence), masks drawn from `seed`.
    func trainingBatch(_ users: [Int], seed: UInt64) -> SequenceBatch {
        var batch = SequenceBatch()
        for u in users {
            let history = histories[u]
            if let p = maskProbability {
                let window = Array(history.suffix(hyper.maxLen))
                var tokens = window, targets = [Int32](repeating: -1, count: window.count)
                for t in window.indices where TransformerLayers.keeps(seed, site: 0x3A5C, row: u, col: t, p: 1 - p) {
                    tokens[t] = Int32(items)
                    targets[t] = window[t]
                }
                if !targets.contains(where: { $0 >= 0 }) {
                    tokens[window.count - 1] = Int32(items)
                    targets[window.count - 1] = window[window.count - 1]
                }
                batch.append(tokens: tokens, targets: targets, maxLen: hyper.maxLen)
            } else {
                let window = Array(history.suffix(hyper.maxLen + 1))
                batch.append(tokens: Array(window.dropLast()), targets: Array(window.dropFirst()), maxLen: hyper.maxLen)
            }
        }
        return batch
    }

    /// The batch's target items and `negatives` uniform draws, sorted and unique (a sampled softmax's classes).
    func sampledCandidates(_ batch: SequenceBatch, seed: UInt64) -> [Int32] {
        var set = Set(batch.targets.filter { $0 >= 0 })
        var rng = SeededGenerator(seed: seed ^ 0xCA4D)
        for _ in 0..<hyper.negatives { set.insert(Int32(rng.nextIndex(below: items))) }
        return set.sorted()
    }

    /// Mean NDCG@10 of each validation user's item, ranking every item but the user's training items.
    func validationNDCG(_ network: TransformerNetwork, users: [Int], threads: Int) -> Double {
        let windows = users.map { SequenceRecommenderCore.servingWindow(histories[$0], maxLen: hyper.maxLen, masked: masked, items: items) }
        let queries = network.representations(windows, threads: threads)
        let catalog = network.itemEmbeddings
        let exclude = users.map { ExclusionSet(unsorted: histories[$0]) }
        let lists = BatchedRetrieval.topK(queries: queries, items: catalog, k: 10, exclude: exclude, threads: threads)
        var sum = 0.0
        for (n, u) in users.enumerated() {
            if let rank = lists[n].firstIndex(where: { $0.item == validation[u] }) { sum += 1 / Double(rank + 2).log2() }
        }
        return sum / Double(users.count)
    }
}

extension Double {
    func log2() -> Double { _naturalLog(self) / 0.693_147_180_559_945_3 }
}
