import Foundation
import Testing

/// The real explorer in a tmux server of its own (one socket per suite, so suites may run side by side):
/// start it on a copy of the sample catalog, send keys, read the screen, quit.
struct TmuxExplorer {
    let socket: String

    @discardableResult
    func tmux(_ args: String) throws -> String { try Binary.shell("tmux -L \(socket) \(args)") }

    func screen() throws -> String { try tmux("capture-pane -p -t \(socket)") }

    /// Waits (up to `seconds`) until the screen contains `text`; returns the last screen read.
    func waitFor(_ text: String, seconds: Double = 10) throws -> String {
        var last = ""
        for _ in 0..<Int(seconds * 20) {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        return last
    }

    /// Opens the explorer at 120×40 on a fresh import of the sample data; its exit code goes to `dir/status`
    /// and the terminal modes after it to `dir/stty`. Returns the folder and the catalog path.
    func openExplorer(term: String = "xterm-256color") throws -> (dir: String, catalog: String) {
        let dir = try Binary.temporaryDirectory()
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"]).status == 0)
        let command = "LANG=C.UTF-8 TERM=\(term) '\(Binary.path)' tui --catalog '\(catalog)'; echo \\$? > '\(dir)/status'; stty -a > '\(dir)/stty'; sleep 60"
        try tmux("new-session -d -s \(socket) -x 120 -y 40 \"\(command)\"")
        let shown = try waitFor("Users (2,000)")
        #expect(shown.contains("Users (2,000)"), "\(shown)")
        return (dir, catalog)
    }

    /// The explorer's exit code once it has exited (waits up to 5 s), nil when it has not.
    func exitCode(_ dir: String) -> String? {
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: dir + "/status") { usleep(50_000) }
        return (try? String(contentsOfFile: dir + "/status", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Quits with `q` from the first view and checks the exit code and the restored terminal modes.
    func quitAndCheckRestored(_ dir: String) throws {
        try tmux("send-keys -t \(socket) 1 q")
        #expect(exitCode(dir) == "0")
        usleep(200_000)
        let stty = (try? String(contentsOfFile: dir + "/stty", encoding: .utf8)) ?? ""
        #expect(stty.contains(" icanon") && stty.contains(" echo"), "terminal not restored: \(stty)")
    }

    /// Stops the server and removes the folder.
    func close(_ dir: String) {
        _ = try? tmux("kill-server")
        try? FileManager.default.removeItem(atPath: dir)
    }
}
