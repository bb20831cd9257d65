import Foundation
import Testing

/// `recscope export --format recbole` writes files that `import --format recbole` reads back to the same catalog.
@Suite struct ExportTests {
    @Test func sampleExportsAndReimportsToTheSameStats() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = dir + "/first.sqlite", second = dir + "/second.sqlite"
        #expect(try Binary.run(["import", "--catalog", first, "--format", "recbole", Binary.projectRoot + "/sample-data"]).status == 0)
        let export = try Binary.run(["export", "--catalog", first, "--format", "recbole", "--out", dir + "/out", "--json"])
        #expect(export.status == 0, "\(export.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(doc["interactions"] as? Int == 96_807)
        #expect(FileManager.default.fileExists(atPath: dir + "/out/first.inter"))
        #expect(try Binary.run(["import", "--catalog", second, "--format", "recbole", dir + "/out"]).status == 0)
        // Every statistic agrees; only the catalog's own path differs.
        func stats(_ catalog: String) throws -> String {
            try Binary.run(["stats", "--catalog", catalog, "--json"]).stdout.split(separator: "\n")
                .filter { !$0.contains("\"catalog\"") }.joined(separator: "\n")
        }
        let a = try stats(first), b = try stats(second)
        #expect(a.contains("\"interactions\" : 96807") && a == b)
        let unknown = try Binary.run(["export", "--catalog", first, "--format", "parquet", "--out", dir + "/x"])
        #expect(unknown.status != 0 && unknown.stderr.contains("expected recbole"))
    }
}
