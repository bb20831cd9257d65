import RecWorkbench
import TUIKit

/// Where things go on the screen; pure functions of the size, shared by drawing and by mouse
/// hit-testing in `update`, so a click lands on what is drawn.
public struct ScreenLayout: Hashable, Sendable {
    public static let minimumWidth = 40
    public static let minimumHeight = 12

    public let tabBar: Rect
    public let body: Rect
    public let status: Rect
    public let isTooSmall: Bool

    public init(width: Int, height: Int) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        let full = Rect(x: 0, y: 0, width: width, height: height)
        let (top, rest) = full.splitTop(1)
        let (middle, bottom) = rest.splitBottom(1)
        tabBar = top
        body = middle
        status = bottom
    }

    /// Column ranges of the tab labels in the tab bar, for clicks; without their padding when the
    /// padded labels would not fit in `width`.
    public static func tabLabels(width: Int = .max) -> [(tab: any Feature.Type, label: String, x: Int)] {
        let padded = Explorer.tabs.enumerated().map { " \($0.offset + 1) \($0.element.title) " }
        let fits = " RecScope ".count + padded.reduce(0) { $0 + $1.count + 1 } <= width - 12
        var x = " RecScope ".count + 1
        return Explorer.tabs.enumerated().map { n, tab in
            let label = fits ? padded[n] : "\(n + 1) \(tab.title)"
            defer { x += label.count + 1 }
            return (tab, label, x)
        }
    }
}
