import Foundation
import Testing

/// The command-line contract, checked on the real binary.
@Suite struct CommandLineTests {
    @Test func importThenStatsAsJSON() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        let sample = Binary.projectRoot + "/sample-data"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", sample])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 96807 interactions"))
        let again = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", sample])
        #expect(again.status == 0)
        #expect(again.stdout.contains("Already imported"))
        let stats = try Binary.run(["stats", "--catalog", catalog, "--json"])
        #expect(stats.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(json["users"] as? Int == 2000)
        #expect(json["items"] as? Int == 3000)
        #expect(json["interactions"] as? Int == 96_807)
        #expect(json["sessions"] as? Int == 28_419)
        // Evaluation: full ranking by default; sampled only on request, and labelled so.
        let full = try Binary.run(["eval", "--catalog", catalog, "--models", "pop", "--json"])
        #expect(full.status == 0, "\(full.stderr)")
        let fullDoc = try #require(try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])
        #expect(fullDoc["candidates"] as? String == "full")
        let models = try #require(fullDoc["models"] as? [[String: Any]])
        let recall = try #require((models.first?["metrics"] as? [String: Any])?["recall@10"] as? Double)
        #expect(abs(recall - 0.0805) < 0.0005)
        let sampled = try Binary.run(["eval", "--catalog", catalog, "--models", "pop", "--sampled", "50"])
        #expect(sampled.status == 0)
        #expect(sampled.stdout.contains("SAMPLED"))
        let check = try Binary.shell("sqlite3 '\(catalog)' 'PRAGMA integrity_check'")
        #expect(check.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    /// Pane 7's population run (`P`) and `recscope simulate` run the same users with the same seeds, and a
    /// learning policy starts from the same fitted prior.
    @Test func explorerPopulationMatchesTheSimulateCommand() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"]).status == 0)
        let keys = dir + "/keys.txt"
        try "7 P".write(toFile: keys, atomically: true, encoding: .utf8)
        let played = try Binary.run(["tui", "--catalog", catalog, "--play", keys, "--size", "120x40"])
        #expect(played.status == 0, "\(played.stderr)")
        // The legend names the baseline (static without instructions) and each policy with instructions.
        for (policy, agent, label) in [("static", "off", "baseline"), ("static", "on", "static"), ("feedback", "on", "feedback")] {
            let run = try Binary.run(["simulate", "--catalog", catalog, "--model", "pop", "--users", "200", "--turns", "20",
                                      "--seed", "1", "--agent", agent, "--policy", policy, "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let mean = try #require(doc["mean_session_length"] as? Double)
            let ctr = try #require(doc["ctr"] as? Double)
            let expected = "━ " + label.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: " %5.1f turns · CTR %.2f", mean, ctr)
            #expect(played.stdout.contains(expected), "expected \(expected) in\n\(played.stdout.suffix(2000))")
        }
    }

    @Test func badInputExitsNonZeroNamingFileAndLine() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.inter"
        try "user_id:token\titem_id:token\trating:float\nu1\ti1\t4\nu2\ti2\tlots\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["import", "--catalog", dir + "/c.sqlite", "--format", "recbole", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):3: column 'rating' expected a number, found 'lots'"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let missing = try Binary.run(["stats", "--catalog", dir + "/nothing.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such catalog"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/nothing.sqlite"))
    }

    @Test func synthIsDeterministic() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["a", "b"] {
            let r = try Binary.run(["synth", "--seed", "3", "--users", "50", "--items", "200", "--interactions-per-user", "20", "--out", dir + "/" + name])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for ext in ["inter", "item", "user"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a/sample." + ext))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b/sample." + ext))
            #expect(a == b && !a.isEmpty)
        }
    }

    @Test func explorerRefusesWithoutATerminal() throws {
        let r = try Binary.run(["tui", "--demo"])
        #expect(r.status != 0)
        #expect(r.stderr.lowercased().contains("terminal"), "\(r.stderr)")
    }
}
