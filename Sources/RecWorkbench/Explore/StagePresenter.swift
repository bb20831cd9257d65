import Foundation
import RecCore
import RecModels

/// Turns ranked lists, stages and training progress into text, the same for `recommend --trace` and the
/// explorer's panes. Text from data is sanitised for the terminal here.
public enum StagePresenter {
    /// The stage lines under a list in the Compare pane: the beam in two lines, or generate then rank.
    public static func summary(_ stages: RecommendationStages) -> [String] {
        switch stages {
        case .beam(let t):
            guard t.personalised else { return ["beam: no training history, popularity instead"] }
            let kept = t.levels.map { "\($0.kept.count)/\($0.kept.count + $0.pruned.count)" }.joined(separator: " → ")
            return ["beam \(t.beam): kept \(kept) prefixes", "\(t.itemsScored) items scored, \(t.passes) pass\(t.passes == 1 ? "" : "es")"]
        case .generateRank(let s):
            guard s.personalised else { return ["generate: no training history, popularity instead"] }
            let sources = s.sources.map { "\($0.name) \($0.items.count)" }.joined(separator: " + ")
            return ["generate \(NumberText.duration(s.seconds["generate"] ?? 0)): \(s.merged) candidates", "(\(sources))",
                    "rank \(NumberText.duration(s.seconds["rank"] ?? 0)): pairwise ranker"]
        case .attention(let a):
            let top = a.positions.indices.sorted { a.positions[$0].mean > a.positions[$1].mean || (a.positions[$0].mean == a.positions[$1].mean && $0 < $1) }
            let named = top.prefix(3).map { "\(percent(a.positions[$0].mean)) \(TerminalText.sanitize(a.positions[$0].title))" }
            return ["attends to (last block, \(a.headCount) head\(a.headCount == 1 ? "" : "s")): " + named.joined(separator: " · "),
                    "w: why, over all \(a.positions.count) recent items"]
        case .decode(let t):
            let kept = t.steps.map { "\($0.kept.count)/\($0.kept.count + $0.prunedCount)" }.joined(separator: " → ")
            let blocked = t.steps.map { percent($0.blockedMass) }.joined(separator: " ")
            return ["decode: kept \(kept) prefixes", "trie blocked \(blocked) of the probability per level"]
        }
    }

    /// A weight as a whole percentage: `31%`.
    public static func percent(_ w: Float) -> String { "\(Int((w * 100).rounded()))%" }

