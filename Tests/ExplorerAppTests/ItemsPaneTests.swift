import Testing
import RecWorkbench
import RecModels
import TUIKit
@testable import ExplorerApp

/// The Items pane's popularity bars.
@Suite struct ItemsPaneTests {
    /// Bars are scaled to the catalog's most popular item once the summary is in, not to the loaded rows.
    @Test func popularityBarsFollowTheCatalogMaximum() {
        var s = UpdateTests.session(PaneSnapshotTests.demo, width: 80, height: 24)
        UpdateTests.keys("2", into: &s)
        let pane = ItemsPane(state: s.state)
        let top = s.state.items.list.page.rows.map(\.popularity).max()!
        #expect(pane.mostPopular == top)
        var state = s.state
        state.summary?.perItem.max = Double(top * 2)
        #expect(ItemsPane(state: state).mostPopular == top * 2)
        let rows = ItemsPane(state: state).itemsTable(Rect(x: 0, y: 0, width: 40, height: 10)).rows
        #expect(rows.first?.last == horizontalBar(fraction: 0.5, width: 5))
    }
}
