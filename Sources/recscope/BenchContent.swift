import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench

extension RecScope.Bench {
    /// `recscope bench content`: plain content retrieval (the history's mean vector, cosine) evaluated as `eval`
    /// evaluates models: the baseline for models over content codes, and on `cold-items` the one that can
    /// reach items no one interacted with.
    struct Content: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "content",
            abstract: "Evaluates plain content retrieval (mean of the history's vectors, cosine) on a split, as eval does.",
            discussion: """
                Each user's query is the mean of their training items' unit vectors in a stored embedding space;
                every item not seen is ranked by cosine with it. Metrics are eval's (full ranking, test rows).
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "The embedding space (content, als, aligned or an imported one).") var space = "content"
        @Option(help: "loo, temporal, ratio or cold-items.") var split = "cold-items"
        @Option(help: "Cutoff.") var k = 10
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            guard k >= 1 else { throw CommandError("--k must be at least 1, found \(k)") }
            guard ModelWorkbench.splitNames.contains(split) else {
                throw CommandError("unknown split '\(split)' (expected \(ModelWorkbench.splitList))")
            }
            let bench = try ModelWorkbench(catalog: try options.open())
            let view = try bench.view(split)
            let model: ContentRetrieval
            do { model = try bench.contentRetrieval(space: space, view: view) } catch { throw CommandError("\(error)") }
            let popularity = PopularityProfile(counts: view.train.itemCounts(), userCount: view.userCount)
            let (report, seconds) = Stopwatch.time {
                Evaluator(cutoffs: [k], metrics: [.recall, .ndcg, .mrr]).evaluate(model, heldOut: view.test, popularity: popularity)
            }
            let keys = ["recall@\(k)", "ndcg@\(k)", "mrr@\(k)"]
            if json {
                try printJSON(["model": model.name, "split": split, "users": report.users.count, "seconds": seconds,
                               "metrics": Dictionary(uniqueKeysWithValues: keys.map { ($0, jsonNumber(report.means[$0] ?? .nan)) })])
                return
            }
            print("\(model.name) on \(split), test rows, full ranking, \(report.users.count) users, \(String(format: "%.2f", seconds)) s")
            print(keys.map { "\($0) \(String(format: "%.4f", report.means[$0] ?? .nan))" }.joined(separator: "  "))
        }
    }
}
