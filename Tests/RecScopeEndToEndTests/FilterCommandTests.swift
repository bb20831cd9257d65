import Foundation
import Testing

/// `recscope filter` through the real binary: the report, the JSON, dates, refusals, and an untouched source.
@Suite struct FilterCommandTests {
    @Test func writesADerivedCatalogAndLeavesTheSourceAlone() throws {
        let (dir, catalog) = try ImportRunTests.catalog()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Binary.run(["eval", "--catalog", catalog, "--models", "pop"]).status == 0)  // stores the loo split
        // Opening a catalog bumps its schema cookie, so compare what it holds, not its bytes: the stats and an export.
        func content() throws -> String {
            let export = try Binary.run(["export", "--catalog", catalog, "--out", dir + "/dump", "--name", "d"])
            #expect(export.status == 0)
            return try Binary.run(["stats", "--catalog", catalog, "--json"]).stdout
                + (try ["user", "item", "inter"].map { try String(contentsOfFile: dir + "/dump/d.\($0)", encoding: .utf8) }.joined())
        }
        let sourceContent = try content()
        let out = dir + "/core.sqlite"
        let r = try ImportRunTests.json(try Binary.run(["filter", "--catalog", catalog, "--out", out, "--k-core", "3",
                                                        "--since", "2023-03-01", "--json"]))
        let steps = try #require(r["steps"] as? [[String: Any]])
        let names = steps.compactMap { $0["step"] as? String }.filter { $0 != "users and items without interactions" }
        #expect(names.first == "time window" && names.count > 1 && names.dropFirst().allSatisfy { $0.hasPrefix("3-core, round") }, "\(names)")
        let result = try #require(r["result"] as? [String: Any])
        let source = try #require(r["source"] as? [String: Any])
        let removed = steps.reduce(0) { $0 + ($1["interactions_removed"] as? Int ?? 0) }
        #expect(result["interactions"] as? Int == (source["interactions"] as? Int ?? 0) - removed && removed > 0)
        #expect(result["splits"] as? [String] == ["loo"])
        let stats = try ImportRunTests.json(try Binary.run(["stats", "--catalog", out, "--json"]))
        #expect(stats["interactions"] as? Int == result["interactions"] as? Int)
        #expect(try content() == sourceContent)

        let text = try Binary.run(["filter", "--catalog", catalog, "--out", dir + "/sample.sqlite", "--sample-users", "0.5", "--seed", "3"])
        #expect(text.status == 0 && text.stdout.contains("sample 0.5 of users (seed 3)") && text.stdout.contains("wrote \(dir)/sample.sqlite: 75 users"))
        let exists = try Binary.run(["filter", "--catalog", catalog, "--out", out, "--k-core", "2"])
        #expect(exists.status != 0 && exists.stderr.contains("already exists; pass --force"))
        #expect(try Binary.run(["filter", "--catalog", catalog, "--out", out, "--k-core", "2", "--force"]).status == 0)
        let badDate = try Binary.run(["filter", "--catalog", catalog, "--out", dir + "/x.sqlite", "--until", "yesterday"])
        #expect(badDate.status != 0 && badDate.stderr.contains("--until yesterday: expected seconds since 1970 or an ISO date"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.sqlite"))
    }
}
