import Foundation
import Testing

/// The explorer under pressure in a real terminal (tmux): other processes writing to its catalog, and a
/// storm of resizes. It keeps answering keys, shows new data after `R`, and quits restoring the terminal.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
struct ExplorerConcurrencyTmuxTests {
    /// A tmux server of this suite's own (the other tmux suite may run at the same time).
    let explorer = TmuxExplorer(socket: "recscope-robust-\(getpid())")

    @Test func keepsAnsweringWhileImportAndTrainWriteThenRefreshShowsEverything() throws {
        let (dir, catalog) = try explorer.openExplorer()
        defer { explorer.close(dir) }
        let rows = 150_000
        let second = dir + "/second.inter"
        try CrashSafetyTests.interFile(rows: rows, prefix: "c").write(toFile: second, atomically: true, encoding: .utf8)
        // The import (one long write transaction) and a train (which waits for it) run beside the explorer.
        let writers = try Binary.shell("""
            ( '\(Binary.path)' import --catalog '\(catalog)' --format recbole '\(second)' > '\(dir)/import.out' 2>&1; echo $? > '\(dir)/import.rc' ) &
            sleep 0.3
            ( '\(Binary.path)' train --catalog '\(catalog)' --model pop > '\(dir)/train.out' 2>&1; echo $? > '\(dir)/train.rc' ) &
            echo started
            """)
        #expect(writers.contains("started"))
        // While they write, the explorer moves between users and tabs.
        var answered: [String] = []
        for (key, expected) in [("j", "Sessions of user 2"), ("j", "Sessions of user 3"), ("3", "Long tail"), ("1", "Sessions of user 3")] {
            try explorer.tmux("send-keys -t \(explorer.socket) \(key)")
            let shown = try explorer.waitFor(expected)
            if shown.contains(expected) { answered.append(expected) }
        }
        #expect(answered.count == 4, "explorer stopped answering: \(answered)")
        for _ in 0..<1200 where !(FileManager.default.fileExists(atPath: dir + "/import.rc") && FileManager.default.fileExists(atPath: dir + "/train.rc")) {
            usleep(50_000)
        }
        let importRC = (try? String(contentsOfFile: dir + "/import.rc", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let trainRC = (try? String(contentsOfFile: dir + "/train.rc", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(importRC == "0", "\((try? String(contentsOfFile: dir + "/import.out", encoding: .utf8)) ?? "")")
        #expect(trainRC == "0", "\((try? String(contentsOfFile: dir + "/train.out", encoding: .utf8)) ?? "")")
        // Nothing lost: the catalog holds both imports, and the explorer shows them after R.
        let stats = try JSONSerialization.jsonObject(with: Data(try Binary.run(["stats", "--catalog", catalog, "--json"]).stdout.utf8)) as? [String: Any]
        let users = try #require(stats?["users"] as? Int)
        #expect(stats?["interactions"] as? Int == 96_807 + rows)
        #expect(try explorer.screen().contains("Users (2,000)"), "nothing reloads until asked")
        try explorer.tmux("send-keys -t \(explorer.socket) R")
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US")
        let usersText = "Users (\(formatter.string(from: NSNumber(value: users))!))"
        var shown = try explorer.waitFor(usersText)
        #expect(shown.contains(usersText), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) 3")
        let total = formatter.string(from: NSNumber(value: 96_807 + rows))!
        shown = try explorer.waitFor(total)
        #expect(shown.contains(total), "\(shown)")
        try explorer.quitAndCheckRestored(dir)
    }

    /// Many resizes a second for about two seconds (sizes down to 1×1 and up to 300×100), then the explorer
    /// still answers keys at its final size and quits cleanly, restoring the terminal.
    @Test func survivesAResizeStorm() throws {
        let (dir, _) = try explorer.openExplorer()
        defer { explorer.close(dir) }
        let sizes = [(1, 1), (300, 100), (40, 12), (39, 11), (2, 50), (250, 3), (120, 40), (61, 17), (80, 24), (300, 1)]
        var script = ""
        for round in 0..<20 {
            for (w, h) in sizes.shuffled() { script += "tmux -L \(explorer.socket) resize-window -t \(explorer.socket) -x \(w) -y \(h); " }
            if round % 5 == 0 { script += "tmux -L \(explorer.socket) send-keys -t \(explorer.socket) j; " }
        }
        let started = Date()
        _ = try Binary.shell(script)
        let stormSeconds = Date().timeIntervalSince(started)
        print("resize storm: \(20 * sizes.count) resizes in \(String(format: "%.2f", stormSeconds)) s")
        try explorer.tmux("resize-window -t \(explorer.socket) -x 100 -y 30")
        try explorer.tmux("send-keys -t \(explorer.socket) g")
        var shown = try explorer.waitFor("Sessions of user 1")
        #expect(shown.contains("Sessions of user 1"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) j")
        shown = try explorer.waitFor("Sessions of user 2")
        #expect(shown.contains("Sessions of user 2"), "\(shown)")
        #expect(shown.split(separator: "\n").allSatisfy { $0.count <= 100 })
        try explorer.quitAndCheckRestored(dir)
    }

    /// Terminals without colour (vt100, xterm-mono): a working screen, not a refusal.
    @Test(arguments: ["vt100", "xterm-mono"])
    func worksWithoutColour(term: String) throws {
        let (dir, _) = try explorer.openExplorer(term: term)
        defer { explorer.close(dir) }
        try explorer.tmux("send-keys -t \(explorer.socket) j")
        let shown = try explorer.waitFor("Sessions of user 2")
        #expect(shown.contains("Sessions of user 2"), "TERM=\(term): \(shown)")
        try explorer.quitAndCheckRestored(dir)
    }
}
