import ArgumentParser
import Foundation
import RecCatalog
import RecEval
import RecModels
import RecWorkbench

extension RecScope {
    struct ExportRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-run",
            abstract: "Write a model's rankings on a split's test users as a TREC or CSV run, plus FILE.qrels.",
            discussion: """
                Lines are `qid Q0 docid rank score tag` with the source's user and item ids. The score column is
                depth − rank + 1 by default, so trec_eval and ranx read our exact order (ties included); use
                --model-scores for the model's own scores. The qrels file holds each user's test items.
                --format csv writes `user,item,rank,score` with a header line and the model's own scores instead, so
                any fairness toolkit or a pandas script can read it (rank is the order; ties are already broken).
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Model name (\(ModelKind.namesWithRuns)).") var model: String
        @Option(help: "loo, temporal, ratio or cold-items.") var split = "loo"
        @Option(help: "Ranking depth per user.") var k = 100
        @Option(help: "The run file to write (the qrels go to FILE.qrels).") var out: String
        @Flag(help: "Write the model's scores instead of rank-derived ones (TREC).") var modelScores = false
        @Option(help: "trec (qid Q0 docid rank score tag) or csv (user,item,rank,score).") var format = "trec"
        @OptionGroup var params: ParamOptions
        @Option(help: "Ranking threads (results do not depend on it).") var threads = 1

        func run() throws {
            try reportingModelErrors {
                let kind = try ModelKind(named: model)
                guard format == "trec" || format == "csv" else { throw CommandError("--format \(format): expected trec or csv") }
                guard k >= 1 else { throw CommandError("--k must be at least 1, found \(k)") }
                guard threads >= 1 else { throw CommandError("--threads must be at least 1, found \(threads)") }
                guard ModelWorkbench.splitNames.contains(split) else {
                    throw CommandError("unknown split '\(split)' (expected \(ModelWorkbench.splitList))")
                }
                let bench = try ModelWorkbench(catalog: try options.open())
                let s = try bench.split(split)
                let log = bench.log
                let test = s.heldOut(.test, users: log.users, items: log.items, userCount: log.userCount, itemCount: log.itemCount)
                let trained = try bench.model(kind, params: try params.params(for: kind), split: split,
                                              progress: ModelWorkbench.progressPrinter(kind))
                let lists = Evaluator(cutoffs: [k], threads: threads).rank(trained.model, heldOut: test)
                let writer = try TRECWriter(userIDs: log.userIDs, itemIDs: log.itemIDs)
                if format == "csv" {
                    try writer.writeCSV(lists, truth: test.truth, to: out)
                } else {
                    try writer.write(lists, truth: test.truth, tag: kind.rawValue, to: out, score: modelScores ? .model : .rankDerived)
                }
                print("wrote \(lists.users.count) users × top \(k) of \(kind.rawValue) on \(split) to \(out) and \(out).qrels")
            }
        }
    }
}
