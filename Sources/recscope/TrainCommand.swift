import ArgumentParser
import Foundation
import RecCatalog
import RecModels
import RecWorkbench

extension RecScope {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train models and store them in the catalog.",
            discussion: ModelKind.helpTable + """

                Parameters (--param k=v, or model.k=v for one model):
                  pop      window_days (count only the last N days; 0 = all)
                  itemknn  k (neighbours, 100), shrink (0), threads
                  als      factors (64), iterations (15), regularization, alpha, solver (cg|cholesky), cg_steps (3), seed, threads
                  bpr      factors (64), epochs, lr, regularization, seed
                  ease     lambda, max_items (40000), memory_gb (8)
                  sid      the als parameters, levels (3), codes (256), kmeans_iterations, quantizer_seed, beam (32; 0 =
                           score every item), transition (weight), window, decay, history, smoothing, context_level, lift
                  rank     candidates (50 per retriever), labels (auto|valid|holdout), l2, iterations, seed,
                           sid.NAME and itemknn.NAME for its retrievers (e.g. rank.sid.beam=16)
                  sasrec   dim (64), layers (2), heads (2), ffn (4·dim), max_len (50), dropout (0.2), lr (0.001),
                           weight_decay (0), epochs (200), patience (10), batch (128), negatives (0 = full softmax),
                           seed, threads
                  bert4rec the sasrec parameters and mask_prob (0.4)
                Without --split, models train on every interaction (what recommend uses); with --split, on that
                split's training part (what eval uses). Progress goes to stderr when it is a terminal. sasrec and
                bert4rec stop early on the split's valid rows (without a split: on each user's last item);
                --json lists every epoch (loss, seconds, valid NDCG@10).
                """)

        @OptionGroup var options: CatalogOptions
        @Option(name: .customLong("model"), help: "Model names, comma-separated, of \(ModelKind.names) (e.g. als,ease).") var models: String
        @OptionGroup var params: ParamOptions
        @Option(help: "Train on this split's training part: loo, temporal, ratio or cold-items.") var split: String?
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                let kinds = try parseModels(models)
                if let split, !ModelWorkbench.splitNames.contains(split) {
                    throw CommandError("unknown split '\(split)' (expected \(ModelWorkbench.splitList))")
                }
                let bench = try ModelWorkbench(catalog: try options.open())
                var rows: [[String: Any]] = []
                for kind in kinds {
                    let log = TrainingLog(kind)
                    let (model, seconds, _) = try bench.train(kind, params: try params.params(for: kind), split: split,
                                                               progress: log.progress)
                    var row: [String: Any] = ["name": kind.rawValue, "fit_seconds": seconds, "params": model.params,
                                              "split": split ?? NSNull()]
                    if let epochs = log.json { row["epochs"] = epochs }
                    let fit = (model as? GenerateRank)?.fitReport
                    if let fit {
                        row["ranker"] = ["labels": fit.source, "labelled": fit.labels, "groups": fit.groups, "pairs": fit.pairs,
                                         "pairwise_accuracy": jsonNumber(fit.pairwiseAccuracy)] as [String: Any]
                    }
                    rows.append(row)
                    if !json {
                        let p = model.params.keys.sorted().map { "\($0)=\(model.params[$0]!)" }.joined(separator: " ")
                        print("\(kind.rawValue): trained in \(String(format: "%.3f", seconds)) s on \(split.map { "the \($0) training part" } ?? "every interaction")\(p.isEmpty ? "" : "  (\(p))")")
                        if let fit {
                            print("  ranker fitted on \(fit.source) labels: \(fit.groups) of \(fit.labels) labelled items were among the candidates, "
                                  + "\(fit.pairs) pairs, pairwise accuracy \(String(format: "%.3f", fit.pairwiseAccuracy))")
                        }
                    }
                }
                if json { try printJSON(["models": rows]) }
            }
        }
    }
}
