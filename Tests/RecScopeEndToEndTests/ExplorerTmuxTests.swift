import Foundation
import Testing

/// The explorer driven in a real terminal: tmux runs the binary, sends keys, resizes, reads the screen.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
struct ExplorerTmuxTests {
    let explorer = TmuxExplorer(socket: "recscope-e2e-\(getpid())")

    @Test func browsesResizesAndQuitsRestoringTheTerminal() throws {
        let (dir, _) = try explorer.openExplorer()
        defer { explorer.close(dir) }
        var shown = try explorer.screen()
        #expect(shown.contains("Sessions of user 1"))
        try explorer.tmux("send-keys -t \(explorer.socket) j")
        shown = try explorer.waitFor("Sessions of user 2")
        #expect(shown.contains("Sessions of user 2"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) 3")
        shown = try explorer.waitFor("Long tail")
        #expect(shown.contains("96,807"), "\(shown)")
        try explorer.tmux("resize-window -t \(explorer.socket) -x 60 -y 20")
        shown = try explorer.waitFor("Counts")
        #expect(shown.split(separator: "\n").allSatisfy { $0.count <= 60 })
        try explorer.tmux("resize-window -t \(explorer.socket) -x 30 -y 10")
        shown = try explorer.waitFor("too small")
        #expect(shown.lowercased().contains("too small"), "\(shown)")
        try explorer.tmux("resize-window -t \(explorer.socket) -x 120 -y 40")
        _ = try explorer.waitFor("Long tail")
        try explorer.quitAndCheckRestored(dir)
    }

    @Test func simulatesAUserTurnByTurnAndQuits() throws {
        let (dir, _) = try explorer.openExplorer()
        defer { explorer.close(dir) }
        try explorer.tmux("send-keys -t \(explorer.socket) 7")
        var shown = try explorer.waitFor("Turn 0", seconds: 30)
        #expect(shown.contains("Turn 0") && shown.contains("Mindset"), "\(shown)")
        for turn in 1...3 {
            try explorer.tmux("send-keys -t \(explorer.socket) n")
            shown = try explorer.waitFor("Turn \(turn):")
        }
        #expect(shown.contains("Turn 3:") && shown.contains("agent: turn 3"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) i")
        try explorer.tmux("send-keys -t \(explorer.socket) -l 'more crime'")
        try explorer.tmux("send-keys -t \(explorer.socket) Enter n")
        shown = try explorer.waitFor("heard \"more crime\"")
        #expect(shown.contains("Turn 4:") && shown.contains("boost Crime"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) P")
        // Five configurations of 200 sessions and a fitted prior, in a debug build on a shared machine.
        shown = try explorer.waitFor("━ cascade", seconds: 240)
        #expect(shown.contains("━ baseline") && shown.contains("━ feedback") && shown.contains("━ ts"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) p n")
        shown = try explorer.waitFor("Belief: feedback", seconds: 60)
        #expect(shown.contains("policy feedback"), "\(shown)")
        try explorer.tmux("send-keys -t \(explorer.socket) q")
        #expect(explorer.exitCode(dir) == "0")
    }

    @Test func refusesTerminalsThatCannotAddressTheCursor() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, term) in ["dumb", "no-such-terminal"].enumerated() {
            // A server of its own for each case: a new session on a socket whose server is still
            // shutting down can fail.
            let socket = "\(explorer.socket)-\(n)"
            defer { _ = try? Binary.shell("tmux -L \(socket) kill-server") }
            let status = dir + "/status-\(n)"
            let command = "LANG=C.UTF-8 TERM=\(term) '\(Binary.path)' tui --demo; echo \\$? > '\(status)'; sleep 30"
            try Binary.shell("tmux -L \(socket) new-session -d -s \(socket) -x 80 -y 24 \"\(command)\"")
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: status) { usleep(50_000) }
            usleep(100_000)
            let shown = try Binary.shell("tmux -L \(socket) capture-pane -p -t \(socket)")
            let code = (try? String(contentsOfFile: status, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(code == "1", "TERM=\(term): \(shown)")
            #expect(shown.contains("TERM=\(term)"), "\(shown)")
        }
    }
}
