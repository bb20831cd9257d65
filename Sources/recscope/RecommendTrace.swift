import Foundation
import RecCatalog
import RecCore
import RecModels

extension RecScope.Recommend {
    /// Prints how `model` reached its list: the beam for `sid`, the stages for `rank`.
    func printTrace(_ model: any TrainedModel, user u: Int, seen: ExclusionSet, log: InteractionLog, catalog: Catalog) throws {
        if let sid = model as? SemanticIDRetriever {
            let started = FileSystem.now()
            let t = sid.trace(user: u, k: k, exclude: seen)
            let seconds = FileSystem.now() - started
            let titles = try catalog.itemTitles(t.items.map(\.item))
            if json { try printJSON(Self.json(t, user: user, seconds: seconds, log: log, titles: titles)); return }
            print(TerminalText.sanitize("sid beam for user \(user): beam \(t.beam) (\(t.passes) pass\(t.passes == 1 ? "" : "es")), "
                + "transition weight \(t.transitionWeight), \(t.itemsScored) items scored, \(String(format: "%.2f", seconds * 1000)) ms"
                + (t.personalised ? "" : " (no training history: popularity)")))
            for level in t.levels {
                print("level \(level.level): kept \(level.kept.count), pruned \(level.pruned.count), skipped \(level.skippedFullySeen) fully seen")
                print("        prefix          score  centroid transition  items  seen")
                for p in level.kept { print(Self.line("  keep", p)) }
                for p in level.pruned.prefix(max(0, pruned)) { print(Self.line("  prune", p)) }
                if level.pruned.count > pruned { print("  … \(level.pruned.count - pruned) more pruned") }
            }
            print("rank  item      score       title")
            for (n, s) in t.items.enumerated() {
                print(TerminalText.sanitize(String(n + 1).leftPadded(4) + "  " + log.itemIDs[Int(s.item)].padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%.5g", s.score).leftPadded(10) + "  " + (titles[s.item] ?? "")))
            }
        } else if let rank = model as? GenerateRank {
            let s = rank.stages(user: u, k: k, exclude: seen)
            let titles = try catalog.itemTitles(s.items.map(\.item))
            let item = { (x: ScoredItem) -> [String: Any] in ["item": log.itemIDs[Int(x.item)], "score": jsonNumber(Double(x.score))] }
            if json {
                try printJSON(["user": user, "model": "rank", "merged": s.merged, "seconds": s.seconds, "personalised": s.personalised,
                               "sources": s.sources.map { ["name": $0.name, "items": $0.items.map(item)] as [String: Any] },
                               "items": s.items.map(item)])
                return
            }
            print("rank stages for user \(user): \(s.merged) candidates merged; "
                  + s.seconds.keys.sorted().map { "\($0) \(String(format: "%.2f", s.seconds[$0]! * 1000)) ms" }.joined(separator: ", "))
            for source in s.sources {
                print(TerminalText.sanitize("  \(source.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(source.items.count) candidates: "
                    + source.items.prefix(8).map { log.itemIDs[Int($0.item)] }.joined(separator: " ") + (source.items.count > 8 ? " …" : "")))
            }
            print("rank  item      score       title")
            for (n, x) in s.items.enumerated() {
                print(TerminalText.sanitize(String(n + 1).leftPadded(4) + "  " + log.itemIDs[Int(x.item)].padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%.5g", x.score).leftPadded(10) + "  " + (titles[x.item] ?? "")))
            }
        } else {
            throw CommandError("--trace works with --model sid (the beam) or --model rank (the stages), not \(model.name)")
        }
    }

    static func line(_ tag: String, _ p: BeamTrace.Prefix) -> String {
        tag.padding(toLength: 8, withPad: " ", startingAt: 0) + p.codes.map(String.init).joined(separator: "-").padding(toLength: 12, withPad: " ", startingAt: 0)
            + String(format: "%.4f", p.score).leftPadded(10) + String(format: "%.4f", p.centroidScore).leftPadded(10)
            + String(format: "%.3f", p.transitionScore).leftPadded(10) + String(p.items).leftPadded(7) + String(p.seen).leftPadded(6)
    }

    static func json(_ t: BeamTrace, user: String, seconds: Double, log: InteractionLog, titles: [Int32: String]) -> [String: Any] {
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
                "items": t.items.enumerated().map { n, s -> [String: Any] in
                    ["item": log.itemIDs[Int(s.item)], "title": titles[s.item] ?? NSNull(), "score": jsonNumber(Double(s.score)), "rank": n + 1]
                }]
    }
}
