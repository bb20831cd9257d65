import RecWorkbench
import TUIKit

/// Help: every key of the view below, generated from `AppCommand.table`.
struct HelpPane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let subject = state.helpSubject
        Box(title: "Help: \(subject.context)").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        let entries = AppCommand.table.help(for: subject.context)
        let columns = [Column("keys", .fixed(22)), Column("command", .fixed(14)), Column("what it does", .fill)]
        let rows = entries.map { [$0.keys, $0.name, $0.help] } + [[""]] + HelpPane.commandLineRows
        TableView(columns: columns, rows: Array(rows.dropFirst(state.helpLine))).render(in: inner, on: &canvas)
    }

    /// What the `:` command line understands besides command names.
    static let commandLineRows: [[String]] = [
        [":user ID", "", "Open a user's sessions"],
        [":item ID", "", "Open an item's detail"],
        [":browse|items|catalog", "", "Switch to a tab"],
        [":compare|metrics", "", "Switch to the Compare or Metrics tab"],
        [":tree", "", "Switch to the semantic-ID tree"],
        [":sid PREFIX", "", "Open the tree at a prefix, e.g. :sid 12-7"],
        [":simulate [ID]", "", "Simulate the Browse selection (or user ID)"],
        [":NAME", "", "Run a command above by its name, e.g. :sort-users"],
        [":quit", "", "Quit RecScope"],
    ]
}
