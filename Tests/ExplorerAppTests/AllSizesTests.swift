import Foundation
import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// Every pane drawn at sizes from 1×1 to 300×100: the pure renderer never traps, fills exactly the canvas
/// it is given (no line wider or taller), and lets no control or bidi scalar through.
@Suite struct AllSizesTests {
    /// One key script per pane (and the search overlay), on the demo catalog with cheap models.
    static let panes: [(name: String, script: String)] = [
        ("users", ""), ("sessions", "j Enter"), ("session-items", "j Enter Enter"),
        ("items", "2"), ("item-detail", "2 j Enter"), ("item-hostile-title", ": \"item 216\" Enter"),
        ("catalog", "3"), ("help", "?"), ("compare", "4"), ("compare-hostile", "4 : \"user 49\" Enter x"),
        ("metrics", "5"), ("search", "/ p a r"), ("command-line", ": u s e r"),
    ]

    /// Widths and heights at every edge: 1 and 2, the minimum (40×12) and one either side, common sizes,
    /// the maxima, and one odd size between. (A full sweep of every size took minutes; the layout changes
    /// only at these thresholds.)
    static let widths = [1, 2, 3, 39, 40, 41, 80, 120, 211, 299, 300]
    static let heights = [1, 2, 3, 11, 12, 13, 24, 40, 67, 100]

    static func state(for script: String) -> AppState {
        var session = CompareTests.session()
        CompareTests.keys(script, into: &session)
        return session.state
    }

    @Test(arguments: panes.map(\.name))
    func paneFitsEverySize(name: String) {
        let base = Self.state(for: Self.panes.first { $0.name == name }!.script)
        var failures: [String] = []
        for width in Self.widths {
            for height in Self.heights {
                var state = base
                _ = Explorer.update(&state, .key(.resize(width: width, height: height)))
                var canvas = Canvas(width: width, height: height)
                Explorer.render(state, on: &canvas)
                let lines = canvas.lines
                if lines.count != height { failures.append("\(width)×\(height): \(lines.count) lines") }
                if let wide = lines.first(where: { DisplayWidth.of($0) > width }) {
                    failures.append("\(width)×\(height): a line \(DisplayWidth.of(wide)) columns wide")
                }
                if lines.contains(where: { $0.unicodeScalars.contains(where: isUnsafeOnScreen) }) {
                    failures.append("\(width)×\(height): a control or bidi scalar")
                }
            }
        }
        #expect(failures.isEmpty, "\(name): \(failures.prefix(5))")
    }

}
