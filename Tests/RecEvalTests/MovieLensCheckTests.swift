import Foundation
import RecCore
import Testing
@testable import RecEval

/// Where MovieLens-100k's RecBole atomic files live: `$RECSCOPE_ML100K`, else /work/data/ml-100k.
/// The data is never committed; see bench/reference_models.py for how to get it.
private let ml100kFolder = ProcessInfo.processInfo.environment["RECSCOPE_ML100K"] ?? "/work/data/ml-100k"
private let ml100kPresent = FileManager.default.fileExists(atPath: ml100kFolder + "/ml-100k.inter")

/// Popularity: score = number of training users of the item, ties by lower item index.
struct PopularityRecommender: Recommender {
    let name = "pop"
    let userCount: Int
    let itemCount: Int
    let counts: [Int]
    let order: [Int32]

    init(train: InteractionMatrix) {
        userCount = train.userCount
        itemCount = train.itemCount
        counts = train.itemCounts()
        let c = counts
        order = (0..<Int32(train.itemCount)).sorted { c[Int($0)] != c[Int($1)] ? c[Int($0)] > c[Int($1)] : $0 < $1 }
    }

    func recommend(user: Int, k: Int, exclude: ExclusionSet) -> [ScoredItem] {
        var out: [ScoredItem] = []
        for i in order where !exclude.contains(i) {
            out.append(ScoredItem(item: i, score: Float(counts[Int(i)])))
            if out.count == k { break }
        }
        return out
    }
}

@Suite(.enabled(if: ml100kPresent, "MovieLens-100k not found at \(ml100kFolder)/ml-100k.inter: skipping the end-to-end check (set RECSCOPE_ML100K)"))
struct MovieLensCheckTests {
    struct Rows {
        var users: [Int32] = [], items: [Int32] = [], times: [Double] = []
        var userIDs = Vocabulary(), itemIDs = Vocabulary()
        var sequence: [Int64] { (0..<Int64(users.count)).map { $0 } }
    }

    func load() throws -> Rows {
        let text = try String(contentsOfFile: ml100kFolder + "/ml-100k.inter", encoding: .utf8)
        var rows = Rows()
        for (n, line) in text.split(separator: "\n").enumerated() where n > 0 {
            let f = line.split(separator: "\t")
            guard f.count == 4, let t = Double(f[3]) else {
                Issue.record("ml-100k.inter:\(n + 1): expected user, item, rating, timestamp")
                continue
            }
            rows.users.append(rows.userIDs.insert(String(f[0])))
            rows.items.append(rows.itemIDs.insert(String(f[1])))
            rows.times.append(t)
        }
        return rows
    }

    func popularityRecall(_ rows: Rows, split: Split) -> EvaluationReport {
        let (nu, ni) = (rows.userIDs.count, rows.itemIDs.count)
        let train = split.matrix(of: [.train], users: rows.users, items: rows.items, userCount: nu, itemCount: ni)
        let test = split.heldOut(.test, users: rows.users, items: rows.items, userCount: nu, itemCount: ni)
        return Evaluator(cutoffs: [10, 20, 100], threads: 2)
            .evaluate(PopularityRecommender(train: train), heldOut: test,
                      popularity: PopularityProfile(counts: train.itemCounts(), userCount: nu))
    }

    @Test func popularityLeaveOneOutMatchesThePythonReference() throws {
        let rows = try load()
        #expect(rows.users.count == 100_000 && rows.userIDs.count == 943 && rows.itemIDs.count == 1682)
        let split = Split.leaveOneOut(users: rows.users, timestamps: rows.times, sequence: rows.sequence)
        // bench/reference_models.py writes its own split next to the data; when present, ours must match it.
        let pythonSplit = ml100kFolder + "/ml-100k.loo.roles"
        if let text = try? String(contentsOfFile: pythonSplit, encoding: .utf8) {
            let roles = text.split(separator: "\n").map { SplitRole(rawValue: UInt8($0)!)! }
            #expect(roles == split.roles, "RecEval's split differs from \(pythonSplit)")
        } else {
            print("ml-100k: \(pythonSplit) absent; run bench/reference_models.py to compare splits row by row")
        }
        let report = popularityRecall(rows, split: split)
        let recall = report.means["recall@10"]!
        // bench/reference_models.py on the same split: Recall@10 0.08589607635206786 (81 of 943 users).
        print("ml-100k pop LOO, ties by source order: recall@10 = \(recall), ndcg@10 = \(report.means["ndcg@10"]!), mrr@10 = \(report.means["mrr@10"]!)")
        #expect(report.users.count == 943)
        #expect(abs(recall - 0.08589607635206786) < 1e-12)
        #expect(abs(report.means["ndcg@10"]! - 0.04488456419111549) < 1e-9)
        #expect(abs(report.means["mrr@10"]! - 0.032555252571159245) < 1e-9)
        try exportForRanx(rows, split: split, report: report, name: "pop")
    }

