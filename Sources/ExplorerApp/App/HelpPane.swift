import TUIKit

/// Help: every key of the view below and what the `:` command line takes, read from `Explorer.commands`.
struct HelpPane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let subject = state.helpSubject
        Box(title: "Help: \(subject.context)").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        let entries = Explorer.commands.table.help(for: subject.context)
        let columns = [Column("keys", .fixed(22)), Column("command", .fixed(14)), Column("what it does", .fill)]
        let rows = entries.map { [$0.keys, $0.name, $0.help] } + [[""]] + Explorer.commands.verbHelp
        TableView(columns: columns, rows: Array(rows.dropFirst(state.helpLine))).render(in: inner, on: &canvas)
    }
}
