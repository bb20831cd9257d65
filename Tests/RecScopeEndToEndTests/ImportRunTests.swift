import Foundation
import Testing

/// `recscope import-run`: a run exported by `export-run` and imported back evaluates exactly as the model that
/// made it, and bad runs are refused whole, with the file, the line and what was expected.
@Suite(.serialized) struct ImportRunTests {
    /// A small synthetic catalog (150 users, 200 items) in a fresh directory.
    static func catalog() throws -> (dir: String, catalog: String) {
        let dir = try Binary.temporaryDirectory()
        let synth = try Binary.run(["synth", "--seed", "3", "--users", "150", "--items", "200", "--interactions-per-user", "12",
                                    "--out", dir + "/data", "--name", "s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/data"])
        #expect(imported.status == 0, "\(imported.stderr)")
        return (dir, catalog)
    }

    static func json(_ result: Binary.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func exportedRunsImportBackWithIdenticalMetrics() throws {
        let (dir, catalog) = try Self.catalog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // TREC with rank-derived scores, and CSV with popularity's own (heavily tied) scores.
        #expect(try Binary.run(["export-run", "--catalog", catalog, "--model", "itemknn", "--k", "20", "--out", dir + "/knn.trec"]).status == 0)
        #expect(try Binary.run(["export-run", "--catalog", catalog, "--model", "pop", "--k", "20", "--format", "csv",
                                "--out", dir + "/pop.csv"]).status == 0)
        let knn = try Self.json(try Binary.run(["import-run", "--catalog", catalog, "--name", "knn", dir + "/knn.trec", "--json"]))
        #expect(knn["model"] as? String == "ext:knn" && knn["format"] as? String == "trec" && knn["max_depth"] as? Int == 20)
        let pop = try Self.json(try Binary.run(["import-run", "--catalog", catalog, "--name", "pop-csv", dir + "/pop.csv", "--json"]))
        #expect(pop["format"] as? String == "csv" && pop["score"] as? String == "file")

        let eval = try Self.json(try Binary.run(["eval", "--catalog", catalog, "--models", "itemknn,ext:knn,pop,ext:pop-csv",
                                                 "--k", "5,20", "--metrics", "all", "--json"]))
        let models = try #require(eval["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["itemknn", "ext:knn", "pop", "ext:pop-csv"])
        func metrics(_ n: Int) throws -> [String: Double] {
            let m = try #require(models[n]["metrics"] as? [String: Any])
            return m.compactMapValues { $0 as? Double }
        }
        for (a, b) in [(0, 1), (2, 3)] {
            let x = try metrics(a), y = try metrics(b)
            #expect(x.count > 40 && x.keys.contains("ndcg@20") && x.keys.contains("gini_our@5"))
            #expect(x == y, "\(models[a]["name"]!) vs \(models[b]["name"]!): \(x.filter { y[$0.key] != $0.value })")
        }
        #expect(models[1]["users_without_list"] as? Int == 0 && models[1]["fit_seconds"] as? Double == 0)

        // The run serves recommend and the simulator with no training.
        let rec = try Self.json(try Binary.run(["recommend", "--catalog", catalog, "--model", "ext:knn", "--user", "1", "--k", "3", "--json"]))
        #expect(rec["model"] as? String == "ext:knn" && (rec["items"] as? [Any])?.count ?? 0 > 0)
        let sim = try Self.json(try Binary.run(["simulate", "--catalog", catalog, "--model", "ext:knn", "--users", "5", "--turns", "3",
                                                "--seed", "1", "--json"]))
        #expect(sim["model"] as? String == "ext:knn")
    }

    @Test func unlistedUsersGetEmptyListsThatEvalCounts() throws {
        let (dir, catalog) = try Self.catalog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "user,item,rank\n1,1,1\n1,2,2\n2,3,1\n".write(toFile: dir + "/few.csv", atomically: true, encoding: .utf8)
        let imported = try Self.json(try Binary.run(["import-run", "--catalog", catalog, "--name", "few", dir + "/few.csv", "--json"]))
        #expect(imported["users_listed"] as? Int == 2 && imported["score"] as? String == "1/rank")
        let eval = try Self.json(try Binary.run(["eval", "--catalog", catalog, "--models", "ext:few", "--json"]))
        let users = try #require(eval["users"] as? Int)
        let row = try #require((eval["models"] as? [[String: Any]])?.first)
        #expect(users == 150 && row["users_without_list"] as? Int ?? -1 >= users - 2)
        let text = try Binary.run(["eval", "--catalog", catalog, "--models", "ext:few"])
        #expect(text.status == 0 && text.stdout.contains("note: ext:few gave no list to"))
    }

    @Test func badRunsAreRefusedWholeWithFileAndLine() throws {
        let (dir, catalog) = try Self.catalog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func importing(_ name: String, _ text: String, _ extra: [String] = []) throws -> Binary.Result {
            let path = dir + "/\(name).run"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return try Binary.run(["import-run", "--catalog", catalog, "--name", name, path] + extra)
        }
        let unknownUser = try importing("uu", "1 Q0 1 1 2 t\nnobody Q0 2 1 1 t\n")
        #expect(unknownUser.status != 0 && unknownUser.stderr.contains("uu.run: 1 unknown user on 1 line, e.g. 'nobody' (line 2)"))
        let unknownItem = try importing("ui", "1 Q0 1 1 2 t\n1 Q0 nothing 2 1 t\n2 Q0 nothing 1 1 t\n")
        #expect(unknownItem.status != 0 && unknownItem.stderr.contains("ui.run: 1 unknown item on 2 lines, e.g. 'nothing' (line 2)"))
        let malformed = try importing("bad", "1 Q0 1 1 2 t\n1 Q0 2 1\n")
        #expect(malformed.status != 0 && malformed.stderr.contains("bad.run:2: found 4 fields, expected 6"))
        let empty = try importing("empty", "")
        #expect(empty.status != 0 && empty.stderr.contains("empty.run: no run lines"))
        // Nothing of the refused runs was stored.
        for name in ["uu", "ui", "bad", "empty"] {
            let r = try Binary.run(["recommend", "--catalog", catalog, "--model", "ext:\(name)", "--user", "1"])
            #expect(r.status != 0 && r.stderr.contains("ext:\(name) is an imported run"), "\(r.stderr)")
        }
        // A second run of the same name is refused unless --replace.
        #expect(try importing("good", "1 Q0 1 1 2 t\n").status == 0)
        let again = try importing("good", "1 Q0 2 1 2 t\n")
        #expect(again.status != 0 && again.stderr.contains("already holds a run named ext:good; pass --replace"))
        #expect(try importing("good", "1 Q0 2 1 2 t\n", ["--replace"]).stdout.contains("replaced ext:good"))
        let rec = try Self.json(try Binary.run(["recommend", "--catalog", catalog, "--model", "ext:good", "--user", "1", "--json"]))
        let items = (rec["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String }
        #expect(items == ["2"] || items == [], "the replaced run lists item 2 unless user 1 has seen it: \(items ?? [])")
        let badName = try importing("a.b", "1 Q0 1 1 2 t\n")
        #expect(badName.status != 0 && badName.stderr.contains("may hold only ASCII letters"))
    }
}