    @Test func popularityOnARatioSplitHasSeveralTestItemsPerUser() throws {
        let rows = try load()
        let split = Split.ratio(users: rows.users, sequence: rows.sequence, validFraction: 0.1, testFraction: 0.2, seed: 1)
        #expect(split.count(of: .test) >= 19_000)  // ⌊0.2·n⌋ per user, every user has at least 20 rows
        let report = popularityRecall(rows, split: split)
        print("ml-100k pop ratio 0.7/0.1/0.2 seed 1: recall@10 = \(report.means["recall@10"]!), map@10 = \(report.means["map@10"]!)")
        #expect(report.means["recall@10"]! > 0.05)
        try exportForRanx(rows, split: split, report: report, name: "pop_ratio")
    }

    @Test func tieRuleMovesPopularityRecall() throws {
        let rows = try load()
        // Timestamp ties broken by item id instead of source order; ids are numeric in ml-100k.
        let byItemID = rows.items.map { Int64(rows.itemIDs.id(at: $0))! }
        let ascending = popularityRecall(rows, split: Split.leaveOneOut(
            users: rows.users, timestamps: rows.times, sequence: byItemID)).means["recall@10"]!
        let descending = popularityRecall(rows, split: Split.leaveOneOut(
            users: rows.users, timestamps: rows.times, sequence: byItemID.map { -$0 })).means["recall@10"]!
        print("ml-100k pop LOO recall@10: ties by item id asc \(ascending), by item id desc \(descending)")
        // Python (pandas stable sort, same model and exclusions): 0.04984093319194061 and 0.11346765641569459.
        #expect(abs(ascending - 0.04984093319194061) < 1e-12)
        #expect(abs(descending - 0.11346765641569459) < 1e-12)
    }

    /// With `RECSCOPE_TREC_OUT=DIR`, writes DIR/NAME.run, DIR/NAME.run.qrels and DIR/NAME.metrics.json for
    /// `python3 bench/check_ranx.py DIR/NAME.run DIR/NAME.metrics.json`.
    func exportForRanx(_ rows: Rows, split: Split, report: EvaluationReport, name: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["RECSCOPE_TREC_OUT"] else { return }
        let (nu, ni) = (rows.userIDs.count, rows.itemIDs.count)
        let train = split.matrix(of: [.train], users: rows.users, items: rows.items, userCount: nu, itemCount: ni)
        let test = split.heldOut(.test, users: rows.users, items: rows.items, userCount: nu, itemCount: ni)
        let lists = Evaluator(cutoffs: [100]).rank(PopularityRecommender(train: train), heldOut: test)
        let writer = try TRECWriter(userIDs: rows.userIDs.ids, itemIDs: rows.itemIDs.ids)
        try writer.write(lists, truth: test.truth, tag: name, to: dir + "/\(name).run")
        let accuracy = report.keys.filter { key in Metric.allCases.contains { key.hasPrefix($0.rawValue + "@") } }
        let json = try JSONSerialization.data(
            withJSONObject: Dictionary(uniqueKeysWithValues: accuracy.map { ($0, report.means[$0]!) }),
            options: [.sortedKeys, .prettyPrinted])
        try json.write(to: URL(fileURLWithPath: dir + "/\(name).metrics.json"))
        print("wrote \(dir)/\(name).run, \(name).run.qrels, \(name).metrics.json")
    }
}
