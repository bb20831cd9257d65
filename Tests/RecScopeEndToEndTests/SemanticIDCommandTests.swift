import Foundation
import Testing

/// `recscope embeddings` and `recscope sid`, on the real binary and the sample catalog (small settings).
@Suite struct SemanticIDCommandTests {
    @Test func buildStatsAndImportOnTheSampleCatalog() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let built = try Binary.run(["sid", "build", "--catalog", catalog, "--space", "content", "--dim", "8",
                                    "--levels", "2", "--codes", "8", "--iterations", "5", "--json"])
        #expect(built.status == 0, "\(built.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as? [String: Any])
        #expect(doc["levels"] as? Int == 2)
        #expect(doc["codes_per_level"] as? [Int] == [8, 8])
        #expect(doc["items"] as? Int == 3000)
        let used = try #require(doc["used_per_level"] as? [Int])
        #expect(used.count == 2 && used.allSatisfy { $0 > 0 && $0 <= 8 })
        let perplexity = try #require(doc["perplexity_per_level"] as? [Double])
        #expect(perplexity.allSatisfy { $0 >= 1 && $0 <= 8 })
        let collisions = try #require(doc["collision_rate"] as? Double)
        #expect(collisions > 0 && collisions < 1)   // 3,000 items on at most 64 paths
        let purity = try #require(doc["category_purity"] as? [Double])
        let baseline = try #require(doc["category_purity_baseline"] as? Double)
        #expect(purity.count == 2 && purity[0] > baseline)
        #expect((doc["co_consumption_lift"] as? [Double])?.count == 2)

        let stats = try Binary.run(["sid", "stats", "--catalog", catalog, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect(again["collision_rate"] as? Double == collisions)
        let text = try Binary.run(["sid", "stats", "--catalog", catalog, "--space", "content"])
        #expect(text.stdout.contains("collision rate"), "\(text.stderr)")

        // Import: a CSV with an unknown id fails naming the file and line; a good one is stored.
        let bad = dir + "/bad.csv"
        try "item_id,v1,v2\n1,0.5,1\nnot-an-item,1,2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try Binary.run(["embeddings", "import", "--catalog", catalog, bad, "--name", "mine"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(bad):3: unknown item id 'not-an-item'"), "\(refused.stderr)")
        let good = dir + "/good.csv"
        try ("item_id,v1,v2\n" + (1...3000).map { "\($0),\($0 % 7),\($0 % 5)" }.joined(separator: "\n")).write(toFile: good, atomically: true, encoding: .utf8)
        let accepted = try Binary.run(["embeddings", "import", "--catalog", catalog, good, "--name", "mine"])
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let list = try Binary.run(["embeddings", "list", "--catalog", catalog])
        #expect(list.stdout.contains("mine  3000 items × 2"), "\(list.stdout)")
        let ambiguous = try Binary.run(["sid", "build", "--catalog", catalog, "--space", "mine", "--codes", "4", "--levels", "2"])
        #expect(ambiguous.status == 0, "\(ambiguous.stderr)")
        let pick = try Binary.run(["sid", "stats", "--catalog", catalog])
        #expect(pick.status == 1)
        #expect(pick.stderr.contains("pick one with --space"))
    }

    /// `sid` with `space=S`: a clear error without stored codes; a stored model keeps its codes after `sid build`.
    @Test func sidSearchesAStoredSpaceAndKeepsItsCodes() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", Binary.projectRoot + "/sample-data"]).status == 0)
        let small = ["--param", "factors=8", "--param", "iterations=3", "--param", "beam=4"]
        let missing = try Binary.run(["train", "--catalog", catalog, "--model", "sid", "--param", "space=content"] + small)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no semantic IDs for space 'content'")
                && missing.stderr.contains("recscope sid build --catalog \(catalog) --space content"), "\(missing.stderr)")
        let build = ["sid", "build", "--catalog", catalog, "--space", "content", "--dim", "8", "--levels", "2", "--codes", "8", "--iterations", "5"]
        #expect(try Binary.run(build).status == 0)
        #expect(try Binary.run(["train", "--catalog", catalog, "--model", "sid", "--param", "space=content"] + small).status == 0)
        let ask = ["recommend", "--catalog", catalog, "--model", "sid", "--user", "1", "--k", "5", "--json", "--param", "space=content"] + small
        func items(_ r: Binary.Result) throws -> [String] {
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
            return (doc["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        }
        let before = try items(try Binary.run(ask))
        #expect(before.count == 5)
        #expect(try Binary.run(build + ["--seed", "9", "--codes", "3"]).status == 0)
        #expect(try items(try Binary.run(ask)) == before, "the stored model still uses the codes it was trained with")
    }
}
