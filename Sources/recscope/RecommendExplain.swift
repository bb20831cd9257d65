import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope.Recommend {
    /// Prints the list with why each item is there (`StagePresenter.why`), or it as JSON.
    func printExplanations(_ model: any TrainedModel, user u: Int, seen: ExclusionSet, bench: ModelWorkbench, trainedNow: Double?) throws {
        let splitRoles = try split.map { try bench.split($0) }
        let history = bench.history(user: u, split: splitRoles)
        let stopwatch = Stopwatch()
        let list = try ExplainedList(model: model, user: .trained(u, history: history), userID: user, k: k, exclude: seen,
                                     name: bench.itemNames)
        let seconds = stopwatch.elapsed
        if json {
            try printJSON(["user": user, "model": model.name, "k": k, "seconds": seconds, "history": history.count,
                           "items": Self.json(list)])
            return
        }
        print(TerminalText.sanitize("\(model.name) for user \(user) (\(history.count) training items): top \(list.items.count), "
            + "listed and explained in \(String(format: "%.2f", seconds * 1000)) ms"
            + (trainedNow.map { " (model trained now in \(String(format: "%.2f", $0)) s)" } ?? "")))
        for n in list.items.indices {
            for line in StagePresenter.why(list, item: n, limit: contributions) { print(line) }
        }
    }

    /// Each item as `recommend --json` prints it, with `contributions`, `terms`, `basis`, `explained_score` and `detail`.
    static func json(_ list: ExplainedList) -> [[String: Any]] {
        zip(list.items, list.explanations).enumerated().map { n, pair -> [String: Any] in
            let (s, e) = pair
            var row: [String: Any] = [
                "item": list.name(s.item).id, "title": title(list, s.item), "score": jsonNumber(Double(s.score)), "rank": n + 1,
                "basis": e.basis.rawValue, "link": e.link.rawValue,
                "explained_score": e.reproducedScore.map { jsonNumber(Double($0)) } ?? NSNull(),
                "contributions": e.contributions.map { c -> [String: Any] in
                    ["item": list.name(c.item).id, "title": title(list, c.item), "contribution": jsonNumber(Double(c.value))]
                },
                "terms": e.terms.map { ["name": $0.name, "value": jsonNumber(Double($0.value))] as [String: Any] },
            ]
            if let detail = e.detail { row["detail"] = json(detail, list) }
            return row
        }
    }

    static func title(_ list: ExplainedList, _ item: Int32) -> Any {
        let t = list.name(item).title
        return t.isEmpty ? NSNull() : t
    }

    static func json(_ detail: ExplanationDetail, _ list: ExplainedList) -> [String: Any] {
        switch detail {
        case let .popularity(count, rank, items):
            return ["kind": "popularity", "count": jsonNumber(Double(count)), "rank": rank, "items": items]
        case .semanticPath(let p):
            return ["kind": "semantic_path", "path": p.levels.map { String($0.code) }.joined(separator: "-"),
                    "levels": p.levels.enumerated().map { l, x -> [String: Any] in
                        ["level": l, "code": Int(x.code), "centroid": jsonNumber(Double(x.centroid)), "transition": jsonNumber(Double(x.transition))]
                    },
                    "item_transition": jsonNumber(Double(p.itemTransition)), "transition_weight": jsonNumber(Double(p.transitionWeight)),
                    "transition_score": jsonNumber(Double(p.transitionScore)),
                    "last_item": p.lastItem.map { list.name($0).id } ?? NSNull(),
                    "last_path": p.lastPath.map(String.init).joined(separator: "-")]
        case .ranker(let r):
            return ["kind": "ranker", "candidate": r.candidate,
                    "features": r.features.map { ["name": $0.name, "value": jsonNumber(Double($0.value)), "term": jsonNumber(Double($0.term))] as [String: Any] },
                    "sources": r.sources.map { ["retriever": $0.retriever, "rank": $0.rank ?? NSNull()] as [String: Any] }]
        case .attention(let a):
            let mean = a.mean
            return ["kind": "attention", "heads": a.heads.count,
                    "window": a.items.indices.reversed().enumerated().map { age, t -> [String: Any] in
                        ["age": age, "item": a.items[t] < 0 ? NSNull() : list.name(a.items[t]).id, "weight": jsonNumber(Double(mean[t])),
                         "heads": a.heads.map { jsonNumber(Double($0[t])) }]
                    }]
        }
    }
}
