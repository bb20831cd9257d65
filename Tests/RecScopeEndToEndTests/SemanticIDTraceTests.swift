import Foundation
import Testing

/// `recommend --trace` for the sid beam and the rank stages, and stored sid models answering without retraining.
@Suite struct SemanticIDTraceTests {
    @Test func traceShowsTheBeamAndAStoredModelRecommendsWithoutRetraining() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let synth = try Binary.run(["synth", "--seed", "3", "--users", "60", "--items", "200", "--interactions-per-user", "20", "--out", dir + "/s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/s"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let small = ["--param", "sid.factors=8", "--param", "sid.iterations=3", "--param", "sid.codes=8", "--param", "sid.beam=4"]
        let train = try Binary.run(["train", "--catalog", catalog, "--model", "sid"] + small)
        #expect(train.status == 0, "\(train.stderr)")
        let stats = try Binary.run(["stats", "--catalog", catalog, "--json"])
        let users = try #require((try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["users"] as? Int)
        #expect(users == 60)
        let userID = try firstUser(catalog)
        let traced = try Binary.run(["recommend", "--catalog", catalog, "--model", "sid", "--user", userID, "--k", "5", "--trace", "--json"] + small)
        #expect(traced.status == 0, "\(traced.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(traced.stdout.utf8)) as? [String: Any])
        let levels = try #require(doc["levels"] as? [[String: Any]])
        #expect(levels.count == 3)
        let beam = try #require(doc["beam"] as? Int)
        for level in levels { #expect(((level["kept"] as? [Any])?.count ?? 99) <= beam) }
        #expect((doc["items"] as? [Any])?.count == 5)
        let text = try Binary.run(["recommend", "--catalog", catalog, "--model", "sid", "--user", userID, "--k", "5", "--trace"] + small)
        #expect(text.stdout.contains("level 0: kept") && text.stdout.contains("keep"), "\(text.stdout)")
        // The stored model answers: no "trained now".
        let plain = try Binary.run(["recommend", "--catalog", catalog, "--model", "sid", "--user", userID, "--k", "5"] + small)
        #expect(plain.status == 0 && !plain.stdout.contains("trained now"), "\(plain.stdout)")
        let rank = try Binary.run(["recommend", "--catalog", catalog, "--model", "rank", "--user", userID, "--k", "5", "--trace",
                                   "--param", "rank.candidates=10", "--param", "rank.sid.factors=8", "--param", "rank.sid.iterations=3",
                                   "--param", "rank.sid.codes=8"])
        #expect(rank.status == 0, "\(rank.stderr)")
        #expect(rank.stdout.contains("candidates merged") && rank.stdout.contains("itemknn"), "\(rank.stdout)")
        let other = try Binary.run(["recommend", "--catalog", catalog, "--model", "als", "--user", userID, "--trace"])
        #expect(other.status != 0 && other.stderr.contains("--trace works with --model sid"))
    }

    func firstUser(_ catalog: String) throws -> String {
        try Binary.shell("sqlite3 '\(catalog)' 'SELECT external_id FROM users ORDER BY idx LIMIT 1'").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
