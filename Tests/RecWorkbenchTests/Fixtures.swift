import Foundation
import RecCatalog

/// The bundled sample catalog, imported into a fresh temporary file.
enum SampleCatalog {
    static let sampleData: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("sample-data").path
    }()

    /// A catalog of the sample data in a folder of its own; the caller removes the folder.
    static func make() throws -> (catalog: Catalog, folder: String) {
        let folder = NSTemporaryDirectory() + "/recscope-wb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalog = try Catalog(path: folder + "/sample.sqlite")
        _ = try catalog.importFiles(ImportRequest(format: .recbole, paths: [sampleData]))
        return (catalog, folder)
    }
}
