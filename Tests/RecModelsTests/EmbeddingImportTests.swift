import Testing
import RecCore
@testable import RecModels

@Suite struct EmbeddingImportTests {
    static let index = Vocabulary(ids: ["a", "b", "c"])

    /// A version-1.0 .npy file with the given header dict and float32 payload.
    static func npy(descr: String = "<f4", fortran: String = "False", shape: String, values: [Float]) -> [UInt8] {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = header.utf8.count
        bytes += [UInt8(n & 0xff), UInt8(n >> 8)] + Array(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        return bytes
    }

    @Test func readsANumpyFileInCatalogOrderOrByIDs() throws {
        let bytes = Self.npy(shape: "(3, 2)", values: [1, 2, 3, 4, 5, 6])
        let r = try EmbeddingImport.read(bytes, path: "v.npy", itemIndex: Self.index, itemCount: 3)
        #expect(r.embeddings.toArray() == [1, 2, 3, 4, 5, 6])
        let byID = try EmbeddingImport.read(bytes, path: "v.npy", itemIndex: Self.index, itemCount: 3, ids: ["c", "a", "b"])
        #expect(byID.embeddings.toArray() == [3, 4, 5, 6, 1, 2])
        let big = Self.npy(descr: ">f4", shape: "(3, 1)", values: []) + [Float(1), 2, 3].flatMap { v in
            withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) }
        }
        #expect(try EmbeddingImport.read(big, path: "v.npy", itemIndex: Self.index, itemCount: 3).embeddings.toArray() == [1, 2, 3])
    }

    @Test func refusesOtherDtypesFortranOrderAndWrongSizes() {
        func message(_ bytes: [UInt8], ids: [String]? = nil) -> String {
            do {
                _ = try EmbeddingImport.read(bytes, path: "v.npy", itemIndex: Self.index, itemCount: 3, ids: ids)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(message(Self.npy(descr: "<f8", shape: "(3, 1)", values: [1, 2, 3, 4, 5, 6])).contains("dtype '<f8' is not float32"))
        #expect(message(Self.npy(fortran: "True", shape: "(3, 1)", values: [1, 2, 3])).contains("Fortran"))
        #expect(message(Self.npy(shape: "(3,)", values: [1, 2, 3])).contains("not a 2-D"))
        #expect(message(Self.npy(shape: "(2, 1)", values: [1, 2])).contains("has 2 rows but the catalog has 3 items"))
        #expect(message(Self.npy(shape: "(3, 2)", values: [1, 2, 3])).contains("needs 24 bytes"))
        #expect(message(Array("not numpy at all".utf8)).contains("not a .npy file"))
        #expect(message(Self.npy(shape: "(3, 1)", values: [1, 2, 3]), ids: ["a", "b", "zz"]).contains("unknown item id 'zz'"))
        #expect(message(Self.npy(shape: "(3, 1)", values: [1, .nan, 3])).contains("finite"))
    }

    @Test func readsCSVAndTSVWithAnOptionalHeader() throws {
        let csv = "item_id,v1,v2\nb,3,4\na,1,2\r\nc,5,6\n"
        let r = try EmbeddingImport.read(Array(csv.utf8), path: "v.csv", itemIndex: Self.index, itemCount: 3)
        #expect(r.embeddings.toArray() == [1, 2, 3, 4, 5, 6])
        let tsv = "a\t1\nb\t2\nc\t3\n"
        #expect(try EmbeddingImport.read(Array(tsv.utf8), path: "v.tsv", itemIndex: Self.index, itemCount: 3).embeddings.toArray() == [1, 2, 3])
    }

    @Test func csvErrorsNameTheFileAndLine() {
        func message(_ text: String, fill: Bool = false) -> String {
            do {
                _ = try EmbeddingImport.read(Array(text.utf8), path: "v.csv", itemIndex: Self.index, itemCount: 3, fillMissing: fill)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(message("a,1,2\nzz,3,4\n").contains("v.csv:2: unknown item id 'zz'"))
        #expect(message("a,1,2\nb,3\n").contains("v.csv:2: expected 2 values"))
        #expect(message("a,1,2\nb,3,x\n").contains("v.csv:2: value 2 expected a finite number, found 'x'"))
        #expect(message("a,1\nb,2\na,3\n").contains("v.csv:3: item id 'a' already given on line 1"))
        #expect(message("a,1\nb,2\n").contains("no vector for 1 of 3 catalog items ('c')"))
        #expect(message("").contains("no vectors found"))
    }

    @Test func missingItemsGetZeroVectorsWhenAsked() throws {
        let r = try EmbeddingImport.read(Array("a,1\nc,3\n".utf8), path: "v.csv", itemIndex: Self.index, itemCount: 3,
                                         fillMissing: true)
        #expect(r.missing == [1])
        #expect(r.embeddings.toArray() == [1, 0, 3])
    }
}
