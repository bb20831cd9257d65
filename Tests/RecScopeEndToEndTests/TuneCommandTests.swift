import Foundation
import Testing

/// `recscope tune`: a grid judged on the valid rows, the best point stored and then used by eval.
@Suite struct TuneCommandTests {
    @Test func theBestPointIsStoredAndEvalTrainsWithIt() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let synth = try Binary.run(["synth", "--seed", "5", "--users", "60", "--items", "100", "--interactions-per-user", "15", "--out", dir + "/s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/s"]).status == 0)

        let r = try Binary.run(["tune", "--catalog", catalog, "--model", "itemknn", "--grid", "k=2,20 orient=history,candidate",
                                "--param", "threads=2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let points = try #require(doc["points"] as? [[String: Any]])
        // Four points, the last axis fastest.
        #expect(points.compactMap { ($0["params"] as? [String: String]).map { "\($0["k"]!)/\($0["orient"]!)" } }
                == ["2/history", "2/candidate", "20/history", "20/candidate"])
        let ndcg = points.map { ($0["metrics"] as! [String: Any])["ndcg@10"] as! Double }
        let best = try #require(doc["best"] as? [String: String])
        let top = ndcg.indices.max { ndcg[$0] < ndcg[$1] || (ndcg[$0] == ndcg[$1] && $0 > $1) }!
        // threads runs the fits but is not a parameter of the model: it is neither the best point's nor stored.
        #expect(best == (points[top]["params"] as? [String: String])?.filter { $0.key != "threads" })
        #expect(best["threads"] == nil && (points[top]["params"] as? [String: String])?["threads"] == "2")

        // The same grid point judged by eval --on valid gives the same NDCG@10 (the tuner's numbers are eval's).
        let check = try Binary.run(["eval", "--catalog", catalog, "--models", "itemknn", "--on", "valid", "--json",
                                    "--param", "k=\(best["k"]!)", "--param", "orient=\(best["orient"]!)"])
        #expect(check.status == 0, "\(check.stderr)")
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let metrics = try #require((checked["models"] as? [[String: Any]])?.first?["metrics"] as? [String: Any])
        #expect(abs((metrics["ndcg@10"] as? Double ?? -1) - ndcg[top]) < 1e-12)

        // eval now uses the tuned parameters, says so, and finds the tuner's stored model (no retraining).
        let eval = try Binary.run(["eval", "--catalog", catalog, "--models", "itemknn", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stderr.contains("itemknn uses its tuned parameters"), "\(eval.stderr)")
        let evaluated = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect((evaluated["models"] as? [[String: Any]])?.first?["trained_now"] as? Bool == false)

        // A --param still overrides a tuned value; --clear forgets them.
        let stored = try Binary.shell("sqlite3 '\(catalog)' \"SELECT params FROM tuned_params WHERE model = 'itemknn'\"")
        #expect(stored.contains("\"k\":\"\(best["k"]!)\"") && !stored.contains("threads"), "\(stored)")
        #expect(try Binary.run(["tune", "--catalog", catalog, "--model", "itemknn", "--clear"]).stdout.contains("forgotten"))
        let after = try Binary.run(["eval", "--catalog", catalog, "--models", "itemknn"])
        #expect(after.status == 0 && !after.stderr.contains("tuned parameters"), "\(after.stderr)")
    }

    @Test func badGridsAreRefusedBeforeAnythingTrains() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let synth = try Binary.run(["synth", "--seed", "5", "--users", "20", "--items", "50", "--interactions-per-user", "8", "--out", dir + "/s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/s"]).status == 0)
        for (grid, message) in [("factor=8,16", "factor"), ("factors=8,", "non-empty"), ("factors", "expected name=v1,v2"),
                                ("factors=8 factors=16", "twice"), ("factors=eight", "factors")] {
            let r = try Binary.run(["tune", "--catalog", catalog, "--model", "als", "--grid", grid])
            #expect(r.status != 0 && r.stderr.contains(message), "\(grid): \(r.stderr)")
        }
        let tables = try Binary.shell("sqlite3 '\(catalog)' 'SELECT count(*) FROM tuned_params; SELECT count(*) FROM models'")
        #expect(tables.split(separator: "\n") == ["0", "0"], "\(tables)")
    }
}
