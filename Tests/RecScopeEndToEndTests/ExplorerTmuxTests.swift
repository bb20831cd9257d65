import Foundation
import Testing

/// The explorer driven in a real terminal: tmux runs the binary, sends keys, resizes, reads the screen.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "tmux is not installed"))
struct ExplorerTmuxTests {
    let session = "recscope-e2e-\(getpid())"

    func tmux(_ args: String) throws -> String { try Binary.shell("tmux -L \(session) \(args)") }

    func screen() throws -> String { try tmux("capture-pane -p -t \(session)") }

    /// Waits (up to `seconds`) until the screen contains `text`.
    func waitFor(_ text: String, seconds: Int = 10) throws -> String {
        var last = ""
        for _ in 0..<(20 * seconds) {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        return last
    }

    @Test func browsesResizesAndQuitsRestoringTheTerminal() throws {
        let dir = try Binary.temporaryDirectory()
        defer {
            _ = try? tmux("kill-server")
            try? FileManager.default.removeItem(atPath: dir)
        }
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        #expect(imported.status == 0)
        let status = dir + "/status"
        let command = "LANG=C.UTF-8 TERM=xterm-256color '\(Binary.path)' tui --catalog '\(catalog)'; echo \\$? > '\(status)'; stty -a > '\(dir)/stty'; sleep 60"
        try tmux("new-session -d -s \(session) -x 120 -y 40 \"\(command)\"")
        var shown = try waitFor("Users (2,000)")
        #expect(shown.contains("Users (2,000)"), "\(shown)")
        #expect(shown.contains("Sessions of user 1"))
        try tmux("send-keys -t \(session) j")
        shown = try waitFor("Sessions of user 2")
        #expect(shown.contains("Sessions of user 2"), "\(shown)")
        try tmux("send-keys -t \(session) 3")
        shown = try waitFor("Long tail")
        #expect(shown.contains("96,807"), "\(shown)")
        try tmux("resize-window -t \(session) -x 60 -y 20")
        shown = try waitFor("Counts")
        #expect(shown.split(separator: "\n").allSatisfy { $0.count <= 60 })
        try tmux("resize-window -t \(session) -x 30 -y 10")
        shown = try waitFor("too small")
        #expect(shown.lowercased().contains("too small"), "\(shown)")
        try tmux("resize-window -t \(session) -x 120 -y 40")
        _ = try waitFor("Long tail")
        try tmux("send-keys -t \(session) 1 q")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: status) { usleep(50_000) }
        let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == "0")
        usleep(200_000)
        let stty = (try? String(contentsOfFile: dir + "/stty", encoding: .utf8)) ?? ""
        #expect(stty.contains(" icanon") && stty.contains(" echo"), "terminal not restored: \(stty)")
    }

    @Test func simulatesAUserTurnByTurnAndQuits() throws {
        let dir = try Binary.temporaryDirectory()
        defer {
            _ = try? tmux("kill-server")
            try? FileManager.default.removeItem(atPath: dir)
        }
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        #expect(imported.status == 0)
        let status = dir + "/status"
        let command = "LANG=C.UTF-8 TERM=xterm-256color '\(Binary.path)' tui --catalog '\(catalog)'; echo \\$? > '\(status)'; sleep 60"
        try tmux("new-session -d -s \(session) -x 120 -y 40 \"\(command)\"")
        _ = try waitFor("Users (2,000)")
        try tmux("send-keys -t \(session) 7")
        var shown = try waitFor("Turn 0", seconds: 30)
        #expect(shown.contains("Turn 0") && shown.contains("Mindset"), "\(shown)")
        for turn in 1...3 {
            try tmux("send-keys -t \(session) n")
            shown = try waitFor("Turn \(turn):")
        }
        #expect(shown.contains("Turn 3:") && shown.contains("agent: turn 3"), "\(shown)")
        try tmux("send-keys -t \(session) i")
        try tmux("send-keys -t \(session) -l 'more crime'")
        try tmux("send-keys -t \(session) Enter n")
        shown = try waitFor("heard \"more crime\"")
        #expect(shown.contains("Turn 4:") && shown.contains("boost Crime"), "\(shown)")
        try tmux("send-keys -t \(session) P")
        shown = try waitFor("baseline", seconds: 60)  // 400 sessions in a debug build on a shared machine
        #expect(shown.contains("━ agent"), "\(shown)")
        try tmux("send-keys -t \(session) q")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: status) { usleep(50_000) }
        let code = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(code == "0")
    }

    @Test func refusesTerminalsThatCannotAddressTheCursor() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (n, term) in ["dumb", "no-such-terminal"].enumerated() {
            // A server of its own for each case: a new session on a socket whose server is still
            // shutting down can fail.
            let socket = "\(session)-\(n)"
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
