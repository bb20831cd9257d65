import Foundation
import GRDB
import Testing
@testable import RecCatalog

@Suite struct ModelStoreTests {
    @Test func splitsAndModelsRoundTripExactly() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        let holdout = [HoldoutRow(interaction: 7, user: 1, item: 2, role: .test),
                       HoldoutRow(interaction: 3, user: 0, item: 5, role: .valid)]
        try catalog.saveSplit(name: "loo", kind: "loo", params: ["interactions": "10"], holdout: holdout)
        let split = try #require(try catalog.loadSplit(name: "loo"))
        #expect(split.kind == "loo" && split.params == ["interactions": "10"])
        #expect(split.holdout == holdout.sorted { $0.interaction < $1.interaction })

        let weird: [Float] = [1.5, -0.0, .infinity, .leastNonzeroMagnitude, 3e38, -7]
        let artifact = StoredArtifact(userCount: 3, itemCount: 2, arrays: [
            "w": StoredArray(rows: 2, cols: 3, values: weird), "empty": StoredArray(rows: 0, cols: 4, values: [])])
        let id = try catalog.saveModel(name: "als", kind: "als", split: "loo", params: ["factors": "3"],
                                       artifact: artifact, fitSeconds: 0.25)
        let loaded = try #require(try catalog.loadModel(name: "als", split: "loo"))
        #expect(loaded.id == id && loaded.kind == "als" && loaded.split == "loo" && loaded.fitSeconds == 0.25)
        #expect(loaded.params == ["factors": "3"] && loaded.artifact == artifact)
        #expect(try catalog.loadModel(name: "als", split: nil) == nil)

        // The BLOB is little-endian float32, row-major, as sqlite3 users read it.
        let bytes = try catalog.pool.read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM model_arrays WHERE model = ? AND name = 'w'", arguments: [id])!
        }
        #expect(Array(bytes.prefix(4)) == [0x00, 0x00, 0xC0, 0x3F])  // 1.5

        // Saving again under the same name and split replaces; re-saving the split drops its models.
        try catalog.saveModel(name: "als", kind: "als", split: "loo", params: [:], artifact: artifact, fitSeconds: 1)
        #expect(try catalog.listModels().count == 1)
        try catalog.saveModel(name: "pop", kind: "pop", split: nil, params: [:], artifact: artifact, fitSeconds: 0)
        try catalog.saveModel(name: "pop", kind: "pop", split: nil, params: [:], artifact: artifact, fitSeconds: 0)
        #expect(try catalog.listModels().map(\.name) == ["pop", "als"])
        try catalog.saveSplit(name: "loo", kind: "loo", params: [:], holdout: [])
        #expect(try catalog.listModels().map(\.name) == ["pop"])
        #expect(throws: CatalogError.self) {
            try catalog.saveModel(name: "x", kind: "pop", split: "nope", params: [:], artifact: artifact, fitSeconds: 0)
        }
    }
}

@Suite struct PersonaStoreTests {
    @Test func personasAreSavedReplacedListedAndDeletedByName() throws {
        let dir = NSTemporaryDirectory() + "/recscope-personas-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(path: dir + "/c.sqlite")
        try catalog.savePersona(name: "sci-fi fan", items: ["50", "181", "172"], recent: 0, sourceUser: nil)
        try catalog.savePersona(name: "kid", items: ["1"], recent: 2, sourceUser: "42")
        #expect(try catalog.listPersonas().map(\.name) == ["kid", "sci-fi fan"])
        let fan = try #require(try catalog.loadPersona(name: "sci-fi fan"))
        #expect(fan.items == ["50", "181", "172"] && fan.recent == 0 && fan.sourceUser == nil)
        try catalog.savePersona(name: "sci-fi fan", items: ["50", "181", "172", "7"], recent: 3, sourceUser: nil)
        let replaced = try #require(try catalog.loadPersona(name: "sci-fi fan"))
        #expect(replaced.items.count == 4 && replaced.recent == 3 && replaced.createdAt == fan.createdAt)
        #expect(try catalog.deletePersona(name: "kid") && !(try catalog.deletePersona(name: "kid")))
        #expect(try catalog.loadPersona(name: "kid") == nil)
        for bad in ["", "   ", String(repeating: "x", count: 65), "evil\u{1B}[31m", "bidi\u{202E}"] {
            #expect(throws: CatalogError.self) { try catalog.savePersona(name: bad, items: [], recent: 0, sourceUser: nil) }
        }
    }
}
