import Foundation
import Testing

/// `recommend --explain` for every model: text, and JSON whose items carry `contributions: [{item, title,
/// contribution}]` that add up to the score wherever the model's score is a sum.
@Suite struct ExplainCommandTests {
    static let small = ["--param", "als.factors=8", "--param", "als.iterations=3", "--param", "bpr.factors=8", "--param", "bpr.epochs=20",
                        "--param", "sid.factors=8", "--param", "sid.iterations=3", "--param", "sid.codes=8", "--param", "sid.beam=4",
                        "--param", "rank.candidates=10", "--param", "rank.sid.factors=8", "--param", "rank.sid.iterations=3",
                        "--param", "rank.sid.codes=8", "--param", "sasrec.epochs=2", "--param", "sasrec.dim=16",
                        "--param", "bert4rec.epochs=2", "--param", "bert4rec.dim=16", "--param", "sidgen.epochs=2", "--param", "sidgen.dim=16",
                        "--param", "sidgen.codes=8"]

    @Test func everyModelExplainsItsItems() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let synth = try Binary.run(["synth", "--seed", "5", "--users", "50", "--items", "120", "--interactions-per-user", "15", "--out", dir + "/s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/s"]).status == 0)
        let user = try Binary.shell("sqlite3 '\(catalog)' 'SELECT external_id FROM users ORDER BY idx LIMIT 1'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let exact: Set<String> = ["pop", "itemknn", "ease", "als", "sid", "rank", "bpr", "sidgen"]
        for model in ["pop", "itemknn", "als", "bpr", "ease", "sid", "rank", "sasrec", "bert4rec", "sidgen"] {
            let r = try Binary.run(["recommend", "--catalog", catalog, "--model", model, "--user", user, "--k", "4", "--explain", "--json"] + Self.small)
            #expect(r.status == 0, "\(model): \(r.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(model)")
            let items = try #require(doc["items"] as? [[String: Any]])
            #expect(items.count == 4, "\(model)")
            for item in items {
                let contributions = try #require(item["contributions"] as? [[String: Any]], "\(model)")
                #expect(contributions.allSatisfy { $0["item"] is String && $0["contribution"] is Double && $0.keys.contains("title") }, "\(model)")
                #expect(item["terms"] is [[String: Any]])
                let score = try #require(item["score"] as? Double)
                if exact.contains(model) {
                    let explained = try #require(item["explained_score"] as? Double, "\(model) has no explained score")
                    #expect(abs(explained - score) <= 1e-4 * max(1, abs(score)), "\(model): parts \(explained), score \(score)")
                }
                if ["itemknn", "ease", "als"].contains(model) {
                    let sum = contributions.reduce(0.0) { $0 + ($1["contribution"] as! Double) }
                    #expect(abs(sum - score) <= 1e-4 * max(1, abs(score)), "\(model): contributions \(sum), score \(score)")
                }
            }
            if model == "pop" { #expect((items[0]["detail"] as? [String: Any])?["kind"] as? String == "popularity") }
            if model == "sid" { #expect((items[0]["detail"] as? [String: Any])?["kind"] as? String == "semantic_path") }
            if model == "rank" { #expect((items[0]["detail"] as? [String: Any])?["kind"] as? String == "ranker") }
            if model == "sasrec" { #expect(items[0]["basis"] as? String == "attention") }
        }
        let text = try Binary.run(["recommend", "--catalog", catalog, "--model", "ease", "--user", user, "--k", "2", "--explain"] + Self.small)
        #expect(text.status == 0 && text.stdout.contains("#1 ") && text.stdout.contains("add up to"), "\(text.stdout)")
        let both = try Binary.run(["recommend", "--catalog", catalog, "--model", "ease", "--user", user, "--explain", "--trace"])
        #expect(both.status != 0 && both.stderr.contains("--trace and --explain"))
    }
}
