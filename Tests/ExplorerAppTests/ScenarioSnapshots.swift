import SnapshotSupport
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// A scalar that must never reach the screen: a C0 control other than the line break, DEL and the C1
/// controls, or a bidi embedding, override or isolate.
func isUnsafeOnScreen(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
}

/// Plays the key `script` at 80×24 and 120×40, compares the last screen with the snapshot `name-WxH`, and
/// checks every screen on the way holds no unsafe scalar and (with `checkingLineCount`) exactly its height in lines.
func assertScenarioSnapshots(_ name: String, script: String, dataSource: any ExplorerDataSource,
                             recommendations: (any RecommendationSource)? = nil, checkingLineCount: Bool = true) {
    for (width, height) in [(80, 24), (120, 40)] {
        let screens = play(try! Key.parseScript(script), width: width, height: height, dataSource: dataSource,
                           recommendations: recommendations)
        assertSnapshot(screens.last!, named: "\(name)-\(width)x\(height)")
        for screen in screens {
            #expect(!screen.unicodeScalars.contains(where: isUnsafeOnScreen), "raw control or bidi scalar on the \(name) screen")
            if checkingLineCount {
                #expect(screen.split(separator: "\n", omittingEmptySubsequences: false).count == height)
            }
        }
    }
}
