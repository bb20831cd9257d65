import GRDB
import Testing
import RecCore
@testable import RecCatalog

@Suite struct SemanticIDStoreTests {
    @Test func semanticIDsRoundTripAndRefuseAWrongItemCount() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [
            dir.write("s.inter", Samples.inter), dir.write("s.item", Samples.item)]))
        let level0 = DenseMatrix(rows: 2, cols: 3, values: [1, 2, 3, -1, 0.5, 0])
        let level1 = DenseMatrix(rows: 1, cols: 3, values: [0.25, 0, -0.25])
        let ids = StoredSemanticIDs(codebooks: [level0, level1], codes: [1, 0, 0, 0, 1, 0], disambiguation: [0, 0, 1])
        try catalog.saveSemanticIDs(ids, space: "als")
        #expect(try catalog.semanticIDSpaces() == ["als"])
        #expect(try catalog.loadSemanticIDs(space: "als") == ids)
        #expect(try catalog.loadSemanticIDs(space: "content") == nil)
        let paths = try catalog.pool.read { db in
            try String.fetchAll(db, sql: "SELECT codes FROM semantic_ids WHERE space = 'als' ORDER BY item")
        }
        #expect(paths == ["1-0-0", "0-0-0", "1-0-1"])

        let short = StoredSemanticIDs(codebooks: [level0], codes: [0, 1], disambiguation: [0, 0])
        #expect(throws: CatalogError.self) { try catalog.saveSemanticIDs(short, space: "als") }
        #expect(try catalog.loadSemanticIDs(space: "als") == ids)
    }
}

@Suite struct EmbeddingStoreTests {
    @Test func embeddingsRoundTripReplaceAndRefuseAWrongItemCount() throws {
        let dir = TempDir()
        let catalog = try dir.catalog()
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [
            dir.write("s.inter", Samples.inter), dir.write("s.item", Samples.item)]))
        let items = try catalog.counts().items
        #expect(try catalog.loadItemEmbeddings(space: "content") == nil)
        let vectors = DenseMatrix(rows: items, cols: 3) { i, j in Float(i * 10 + j) - 0.5 }
        try catalog.saveItemEmbeddings(vectors, space: "content")
        #expect(try catalog.loadItemEmbeddings(space: "content") == vectors)
        #expect(try catalog.itemEmbeddingSpaces() == [EmbeddingSpaceSummary(space: "content", items: items, dimension: 3)])
        // Saving again replaces the space; other spaces are untouched.
        let wider = DenseMatrix(rows: items, cols: 5) { i, j in Float(i - j) }
        try catalog.saveItemEmbeddings(wider, space: "content")
        try catalog.saveItemEmbeddings(vectors, space: "als")
        #expect(try catalog.loadItemEmbeddings(space: "content") == wider)
        #expect(try catalog.loadItemEmbeddings(space: "als") == vectors)
        // A wrong item count is refused and changes nothing (one transaction).
        #expect(throws: CatalogError.self) {
            try catalog.saveItemEmbeddings(DenseMatrix(rows: items + 1, cols: 2), space: "content")
        }
        #expect(try catalog.loadItemEmbeddings(space: "content") == wider)
        let ids = try catalog.itemIDs()
        #expect(ids.count == items && Set(ids).count == items)
    }
}