    /// A bar of `width` cells for a weight in 0…1, in eighths (`█▍`).
    public static func bar(_ w: Float, width: Int) -> String {
        let eighths = Int((max(0, min(1, w)) * Float(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// The attention table of `recommend --trace` and the explorer's why view: one line per recent item,
    /// newest first: `pos  mean  bar  h1 h2 …  sim  title`, `sim` being the cosine with recommended item `item`.
    public static func attentionTable(_ a: AttentionStages, item: Int, perHead: Bool, barWidth: Int = 12) -> [String] {
        let heads = perHead ? (0..<a.headCount).map { "  h\($0 + 1)".padding(toLength: 5, withPad: " ", startingAt: 0) }.joined() : ""
        var lines = [" age  weight  " + "".padding(toLength: barWidth, withPad: " ", startingAt: 0) + heads + "   sim  title"]
        for (n, p) in a.positions.enumerated() {
            let sim = a.similarity.indices.contains(item) ? a.similarity[item][n] : 0
            let split = perHead ? p.heads.map { NumberText.pad(percent($0), 5) }.joined() : ""
            lines.append(NumberText.pad(String(n), 4) + NumberText.pad(percent(p.mean), 8) + "  "
                + bar(p.mean, width: barWidth).padding(toLength: barWidth, withPad: " ", startingAt: 0) + split
                + NumberText.pad(p.id == nil ? "" : String(format: "%.2f", sim), 6) + "  " + TerminalText.sanitize(p.title))
        }
        return lines
    }

    /// The full trace `recommend --trace` prints: every level's kept prefixes and the best `pruned` pruned
    /// ones (sid), or each retriever's candidates (rank), then the list. `itemID` and `title` name items.
    public static func trace(_ stages: RecommendationStages, user: String, seconds: Double, pruned: Int,
                             itemID: (Int32) -> String, title: (Int32) -> String) -> [String] {
        var lines: [String] = []
        switch stages {
        case .beam(let t):
            lines.append("sid beam for user \(user): beam \(t.beam) (\(t.passes) pass\(t.passes == 1 ? "" : "es")), "
                + "transition weight \(t.transitionWeight), \(t.itemsScored) items scored, \(String(format: "%.2f", seconds * 1000)) ms"
                + (t.personalised ? "" : " (no training history: popularity)"))
            for level in t.levels {
                lines.append("level \(level.level): kept \(level.kept.count), pruned \(level.pruned.count), skipped \(level.skippedFullySeen) fully seen")
                lines.append("        prefix          score  centroid transition  items  seen")
                lines += level.kept.map { prefixLine("  keep", $0) }
                lines += level.pruned.prefix(max(0, pruned)).map { prefixLine("  prune", $0) }
                if level.pruned.count > pruned { lines.append("  … \(level.pruned.count - pruned) more pruned") }
            }
            lines += rankedList(t.items, itemID: itemID, title: title)
        case .generateRank(let s):
            lines.append("rank stages for user \(user): \(s.merged) candidates merged; "
                + s.seconds.keys.sorted().map { "\($0) \(String(format: "%.2f", s.seconds[$0]! * 1000)) ms" }.joined(separator: ", "))
            for source in s.sources {
                lines.append("  \(source.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(source.items.count) candidates: "
                    + source.items.prefix(8).map { itemID($0.item) }.joined(separator: " ") + (source.items.count > 8 ? " …" : ""))
            }
            lines += rankedList(s.items, itemID: itemID, title: title)
        case .attention(let a):
            lines.append("last block's attention for user \(user), from the scoring position over the \(a.positions.count) items read "
                + "(age 0 = newest; mean of \(a.headCount) heads; sim = cosine with the first recommended item), "
                + "\(String(format: "%.2f", seconds * 1000)) ms")
            lines += attentionTable(a, item: 0, perHead: a.headCount > 1)
            lines += rankedList(a.items, itemID: itemID, title: title)
        case .decode(let t):
            lines.append("sidgen decode for user \(user): \(t.window.count) recent items read, \(t.steps.count) levels, "
                + "\(String(format: "%.2f", seconds * 1000)) ms (log probabilities: each level's log softmax over its codes, summed)")
            for step in t.steps {
                lines.append("level \(step.level): kept \(step.kept.count), pruned \(step.prunedCount), trie blocked \(step.blockedCount) "
                    + "continuations (\(percent(step.blockedMass)) of the probability)")
                lines += step.kept.map { decodeLine("  keep", $0) }
                lines += step.pruned.prefix(max(0, pruned)).map { decodeLine("  prune", $0) }
                if step.prunedCount > min(pruned, step.pruned.count) { lines.append("  … \(step.prunedCount - min(pruned, step.pruned.count)) more pruned") }
                lines += step.blocked.prefix(max(0, pruned)).map { decodeLine("  block", $0) }
            }
            lines += rankedList(t.items, itemID: itemID, title: title)
        }
        return lines.map(TerminalText.sanitize)
    }

    /// The `rank  item  score  title` table of a ranked list, header first.
    public static func rankedList(_ items: [ScoredItem], itemID: (Int32) -> String, title: (Int32) -> String) -> [String] {
        ["rank  item      score       title"] + items.enumerated().map { n, s in
            TerminalText.sanitize(NumberText.pad(String(n + 1), 4) + "  " + itemID(s.item).padding(toLength: 8, withPad: " ", startingAt: 0)
                + NumberText.pad(String(format: "%.5g", s.score), 10) + "  " + title(s.item))
        }
    }

    static func decodeLine(_ tag: String, _ c: DecodeStep.Candidate) -> String {
        tag.padding(toLength: 8, withPad: " ", startingAt: 0) + c.codes.map(String.init).joined(separator: "-").padding(toLength: 14, withPad: " ", startingAt: 0)
            + NumberText.pad(String(format: "%.4f", c.logProbability), 10) + NumberText.pad(percent(Float(Foundation.exp(Double(c.logProbability)))), 6)
    }

    static func prefixLine(_ tag: String, _ p: BeamTrace.Prefix) -> String {
        tag.padding(toLength: 8, withPad: " ", startingAt: 0) + p.codes.map(String.init).joined(separator: "-").padding(toLength: 12, withPad: " ", startingAt: 0)
            + NumberText.pad(String(format: "%.4f", p.score), 10) + NumberText.pad(String(format: "%.4f", p.centroidScore), 10)
            + NumberText.pad(String(format: "%.3f", p.transitionScore), 10) + NumberText.pad(String(p.items), 7) + NumberText.pad(String(p.seen), 6)
    }

    /// A training event as a status line: `training als on loo: epoch 3/15 · loss 0.41 · 1.2 s`, with
    /// `· valid NDCG@10 0.061` for models that stop early on the validation rows.
    public static func progressLine(_ event: TrainingEvent, split: String) -> String {
        let loss = event.loss.map { String(format: " · loss %.4g", $0) } ?? ""
        let valid = event.validation.map { String(format: " · valid NDCG@10 %.4f", $0) } ?? ""
        return "training \(event.model.rawValue) on \(split): epoch \(event.epoch)/\(event.epochs)\(loss)\(valid) · \(String(format: "%.1f", event.seconds)) s"
    }
}
