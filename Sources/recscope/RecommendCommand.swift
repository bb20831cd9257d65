import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope {
    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Top-K items for one user, with scores, titles and the time taken.",
            discussion: """
                Uses the model trained on every interaction (recscope train --model NAME), training and storing
                it first when there is none; --split uses the model trained on that split's training part.
                Items the user already has are never recommended. --trace shows how sid's beam search got there
                (kept and pruned prefixes per level, with their centroid and transition scores), rank's stages, how sidgen decoded
                the next item's code level by level (kept, pruned and trie-blocked prefixes with log probabilities), or
                which recent items sasrec's and bert4rec's last attention block weighs (per head, with each item's
                cosine to the first recommendation). --explain says why each item is there, for every model: the
                history items whose shares add up to the score (itemknn similarities, ease B[i, j], als through its
                closed-form user solve, sid's ALS part), named terms (sid's transition, bpr's bias, rank's features
                and retrievers, pop's count and rank), or the attention weights (sasrec, bert4rec); with --json each
                item gains contributions [{item, title, contribution}] and terms [{name, value}].
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model name (\(ModelKind.namesWithRuns)).") var model: String
        @Option(help: "The user's id, as in the source data.") var user: String
        @Option(help: "How many items.") var k = 10
        @Option(help: "Use the model trained on this split's training part.") var split: String?
        @OptionGroup var params: ParamOptions
        @Flag(help: "sid: print the beam level by level (kept and pruned prefixes with their scores); rank: each stage; sasrec, bert4rec: the attention; sidgen: the decoding.")
        var trace = false
        @Option(help: "With --trace: pruned prefixes shown per level (JSON lists them all).") var pruned = 5
        @Flag(help: "Why each item: its history items' contributions, the model's terms and details.") var explain = false
        @Option(help: "With --explain: history items shown per item (JSON lists them all).") var contributions = 8
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                let kind = try ModelKind(named: model)
                guard k >= 1 else { throw CommandError("--k must be at least 1, found \(k)") }
                let catalog = try options.open()
                let bench = try ModelWorkbench(catalog: catalog)
                let u: Int
                do { u = try bench.user(user) } catch { throw CommandError("\(error)") }
                let trained = try bench.model(kind, params: try params.params(for: kind), split: split,
                                              progress: ModelWorkbench.progressPrinter(kind))
                let seen = ExclusionSet(sorted: bench.matrix(nil).items(ofUser: u))
                if trace && explain { throw CommandError("--trace and --explain show different things: pass one of them") }
                if explain {
                    try printExplanations(trained.model, user: u, seen: seen, bench: bench, trainedNow: trained.trained ? trained.fitSeconds : nil)
                    return
                }
                if trace {
                    try printTrace(trained.model, user: u, seen: seen, bench: bench, catalog: catalog)
                    return
                }
                let (list, seconds) = Stopwatch.time { trained.model.recommend(user: u, k: k, exclude: seen) }
                let titles = try catalog.itemTitles(list.map(\.item))
                if json {
                    try printJSON([
                        "user": user, "model": kind.rawValue, "seconds": seconds, "k": k,
                        "items": list.enumerated().map { n, s -> [String: Any] in
                            ["item": bench.log.itemIDs[Int(s.item)], "title": titles[s.item] ?? NSNull(),
                             "score": jsonNumber(Double(s.score)), "rank": n + 1]
                        },
                    ])
                    return
                }
                print(TerminalText.sanitize("\(kind.rawValue) for user \(user) (\(seen.sortedItems.count) interactions): top \(list.count) in \(String(format: "%.2f", seconds * 1000)) ms\(trained.trained ? " (model trained now in \(String(format: "%.2f", trained.fitSeconds)) s)" : "")"))
                for line in StagePresenter.rankedList(list, itemID: { bench.log.itemIDs[Int($0)] }, title: { titles[$0] ?? "" }) {
                    print(line)
                }
            }
        }
    }
}
