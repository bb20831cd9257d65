import Foundation
import Testing

/// `recscope simulate` on the sample catalog: the JSON contract, storage, export, replay and --compare.
@Suite struct SimulateCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func simulateStoresExportsAndReplaysARun() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let args = ["simulate", "--catalog", catalog, "--model", "pop", "--users", "30", "--turns", "8", "--seed", "3", "--json"]
        let first = try Binary.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let doc = try json(first.stdout)
        for key in ["model", "agent", "users", "turns", "seed", "mean_session_length", "retention", "instructions", "ctr",
                    "recovery_rate", "diversity", "coverage", "satisfaction", "instruction_share", "run"] {
            #expect(doc[key] != nil, "missing \(key)")
        }
        #expect(doc["model"] as? String == "pop" && doc["agent"] as? Bool == true && doc["users"] as? Int == 30)
        #expect((doc["retention"] as? [Double])?.count == 8)
        let run = try #require(doc["run"] as? Int)
        let length = try #require(doc["mean_session_length"] as? Double)

        let out = dir + "/run.jsonl"
        let exported = try Binary.run(["simulate", "--catalog", catalog, "--export", String(run), "--out", out])
        #expect(exported.status == 0, "\(exported.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(Double(lines.count) == length * 30)
        let line = try json(String(lines[0]))
        #expect(line["run"] as? Int == run && line["turn"] as? Int == 1 && (line["slate"] as? [String])?.count == 10)

        let replayed = try Binary.run(["simulate", "--catalog", catalog, "--replay", String(run), "--threads", "1"])
        #expect(replayed.status == 0, "\(replayed.stdout) \(replayed.stderr)")
        #expect(replayed.stdout.contains("identical byte for byte"))

        // The same command again stores a second run with the same transcript, byte for byte.
        let again = try json(try Binary.run(args).stdout)
        let second = try #require(again["run"] as? Int)
        _ = try Binary.run(["simulate", "--catalog", catalog, "--export", String(second), "--out", dir + "/again.jsonl"])
        let strip = { (path: String) throws -> [String] in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.replacingOccurrences(of: "{\"run\":\(path == out ? run : second),", with: "{") }
        }
        #expect(try strip(out) == strip(dir + "/again.jsonl"))
        let otherSeed = try json(try Binary.run(args.map { $0 == "3" ? "4" : $0 }).stdout)
        #expect(otherSeed["satisfaction"] as? [Double] != doc["satisfaction"] as? [Double])
    }

    @Test func compareReportsPairedDifferencesAndBadOptionsFail() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        _ = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        let r = try Binary.run(["simulate", "--catalog", catalog, "--model", "pop", "--users", "20", "--turns", "6",
                                "--compare", "agent=off", "--no-store", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout)
        let compare = try #require(doc["compare"] as? [String: Any])
        #expect((compare["b"] as? [String: Any])?["agent"] as? Bool == false)
        let length = try #require((compare["differences"] as? [String: Any])?["session_length"] as? [String: Any])
        #expect((length["ci"] as? [Double])?.count == 2 && length["users"] as? Int == 20)

        let bad = try Binary.run(["simulate", "--catalog", catalog, "--agent", "maybe"])
        #expect(bad.status != 0 && bad.stderr.contains("expected on or off"))
        let knob = try Binary.run(["simulate", "--catalog", catalog, "--knob", "nonsense=1"])
        #expect(knob.status != 0 && knob.stderr.contains("unknown knob"))
        let missing = try Binary.run(["simulate", "--catalog", catalog, "--replay", "99"])
        #expect(missing.status != 0 && missing.stderr.contains("no simulation run 99"))
    }

    @Test func comparePoliciesStoresEveryArmAndALearningRunReplaysExactly() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        _ = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        let r = try Binary.run(["simulate", "--catalog", catalog, "--model", "pop", "--users", "20", "--turns", "6", "--seed", "2",
                                "--compare", "policy=static,ts,cascade", "--knob", "click_model=cascade", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try json(r.stdout)
        #expect(doc["compare"] as? String == "policy" && doc["click_model"] as? String == "cascade")
        let arms = try #require(doc["arms"] as? [[String: Any]])
        #expect(arms.map { $0["label"] as? String ?? "" } == [
            "static without instructions", "static with instructions", "ts with instructions", "ts without instructions",
            "cascade with instructions", "cascade without instructions",
        ])
        #expect((arms[0]["differences"] as? [String: Any])?.isEmpty == true)
        let length = try #require((arms[2]["differences"] as? [String: Any])?["session_length"] as? [String: Any])
        #expect((length["ci"] as? [Double])?.count == 2 && length["users"] as? Int == 20)
        #expect((doc["best_learning"] as? [String: Any])?["ratio_to_static_with_instructions"] is Double)
        let ts = try #require(arms[2]["run"] as? Int)
        #expect(arms[2]["policy"] as? String == "ts")

        let replayed = try Binary.run(["simulate", "--catalog", catalog, "--replay", String(ts), "--threads", "2"])
        #expect(replayed.status == 0, "\(replayed.stdout) \(replayed.stderr)")
        #expect(replayed.stdout.contains("identical byte for byte"))
        let list = try json(try Binary.run(["simulate", "--catalog", catalog, "--list", "--json"]).stdout)
        let policies = (list["runs"] as? [[String: Any]])?.compactMap { $0["policy"] as? String } ?? []
        #expect(Set(policies) == ["static", "ts", "cascade"] && policies.count == 6)

        let bad = try Binary.run(["simulate", "--catalog", catalog, "--policy", "greedy"])
        #expect(bad.status != 0 && bad.stderr.contains("static, feedback, ts, cascade"))
        let mixed = try Binary.run(["simulate", "--catalog", catalog, "--compare", "policy=ts,agent=off"])
        #expect(mixed.status != 0)
    }
}
