import RecCore
import SnapshotSupport
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// A scalar that must never reach the screen (`UnsafeScalar`), other than the line breaks between rows.
func isUnsafeOnScreen(_ s: Unicode.Scalar) -> Bool {
    s.value != 0x0A && UnsafeScalar.contains(s)
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
