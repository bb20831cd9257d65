import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope.Recommend {
    /// Prints how `model` reached its list (`StagePresenter.trace`): the beam for `sid`, the stages for `rank`.
    func printTrace(_ model: any TrainedModel, user u: Int, seen: ExclusionSet, bench: ModelWorkbench, catalog: Catalog) throws {
        let stopwatch = Stopwatch()
        let stages: RecommendationStages
        if let sid = model as? SemanticIDRetriever {
            stages = .beam(sid.trace(user: u, k: k, exclude: seen))
        } else if let rank = model as? GenerateRank {
            stages = .generateRank(rank.stages(user: u, k: k, exclude: seen))
        } else if let generator = model as? SemanticIDGenerator {
            guard let t = generator.decodeTrace(user: u, k: k, exclude: seen) else {
                throw CommandError("user \(user) has no training history: sidgen recommends by popularity, with no decoding to show")
            }
            stages = .decode(t)
        } else if let transformer = model as? any AttentionExplaining {
            let list = transformer.recommend(user: u, k: k, exclude: seen)
            let titles = try catalog.itemTitles(list.map(\.item))
            guard let a = AttentionStages(transformer, user: u, items: list, itemID: { bench.log.itemIDs[Int($0)] },
                                          title: { titles[$0] ?? "" }) else {
                throw CommandError("user \(user) has no training history: \(model.name) recommends by popularity, with no attention to show")
            }
            stages = .attention(a)
        } else {
            throw CommandError("--trace works with --model sid (the beam), rank (the stages), sasrec or bert4rec (the attention), sidgen (the decoding), not \(model.name)")
        }
        let seconds = stopwatch.elapsed
        let items: [ScoredItem]
        switch stages {
        case .beam(let t): items = t.items
        case .generateRank(let s): items = s.items
        case .attention(let a): items = a.items
        case .decode(let t): items = t.items
        }
        let titles = try catalog.itemTitles(items.map(\.item))
        let itemID = { (i: Int32) in bench.log.itemIDs[Int(i)] }
        if json {
            try printJSON(Self.json(stages, user: user, seconds: seconds, itemID: itemID, titles: titles))
            return
        }
        for line in StagePresenter.trace(stages, user: user, seconds: seconds, pruned: pruned, itemID: itemID,
                                         title: { titles[$0] ?? "" }) {
            print(line)
        }
    }

    /// The trace as one JSON document (every pruned prefix included).
    static func json(_ stages: RecommendationStages, user: String, seconds: Double, itemID: @escaping (Int32) -> String,
                     titles: [Int32: String]) -> [String: Any] {
        func ranked(_ items: [ScoredItem]) -> [[String: Any]] {
            items.enumerated().map { n, s in
                ["item": itemID(s.item), "title": titles[s.item] ?? NSNull(), "score": jsonNumber(Double(s.score)), "rank": n + 1]
            }
        }
        switch stages {
        case .beam(let t):
            func prefix(_ p: BeamTrace.Prefix) -> [String: Any] {
                ["prefix": p.codes.map(String.init).joined(separator: "-"), "score": jsonNumber(Double(p.score)),
                 "centroid_score": jsonNumber(Double(p.centroidScore)), "transition_score": jsonNumber(Double(p.transitionScore)),
                 "items": p.items, "seen": p.seen]
            }
            return ["user": user, "model": "sid", "seconds": seconds, "beam": t.beam, "passes": t.passes, "personalised": t.personalised,
                    "transition_weight": jsonNumber(Double(t.transitionWeight)), "items_scored": t.itemsScored,
                    "levels": t.levels.map { l -> [String: Any] in
                        ["level": l.level, "kept": l.kept.map(prefix), "pruned": l.pruned.map(prefix), "skipped_fully_seen": l.skippedFullySeen]
                    },
                    "items": ranked(t.items)]
        case .generateRank(let s):
            let item = { (x: ScoredItem) -> [String: Any] in ["item": itemID(x.item), "score": jsonNumber(Double(x.score))] }
            return ["user": user, "model": "rank", "merged": s.merged, "seconds": s.seconds, "personalised": s.personalised,
                    "sources": s.sources.map { ["name": $0.name, "items": $0.items.map(item)] as [String: Any] },
                    "items": s.items.map(item)]
        case .attention(let a):
            return ["user": user, "stages": "attention", "seconds": seconds, "heads": a.headCount,
                    "window": a.positions.enumerated().map { n, p -> [String: Any] in
                        ["age": n, "item": p.id ?? NSNull(), "title": p.title, "weight": jsonNumber(Double(p.mean)),
                         "heads": p.heads.map { jsonNumber(Double($0)) },
                         "similarity": a.similarity.map { jsonNumber(Double($0[n])) }]
                    },
                    "items": ranked(a.items)]
        case .decode(let t):
            func candidate(_ c: DecodeStep.Candidate) -> [String: Any] {
                ["prefix": c.codes.map(String.init).joined(separator: "-"), "log_probability": jsonNumber(Double(c.logProbability))]
            }
            return ["user": user, "model": "sidgen", "stages": "decode", "seconds": seconds,
                    "window": t.window.map { itemID($0) },
                    "levels": t.steps.map { s -> [String: Any] in
                        ["level": s.level, "kept": s.kept.map(candidate), "pruned": s.pruned.map(candidate), "pruned_count": s.prunedCount,
                         "blocked": s.blocked.map(candidate), "blocked_count": s.blockedCount,
                         "blocked_probability": jsonNumber(Double(s.blockedMass))]
                    },
                    "items": ranked(t.items)]
        }
    }
}
