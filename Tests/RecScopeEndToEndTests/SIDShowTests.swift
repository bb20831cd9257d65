import Foundation
import RecCatalog
import RecCore
import Testing

/// `recscope sid show` on the real binary, over a six-item catalog with semantic IDs stored by the test.
@Suite struct SIDShowTests {
    static let items = """
        item_id:token\ttitle:token_seq\tclass:token_seq
        i1\tAlpha\tDrama
        i2\tBeta\tDrama Comedy
        i3\tGamma\tComedy
        i4\tEvil \u{1B}[2J\u{202E}title\tHorror
        i5\tDelta\tDrama
        i6\tEpsilon\tHorror
        """
    static let interactions = """
        user_id:token\titem_id:token\ttimestamp:float
        u1\ti1\t1
        u1\ti4\t2
        u2\ti4\t3
        u2\ti1\t4
        u3\ti3\t5
        u3\ti4\t6
        u3\ti6\t7
        """
    /// Paths on 2 levels of 3 and 2 codes: 0 holds i3; 1 holds i1, i2, i5; 2 holds i4 and i6.
    static let paths: [String: [Int32]] = ["i1": [1, 0], "i2": [1, 0], "i3": [0, 1], "i4": [2, 1], "i5": [1, 1], "i6": [2, 1]]

    /// A catalog with the six items and, when `space` is given, their semantic IDs.
    static func catalog(in dir: String, space: String?) throws -> String {
        try items.write(toFile: dir + "/t.item", atomically: true, encoding: .utf8)
        try interactions.write(toFile: dir + "/t.inter", atomically: true, encoding: .utf8)
        let path = dir + "/c.sqlite"
        let imported = try Binary.run(["import", "--catalog", path, "--format", "recbole", dir + "/t.inter", dir + "/t.item"])
        #expect(imported.status == 0, "\(imported.stderr)")
        if let space {
            let catalog = try Catalog(path: path)
            let ids = try catalog.itemListing().ids
            let codes = ids.flatMap { paths[$0]! }
            // Disambiguation: rank among the items of the same full path, by index.
            let disambiguation = ids.indices.map { i in Int32(ids[..<i].filter { paths[$0] == paths[ids[i]] }.count) }
            try catalog.saveSemanticIDs(StoredSemanticIDs(
                codebooks: [DenseMatrix(rows: 3, cols: 2), DenseMatrix(rows: 2, cols: 2)], codes: codes,
                disambiguation: disambiguation), space: space)
        }
        return path
    }

    @Test func printsTheTreeWithUsageAndSanitisedTitles() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Self.catalog(in: dir, space: "aligned")
        let root = try Binary.run(["sid", "show", "--catalog", catalog])
        #expect(root.status == 0, "\(root.stderr)")
        #expect(root.stdout == """
            space aligned of \(catalog)
            6 items · 2 levels of 3/2 codes

            codebook usage (items per code: · none, ░ ▒ ▓ █ on a log scale up to the busiest code)
              level 1  3/3 used, busiest 3
                  0 ▒██
              level 2  2/2 used, busiest 4
                  0 ▓█

            prefix  items  top categories                       examples (most popular first)
            (all)       6  Drama 50% · Comedy 33% · Horror 33%  Evil ␛[2J<U+202E>title · Alpha · Gamma
              0         1  Comedy 100%                          Gamma
              1         3  Drama 100% · Comedy 33%              Alpha · Beta · Delta
              2         2  Horror 100%                          Evil ␛[2J<U+202E>title · Epsilon

            """)
        let leaf = try Binary.run(["sid", "show", "--catalog", catalog, "--prefix", "2", "--depth", "2"])
        #expect(leaf.status == 0, "\(leaf.stderr)")
        #expect(leaf.stdout.hasSuffix("""
            prefix  items  top categories  examples (most popular first)
            2           2  Horror 100%     Evil ␛[2J<U+202E>title · Epsilon
              2-1       2  Horror 100%     Evil ␛[2J<U+202E>title · Epsilon
                2-1-0  item i4  Evil ␛[2J<U+202E>title
                2-1-1  item i6  Epsilon

            """), "\(leaf.stdout)")
        #expect(!leaf.stdout.unicodeScalars.contains { $0 != "\n" && UnsafeScalar.contains($0) })
    }

    @Test func jsonHasTheNestedNodes() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Self.catalog(in: dir, space: "content")
        let result = try Binary.run(["sid", "show", "--catalog", catalog, "--prefix", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(doc["space"] as? String == "content" && doc["levels"] as? Int == 2)
        #expect(doc["usage"] as? [[Int]] == [[1, 3, 2], [2, 4]])
        let node = try #require(doc["node"] as? [String: Any])
        #expect(node["prefix"] as? String == "1" && node["items"] as? Int == 3)
        let children = try #require(node["children"] as? [[String: Any]])
        #expect(children.map { $0["prefix"] as? String } == ["1-0", "1-1"])
        #expect(children.map { $0["items"] as? Int } == [2, 1])
    }

    @Test func errorsSayWhatToDo() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Self.catalog(in: dir, space: "aligned")
        let unknown = try Binary.run(["sid", "show", "--catalog", catalog, "--prefix", "1-5"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no item has prefix 1-5 in space 'aligned'; the nearest existing prefix is 1-1"), "\(unknown.stderr)")
        let deep = try Binary.run(["sid", "show", "--catalog", catalog, "--prefix", "1-0-0"])
        #expect(deep.status == 1 && deep.stderr.contains("space 'aligned' has 2 levels"), "\(deep.stderr)")
        let garbled = try Binary.run(["sid", "show", "--catalog", catalog, "--prefix", "one"])
        #expect(garbled.status == 1 && garbled.stderr.contains("expected codes joined by '-'"), "\(garbled.stderr)")
        let space = try Binary.run(["sid", "show", "--catalog", catalog, "--space", "content"])
        #expect(space.status == 1)
        #expect(space.stderr.contains("run recscope sid build --space content first"), "\(space.stderr)")
        try FileManager.default.createDirectory(atPath: dir + "/bare", withIntermediateDirectories: true)
        let bare = try Self.catalog(in: dir + "/bare", space: nil)
        let none = try Binary.run(["sid", "show", "--catalog", bare])
        #expect(none.status == 1 && none.stderr.contains("run recscope sid build --space"), "\(none.stderr)")
    }
}
