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
    public static func tabLabels(width: Int = .max) -> [(tab: Tab, label: String, x: Int)] {
        let padded = Tab.allCases.map { " \($0.rawValue) \($0.title) " }
        let fits = " RecScope ".count + padded.reduce(0) { $0 + $1.count + 1 } <= width - 12
        var x = " RecScope ".count + 1
        return Tab.allCases.enumerated().map { n, tab in
            let label = fits ? padded[n] : "\(tab.rawValue) \(tab.title)"
            defer { x += label.count + 1 }
            return (tab, label, x)
        }
    }
}

/// The Browse pane: an info line over three boxed columns (users, sessions, session items).
struct BrowseLayout {
    let info: Rect
    let users: Rect
    let sessions: Rect
    let items: Rect

    init(body: Rect) {
        let (top, rest) = body.splitTop(1)
        info = top
        let c = rest.columns([.percent(36), .percent(30), .fill])
        users = c[0]
        sessions = c[1]
        items = c[2]
    }

    /// The table area (header + rows) inside each column's border.
    var tables: [Rect] { [users, sessions, items].map(Box.inner) }
}

/// The Items pane: the items list on the left, the detail of the selected item on the right.
struct ItemsLayout {
    let list: Rect
    let detail: Rect
    /// The recent-interactions table inside the detail box (header + rows).
    let interactions: Rect
    let detailText: Rect
    /// The similar-items table under the interactions (empty when the detail shows none).
    let similar: Rect

    init(body: Rect, similar showsSimilar: Bool = false) {
        let c = body.columns([.percent(55), .fill])
        list = c[0]
        detail = c[1]
        let inner = Box.inner(detail)
        let textHeight = min(inner.height / 2, showsSimilar ? 7 : 9)
        let (top, rest) = inner.splitTop(textHeight)
        detailText = top
        if showsSimilar {
            // Interactions get the smaller half: the similar list is what the detail was opened for.
            let (a, b) = rest.splitTop(rest.height * 2 / 5)
            interactions = a
            similar = b
        } else {
            interactions = rest
            similar = Rect(x: rest.x, y: rest.maxY, width: rest.width, height: 0)
        }
    }
}

extension AppState {
    var layout: ScreenLayout { ScreenLayout(width: width, height: height) }

    /// The similar items of the item whose detail is shown, when there are models to ask.
    var shownSimilar: SimilarItems? {
        guard let similar, similar.request.item == detailItem, !compare.modelNames.isEmpty else { return nil }
        return similar
    }

    var itemsLayout: ItemsLayout { ItemsLayout(body: layout.body, similar: shownSimilar != nil) }

    /// Rows of the list the current view moves through (without the header).
    var visibleRows: Int {
        let body = layout.body
        switch top {
        case .users, .sessions, .sessionItems, .compare: return max(1, BrowseLayout(body: body).tables[0].height - 1)
        case .items: return max(1, Box.inner(ItemsLayout(body: body).list).height - 1)
        case .itemDetail: return max(1, itemsLayout.interactions.height - 1)
        case .tree: return max(1, treeLayout.table.height - 1)
        case .catalog, .help, .metrics, .simulate: return max(1, Box.inner(body).height)
        }
    }
}
