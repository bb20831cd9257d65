import ArgumentParser
import ExplorerApp
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench
import TUIKit

extension RecScope.Bench {
    /// `recscope bench tui`: the explorer's responsiveness on a real catalog, headlessly.
    struct TUI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Time the explorer on a catalog: first frame, catalog overview, key-to-redraw latency, memory.",
            discussion: """
                Runs the explorer headlessly (effects inline, so every timing includes the data it waits for)
                on a fresh data source per run: the first useful frame (catalog opened, first users page
                drawn), the catalog overview (key 3, with its distributions and long-tail curve), and the
                latency of cursor keys in Browse (each j loads the next user's sessions) and Items, each
                including the redraw into a canvas. Peak resident memory is read from /proc/self/status.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Timed repetitions of the start-up and overview measurements.") var runs = 5
        @Option(help: "Cursor keys timed per list.") var moves = 200
        @Option(help: "Screen size.") var size = "120x40"
        @Option(help: "Models compared in the Compare screen (trained on the loo split first when not stored).")
        var compare = "als,itemknn"
        @Option(help: "Models of the What-if screen, whose lists every added item refreshes (none: skip it).")
        var whatif = "pop,itemknn,als,bpr,ease"
        @Option(help: "Items added one at a time in the What-if screen (each timed).") var whatifAdds = 20
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            guard case .resize(let width, let height)? = Key(name: "Resize:" + size) else {
                throw ValidationError("--size must look like 120x40")
            }
            var firstFrame: [Double] = [], overview: [Double] = []
            var browse: [Double] = [], items: [Double] = [], compareKeys: [Double] = [], whatIfAdds: [Double] = []
            var whatIfBackground: [Double] = []
            let pair = compare.split(separator: ",").map(String.init)
            guard pair.count == 2 else { throw ValidationError("--compare takes two model names, e.g. als,itemknn") }
            var path = ""
            for run in 0..<max(1, runs) {
                let t0 = Stopwatch()
                let catalog = try reportingErrors { try options.open() }
                path = catalog.path
                // Start as the real explorer does (effects on the background queue, polled by the loop)
                // and stop the clock when the first users page is on the canvas.
                var background = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog), width: width,
                                                 height: height, mode: .background)
                var canvas = Canvas(width: width, height: height)
                while background.state.users.page.rows.isEmpty && background.state.users.total != 0 {
                    if !background.pollBackground() { usleep(200) }
                }
                background.draw(on: &canvas)
                firstFrame.append(t0.elapsedMilliseconds)
                // The overview on a fresh source: its summary (all distributions, the activity scan).
                var session = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog), width: width, height: height,
                                              mode: .inline)
                let t1 = Stopwatch()
                _ = try CatalogDataSource(catalog: catalog).summary()
                overview.append(t1.elapsedMilliseconds + Self.time(&session, .char("3"), &canvas))
                if run == 0 {
                    _ = Self.time(&session, .char("1"), &canvas)
                    for _ in 0..<moves { browse.append(Self.time(&session, .char("j"), &canvas)) }
                    _ = Self.time(&session, .char("2"), &canvas)
                    for _ in 0..<moves { items.append(Self.time(&session, .char("j"), &canvas)) }
                    // Compare: models ready first (loaded, or trained inline and stored), then each j is
                    // both retrievals for the next user plus the redraw.
                    var compareSession = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog),
                                                         recommendations: CatalogRecommendationSource(catalog: catalog),
                                                         width: width, height: height, mode: .inline)
                    _ = Self.time(&compareSession, .char("4"), &canvas)
                    for (side, key) in [(pair[0], "a"), (pair[1], "b")] {
                        var presses = 0
                        while (key == "a" ? compareSession.state.selection.modelA : compareSession.state.selection.modelB).rawValue != side {
                            _ = Self.time(&compareSession, .char(Character(key)), &canvas)
                            presses += 1
                            if presses > 10 { throw ValidationError("unknown model '\(side)' for --compare") }
                        }
                    }
                    for _ in 0..<moves { compareKeys.append(Self.time(&compareSession, .char("j"), &canvas)) }
                    if !whatif.isEmpty {
                        (whatIfAdds, whatIfBackground) = try Self.whatIf(catalog: catalog, models: try parseModels(whatif), adds: whatifAdds,
                                                                         width: width, height: height)
                    }
                }
            }
            let peakMB = Self.peakResidentMB()
            let idle = try Self.idleCPU(catalog: path, width: width, height: height)
            let rows: [(String, String)] = [
                ("catalog", path),
                ("first_frame_ms", Self.f(Self.quantile(firstFrame, 0.5))),
                ("overview_ms", Self.f(Self.quantile(overview, 0.5))),
                ("browse_key_p50_ms", Self.f(Self.quantile(browse, 0.5))),
                ("browse_key_p95_ms", Self.f(Self.quantile(browse, 0.95))),
                ("items_key_p50_ms", Self.f(Self.quantile(items, 0.5))),
                ("items_key_p95_ms", Self.f(Self.quantile(items, 0.95))),
                ("compare_key_p50_ms", Self.f(Self.quantile(compareKeys, 0.5))),
                ("compare_key_p95_ms", Self.f(Self.quantile(compareKeys, 0.95))),
                ("compare_models", compare),
                ("whatif_add_p50_ms", Self.f(Self.quantile(whatIfAdds, 0.5))),
                ("whatif_add_p95_ms", Self.f(Self.quantile(whatIfAdds, 0.95))),
                ("whatif_rank_p50_ms", Self.f(Self.quantile(whatIfBackground, 0.5))),
                ("whatif_models", whatif),
                ("peak_rss_mb", Self.f(peakMB)),
                ("idle_cpu_percent", idle.map { Self.f($0.cpu) } ?? "-1"),
                ("idle_rss_mb", idle.map { Self.f($0.rssMB) } ?? "-1"),
                ("compare_rss_mb", idle.map { Self.f($0.compareRssMB) } ?? "-1"),
                ("runs", "\(runs)"), ("moves", "\(moves)"),
            ]
            if json {
                let body = rows.map { key, value in
                    "\"\(key)\": " + (Double(value) != nil ? value : "\"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"")
                }
                print("{" + body.joined(separator: ", ") + "}")
            } else {
                print("explorer on \(TerminalText.sanitize(path)) at \(size), medians of \(runs) runs (keys: \(moves) per list)")
                print("  first useful frame      \(rows[1].1) ms   (goal: 150 ms)")
                print("  catalog overview        \(rows[2].1) ms   (goal: 500 ms)")
                print("  Browse j  p50 / p95     \(rows[3].1) / \(rows[4].1) ms")
                print("  Items j   p50 / p95     \(rows[5].1) / \(rows[6].1) ms")
                print("  Compare j p50 / p95     \(rows[7].1) / \(rows[8].1) ms   (\(compare); goal: p95 16 ms)")
                if !whatif.isEmpty {
                    print("  What-if add p50 / p95   \(Self.f(Self.quantile(whatIfAdds, 0.5))) / \(Self.f(Self.quantile(whatIfAdds, 0.95))) ms"
                        + "   (\(whatif): every model's list for the new items, and the redraw; goal: 50 ms ml-100k, 150 ms 1M)")
                    print("  What-if ranking p50     \(Self.f(Self.quantile(whatIfBackground, 0.5))) ms   (the lists alone, as the background effect times them)")
                }
                print("  peak resident (bench)   \(rows[14].1) MB   (this process: \(runs) sessions and their caches)")
                if let idle {
                    print("  idle, real terminal     \(Self.f(idle.cpu))% CPU over 3 s, \(Self.f(idle.rssMB)) MB resident (tmux; goal: 0%)")
                    print("  Compare open, real      \(Self.f(idle.compareRssMB)) MB resident (goal: 250 MB at 1M interactions, 600 MB at 24M)")
                } else {
                    print("  idle, real terminal     not measured (needs tmux)")
                }
            }
        }

        /// The What-if screen with `models` ready: a user's first `adds` training items added one at a time (as
        /// Enter on a search hit adds them), each timed from the key to the redraw, every model's list included.
        static func whatIf(catalog: Catalog, models: [ModelKind], adds: Int, width: Int, height: Int) throws -> (keys: [Double], ranking: [Double]) {
            let source = CatalogRecommendationSource(catalog: catalog, models: models)
            var session = ExplorerSession(dataSource: CatalogDataSource(catalog: catalog), recommendations: source,
                                          width: width, height: height, mode: .inline)
            var canvas = Canvas(width: width, height: height)
            _ = time(&session, .char(Character(String(Explorer.number(of: WhatIfFeature.self)))), &canvas)
            guard models.allSatisfy(session.state.models.isReady) else {
                throw ValidationError("What-if models not ready: \(session.state.models.status)")
            }
            let users = try CatalogDataSource(catalog: catalog).users(PageRequest(offset: 0, limit: 50, sort: .id)).rows
            var history: [ItemName] = []
            for user in users where history.count < adds { history = try source.trainingItems(user: user.id) }
            var keys: [Double] = [], ranking: [Double] = []
            for item in history.prefix(adds) {
                let t0 = Stopwatch()
                session.dispatch(WhatIfFeature.add(item))
                session.draw(on: &canvas)
                keys.append(t0.elapsedMilliseconds)
                if let r = session.state.whatIf.result { ranking.append(r.seconds * 1000) }
            }
            return (keys, ranking)
        }

        /// Starts the real explorer in a detached tmux session, lets it settle, and samples its CPU time
        /// (utime + stime from /proc) over 3 s of no input. Nil when tmux is not installed.
        static func idleCPU(catalog: String, width: Int, height: Int) throws -> (cpu: Double, rssMB: Double, compareRssMB: Double)? {
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { return nil }
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let socket = "recscope-bench-\(getpid())"
            let command = "LANG=C.UTF-8 TERM=xterm-256color '\(exe)' tui --catalog '\(catalog)'"
            defer { _ = shell(["/usr/bin/tmux", "-L", socket, "kill-server"]) }
            _ = shell(["/usr/bin/tmux", "-L", socket, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command])
            usleep(1_500_000)
            let pids = shell(["/usr/bin/tmux", "-L", socket, "list-panes", "-F", "#{pane_pid}"])
            guard let pid = Int32(pids.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
            func ticks() -> Double? {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return nil }
                return u + s
            }
            guard let before = ticks() else { return nil }
            usleep(3_000_000)
            guard let after = ticks() else { return nil }
            let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
            func rss() -> Double {
                guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
                for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                    return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
                }
                return 0
            }
            let idleRSS = rss()
            // Then the Compare screen, once both lists are drawn (split seen and both models loaded, which takes
            // seconds at 24M interactions; at most two minutes), a few users down.
            _ = shell(["/usr/bin/tmux", "-L", socket, "send-keys", "4"])
            let waited = Stopwatch()
            while waited.elapsed < 120 {
                usleep(250_000)
                let screen = shell(["/usr/bin/tmux", "-L", socket, "capture-pane", "-p"])
                let loaded = screen.components(separatedBy: "· stored").count + screen.components(separatedBy: "· trained").count - 2
                if loaded >= 2 { break }
            }
            _ = shell(["/usr/bin/tmux", "-L", socket, "send-keys", "j", "j", "j"])
            usleep(1_000_000)
            return ((after - before) / hz / 3 * 100, idleRSS, rss())
        }

        /// Runs a program to completion (see `Shell.run` for why not `Process`).
        static func shell(_ argv: [String]) -> String {
            let line = argv.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            return Shell.run(line) ?? ""
        }

        static func time(_ session: inout ExplorerSession, _ key: Key, _ canvas: inout Canvas) -> Double {
            let t0 = Stopwatch()
            session.receive(key)
            session.draw(on: &canvas)
            return t0.elapsedMilliseconds
        }

        static func quantile(_ values: [Double], _ p: Double) -> Double { Quantile.linear(values, p: p) }

        static func f(_ v: Double) -> String { String(format: "%.2f", v) }

        static func peakResidentMB() -> Double {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
                return kb / 1024
            }
            return 0
        }
    }
}
