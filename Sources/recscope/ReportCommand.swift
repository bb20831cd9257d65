import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

extension RecScope {
    /// `recscope report`: one self-contained HTML file to share.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a self-contained HTML report: catalog, metrics, fairness, users' lists with why, a simulation.",
            discussion: """
                One file with inline CSS and SVG charts, no scripts and no network requests (its Content-Security-Policy
                forbids them): the catalog summary and its distributions, the metrics table and charts of the models on
                the split's test part with the fairness lens, side-by-side lists for the chosen users (default: the
                first two with a history) with their histories and why each item is there, and, with --sim, stored
                simulation runs' retention curves and the first run's first transcript. Models stored on the split
                (recscope eval --models ... --split loo) are loaded; missing ones are trained and stored first.
                Text from the catalog is escaped and long titles are cut.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: ArgumentHelp("The HTML file to write.", valueName: "FILE")) var out: String
        @Option(help: "Models, comma-separated (\(ModelKind.namesWithRuns)).") var models = "pop,itemknn,als,bpr,ease"
        @Option(help: ArgumentHelp("Users' ids, comma-separated (default: the first two with a history).", valueName: "IDS")) var users: String?
        @Option(help: ArgumentHelp("Stored simulation runs, comma-separated (recscope simulate --list).", valueName: "RUNS")) var sim: String?
        @Option(help: "The split the models are trained and evaluated on.") var split = "loo"
        @Option(help: "List length and metric cutoff.") var k = 10
        @Option(help: ArgumentHelp("The date written in the report (default: now, UTC).", visibility: .hidden)) var generated: String?
        @Flag(help: "Print one JSON document (file, bytes, seconds per stage).") var json = false

        func run() throws {
            try reportingModelErrors {
                let catalog = try options.open()
                let kinds = try parseModels(models)
                guard k >= 1 else { throw CommandError("--k must be at least 1, found \(k)") }
                let runs = try (sim ?? "").split(separator: ",").map { text -> Int64 in
                    guard let id = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                        throw CommandError("--sim \(sim!): expected run ids like 3 or 3,4 (recscope simulate --list)")
                    }
                    return id
                }
                var request = ReportRequest(models: kinds, users: (users ?? "").split(separator: ",").map(String.init), simulations: runs, k: k)
                request.split = split
                let stamp = generated ?? Self.now()
                let stopwatch = Stopwatch()
                let data = try ReportData.gather(catalog: catalog, request, generated: stamp) { line in
                    if FileSystem.isTerminal(2) { FileSystem.writeError("\r\(line)   ") }
                }
                let (html, renderSeconds) = Stopwatch.time { HTMLReport.render(data) }
                do {
                    try html.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw CommandError("\(out): cannot write the report: \(error.localizedDescription)")
                }
                let seconds = stopwatch.elapsed
                let stages = data.seconds + [("render", renderSeconds)]
                if json {
                    try printJSON(["file": out, "bytes": html.utf8.count, "seconds": seconds, "models": kinds.map(\.rawValue),
                                   "users": data.users.map(\.user), "sections": HTMLReport.sectionIDs, "charts": HTMLReport.chartIDs(data),
                                   "stage_seconds": Dictionary(stages.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })])
                    return
                }
                print(TerminalText.sanitize("wrote \(out): \(html.utf8.count / 1024) kB in \(String(format: "%.2f", seconds)) s ("
                    + stages.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", ") + ")"))
            }
        }

        static func now() -> String {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
            return f.string(from: Date())
        }
    }
}
