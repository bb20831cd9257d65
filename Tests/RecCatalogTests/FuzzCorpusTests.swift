import Foundation
import Testing
import RecCatalog

/// Every input in the fuzzers' corpora (seeds and fixed crashes) runs through the real parsers: each one
/// parses or is refused with an `ImportError` naming a real line, and the seeds all parse.
@Suite struct FuzzCorpusTests {
    static let corpusRoot: String = {
        var dir = URL(fileURLWithPath: #filePath)
        dir.deleteLastPathComponent()
        dir.deleteLastPathComponent()
        return dir.appendingPathComponent("Fuzz/Corpus").path
    }()

    static func inputs(_ parser: SourceParser) -> [(name: String, bytes: [UInt8])] {
        let dir = corpusRoot + "/" + parser.rawValue
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: dir + "/" + name).map { (name, [UInt8]($0)) }
        }
    }

    @Test(arguments: SourceParser.allCases)
    func corpusParsesOrIsRefusedCleanly(_ parser: SourceParser) throws {
        let inputs = Self.inputs(parser)
        #expect(!inputs.isEmpty, "no corpus for \(parser.rawValue) under \(Self.corpusRoot)")
        for input in inputs {
            do {
                let summary = try parser.parse(input.bytes)
                if !input.name.hasPrefix("crash-") {
                    #expect(summary.users + summary.items + summary.interactions > 0, "\(input.name) read nothing")
                }
            } catch {
                // Regression inputs (named after the crash they were) may be refused; seeds must parse.
                #expect(input.name.hasPrefix("crash-") || input.name.hasPrefix("timeout-"), "\(input.name): \(error)")
                #expect(error.line.map { $0 >= 1 } ?? true, "\(input.name): \(error)")
                #expect(error.file == parser.fileName)
            }
        }
    }

    @Test func parseAgreesWithAnImportOfTheSameFile() throws {
        let dir = TempDir()
        let bytes = Self.inputs(.recboleInter).first { $0.name == "fixture-samples" }!.bytes
        let path = dir.write("fixture.inter", bytes: bytes)
        let summary = try SourceParser.recboleInter.parse(bytes)
        let imported = try dir.catalog().importFiles(ImportRequest(format: .recbole, paths: [path]))
        #expect(summary.interactions == imported.interactionsAdded)
        #expect(summary.users == imported.usersAdded && summary.items == imported.itemsAdded)
    }
}
