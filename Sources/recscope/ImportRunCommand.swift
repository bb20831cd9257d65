import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecEval
import RecModels
import RecWorkbench

extension RecScope {
    struct ImportRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-run",
            abstract: "Store a run made by another tool (TREC or CSV/TSV) as model ext:NAME.",
            discussion: """
                Formats (--format auto decides from the first line):
                  trec  `qid Q0 docid rank score tag`, whitespace-separated (trec_eval, ranx, recscope export-run).
                  csv   comma-separated, quotes as in RFC 4180; tsv: tab-separated (Elliot writes `user item score`).
                A CSV/TSV first line naming a user column (user, user_id, uid, qid) and an item column (item,
                item_id, iid, docid) is a header; it must name score (or prediction) or rank; RecBole's `:token`
                suffixes are ignored and other columns skipped. Without a header the columns are user, item, score.

                Ids are the catalog's external user and item ids. Each user's list is ordered by score
                descending, then the file's rank, then item index; with ranks only, score = 1/rank. Scores are
                stored as 32-bit floats; where two scores the file ranks apart round to the same float, the later
                one is lowered to the next float below so the file's order is kept (the count is printed).

                All or nothing: a malformed line (its number is given), an item listed twice for a user, or any
                unknown user or item (counted over the whole file, first examples with line numbers) stores nothing.
                A run named like a stored one is refused unless --replace.

                The run is then model ext:NAME for eval, recommend, simulate, report and the explorer's panes,
                with no training. Users it does not list get an empty list (eval counts them, and they score 0);
                its similar items are the items that share users' lists with an item, by how many lists.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "The run's name: it is stored as model ext:NAME (letters, digits, _ and -).") var name: String
        @Option(help: "auto, trec, csv or tsv.") var format = "auto"
        @Flag(help: "Replace a stored run of the same name.") var replace = false
        @Flag(help: "Print one JSON document.") var json = false
        @Argument(help: "The run file.") var file: String

        func run() throws {
            try reportingModelErrors {
                guard let format = RunFormat(rawValue: format) else {
                    throw CommandError("--format \(format): expected \(RunFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard FileSystem.exists(file) else { throw CommandError("\(file): no such run file") }
                let catalog = try options.open()
                let r = try ExternalRuns.importRun(into: catalog, name: name, path: file, format: format, replace: replace)
                if json {
                    try printJSON([
                        "model": r.model.rawValue, "file": r.path, "format": r.format.rawValue, "score": r.scoreSource.rawValue,
                        "lines": r.lines, "users_listed": r.listedUsers, "users_unlisted": r.unlistedUsers,
                        "max_depth": r.maxDepth, "median_depth": r.medianDepth, "nudged_scores": r.nudgedScores,
                        "replaced": r.replaced, "parse_seconds": r.parseSeconds, "store_seconds": r.storeSeconds,
                        "stored_bytes": r.storedBytes,
                    ] as [String: Any])
                    return
                }
                print(TerminalText.sanitize("\(r.replaced ? "replaced" : "stored") \(r.model.rawValue): \(r.lines) lines (\(r.format.rawValue), score \(r.scoreSource.rawValue)) "
                      + "for \(r.listedUsers) users, lists of \(r.medianDepth) items (median) up to \(r.maxDepth), "
                      + String(format: "%.2f s", r.parseSeconds + r.storeSeconds)))
                if r.unlistedUsers > 0 { print("\(r.unlistedUsers) catalog users are not in the run: they get empty lists") }
                if r.nudgedScores > 0 { print("\(r.nudgedScores) scores equal as 32-bit floats were lowered by one float step to keep the file's order") }
            }
        }
    }
}
