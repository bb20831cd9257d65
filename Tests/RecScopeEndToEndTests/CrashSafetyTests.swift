import Foundation
import Testing

/// An import killed with SIGKILL at any moment leaves the catalog sound and holding either all of that
/// import or none of it (SQLite's atomic commit, one transaction per import).
@Suite struct CrashSafetyTests {
    /// A RecBole .inter of `rows` interactions over fresh ids, deterministic.
    static func interFile(rows: Int, prefix: String) -> String {
        var text = "user_id:token\titem_id:token\ttimestamp:float\n"
        text.reserveCapacity(rows * 24)
        var x: UInt64 = 0x2545F4914F6CDD1D
        for n in 0..<rows {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            text += "\(prefix)u\(x % 5000)\t\(prefix)i\((x >> 20) % 3000)\t\(1_600_000_000 + n)\n"
        }
        return text
    }

    @Test func killedImportLeavesAllOrNothing() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        let base = dir + "/base.inter"
        try Self.interFile(rows: 500, prefix: "b").write(toFile: base, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", base]).status == 0)
        let big = dir + "/big.inter"
        let rows = 150_000
        try Self.interFile(rows: rows, prefix: "k").write(toFile: big, atomically: true, encoding: .utf8)
        // Time one full import into a scratch catalog, then kill trials at spread-out points within it.
        let started = Date()
        #expect(try Binary.run(["import", "--catalog", dir + "/scratch.sqlite", "--format", "recbole", big]).status == 0)
        let full = Date().timeIntervalSince(started)
        _ = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA wal_checkpoint(TRUNCATE)'")
        let pristine = dir + "/pristine.sqlite"
        try FileManager.default.copyItem(atPath: catalog, toPath: pristine)
        var outcomes: [String] = []
        // Kill points spread over the import (golden-ratio steps), each trial from the same starting catalog.
        for trial in 0..<KillTrial.count(default: 4) {
            try KillTrial.restore(pristine, to: catalog)
            let fraction = 0.2 + 0.9 * (Double(trial) * 0.618_034).truncatingRemainder(dividingBy: 1)
            let outcome = try KillTrial.run(["import", "--catalog", catalog, "--format", "recbole", big],
                                            killAfterMs: Int(full * fraction * 1000))
            let check = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA integrity_check' 'SELECT COUNT(*) FROM interactions'")
                .split(separator: "\n").map(String.init)
            #expect(check.first == "ok", "trial \(trial): \(check)")
            let count = Int(check.last ?? "") ?? -1
            #expect(count == 500 || count == 500 + rows, "trial \(trial): \(count) interactions")
            outcomes.append("\(outcome.killedWhileRunning ? "killed" : "finished"):\(count)")
        }
        print("crash-safety outcomes (state:interactions): \(outcomes)")
        // At least one kill landed while the import ran, and it left nothing of that import behind.
        #expect(outcomes.contains("killed:500"), "\(outcomes)")
    }

    /// A brand-new catalog is built aside and linked into place: killed at any moment, the catalog path
    /// either does not exist or holds the whole import, and the next import clears the abandoned file.
    @Test func killedImportIntoANewCatalogLeavesNoneOrAll() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = dir + "/big.inter"
        let rows = 150_000
        try Self.interFile(rows: rows, prefix: "n").write(toFile: big, atomically: true, encoding: .utf8)
        let started = Date()
        #expect(try Binary.run(["import", "--catalog", dir + "/scratch.sqlite", "--format", "recbole", big]).status == 0)
        let full = Date().timeIntervalSince(started)
        var outcomes: [String] = []
        for trial in 0..<3 {
            let catalog = dir + "/new\(trial).sqlite"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = ["import", "--catalog", catalog, "--format", "recbole", big]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(full * (0.3 + 0.3 * Double(trial)) * 1_000_000))
            let killed = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: catalog) {
                let check = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA integrity_check' 'SELECT COUNT(*) FROM interactions'")
                    .split(separator: "\n").map(String.init)
                #expect(check == ["ok", "\(rows)"], "trial \(trial): \(check)")
                outcomes.append("\(killed ? "killed" : "finished"):all")
            } else {
                outcomes.append("\(killed ? "killed" : "finished"):none")
                #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", big]).status == 0)
                let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".importing-") }
                #expect(!left.contains { $0.hasPrefix("new\(trial).sqlite") }, "\(left)")
            }
        }
        print("new-catalog crash outcomes: \(outcomes)")
        #expect(outcomes.contains("killed:none"), "\(outcomes)")
    }
}
