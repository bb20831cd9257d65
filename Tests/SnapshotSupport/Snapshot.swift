import Foundation
import Testing

/// Compares `text` with the committed snapshot `__Snapshots__/<name>.txt` next to the calling test file.
/// With RECSCOPE_RECORD=1 the snapshot is written instead (and the test still compares, so a
/// recording run passes only once the file is there). A missing snapshot fails the test.
public func assertSnapshot(_ text: String, named name: String, filePath: String = #filePath,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent(name + ".txt")
    let content = text + "\n"
    if ProcessInfo.processInfo.environment["RECSCOPE_RECORD"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? content.write(to: file, atomically: true, encoding: .utf8)
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("No snapshot \(file.path); record it with RECSCOPE_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    if expected != content {
        Issue.record("Snapshot \(name) differs.\n--- expected\n\(expected)--- actual\n\(content)", sourceLocation: sourceLocation)
    }
}
