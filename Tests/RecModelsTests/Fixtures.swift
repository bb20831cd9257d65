import RecCore
@testable import RecModels

/// A seeded user × item matrix with taste clusters, so learned models have something to learn:
/// users of cluster c mostly pick items ≡ c (mod clusters), plus a few random ones. The last user has
/// no interactions (an empty history inside the known range).
func clusteredMatrix(users: Int = 40, items: Int = 36, clusters: Int = 3, perUser: Int = 8, seed: UInt64 = 7) -> InteractionMatrix {
    var rng = SeededGenerator(seed: seed)
    var u: [Int32] = [], i: [Int32] = []
    for user in 0..<(users - 1) {
        let c = user % clusters
        for n in 0..<perUser {
            let item = n % 4 == 3 ? rng.nextIndex(below: items)
                                   : c + clusters * rng.nextIndex(below: items / clusters)
            u.append(Int32(user))
            i.append(Int32(item))
        }
    }
    let m = InteractionMatrix(userCount: users, itemCount: items, users: u, items: i)
    // Binary, as the command line trains: duplicates count once.
    return InteractionMatrix(userCount: users, itemCount: items, rowStart: m.rowStart, itemIndices: m.itemIndices,
                             values: [Float](repeating: 1, count: m.nonZeroCount))
}

/// Small, fast configurations of every model, as the command line would pass them.
let contractParams: [ModelKind: [String: String]] = [
    .pop: [:],
    .itemknn: ["k": "10", "shrink": "1"],
    .als: ["factors": "8", "iterations": "4", "alpha": "2", "regularization": "0.1"],
    .bpr: ["factors": "8", "epochs": "5", "lr": "0.05"],
    .ease: ["lambda": "10"],
    .sid: ["factors": "8", "iterations": "4", "regularization": "0.1", "levels": "2", "codes": "4", "beam": "2"],
    .rank: ["candidates": "6", "sid.factors": "8", "sid.iterations": "4", "sid.regularization": "0.1", "sid.levels": "2",
            "sid.codes": "4", "sid.beam": "2", "itemknn.k": "10"],
    .sasrec: ["dim": "16", "layers": "1", "max_len": "8", "epochs": "3", "batch": "8", "threads": "2"],
    .bert4rec: ["dim": "16", "layers": "1", "max_len": "8", "epochs": "3", "batch": "8", "mask_prob": "0.3", "threads": "2"],
    .sidgen: ["dim": "16", "layers": "1", "max_len": "6", "epochs": "3", "batch": "8", "levels": "2", "codes": "4", "beam": "4",
              "threads": "2"],
]

/// Time-ordered sequences for `clusteredMatrix`-like data: each user's items in a seeded order.
func shuffledSequences(_ m: InteractionMatrix, seed: UInt64 = 3) -> UserSequences {
    var rng = SeededGenerator(seed: seed)
    var start = [0], items: [Int32] = []
    for u in 0..<m.userCount {
        var row = Array(m.items(ofUser: u))
        for n in stride(from: row.count - 1, to: 0, by: -1) { row.swapAt(n, rng.nextIndex(below: n + 1)) }
        items.append(contentsOf: row)
        start.append(items.count)
    }
    return UserSequences(start: start, items: items, timestamps: (0..<items.count).map { Double($0) })
}
