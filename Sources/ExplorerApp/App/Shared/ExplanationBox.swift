import RecModels
import RecWorkbench
import TUIKit

/// Why one item of a list is there, in a box: how the parts add up to the score, the history items and terms
/// as bars (`StagePresenter.whyRows`), then the model's details. Compare's and What-if's why views draw it.
struct ExplanationBox: Widget {
    /// The list's explanations; nil while they are computed.
    var list: ExplainedList?
    /// The item's position in the list.
    var index: Int
    /// The item's name for the title, when the list is not there yet.
    var title: String

    func render(in area: Rect, on canvas: inout Canvas) {
        Box(title: "Why #\(index + 1) \(title)").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard let list, index < list.explanations.count else {
            canvas.draw("explaining…", x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
            return
        }
        let e = list.explanations[index]
        canvas.draw(StagePresenter.partsLine(e, historyCount: list.history.count), x: inner.x, y: inner.y,
                    maxWidth: inner.width, style: Theme.muted)
        let detail = StagePresenter.detailLines(list, e)
        let room = max(1, inner.height - 1 - min(detail.count, max(0, inner.height / 3)))
        let rows = StagePresenter.whyRows(list, e, limit: max(1, room - 1 - e.terms.count), barWidth: max(6, min(20, inner.width / 5)))
        var y = inner.y + 1
        for line in rows.prefix(room) {
            canvas.draw(line, x: inner.x, y: y, maxWidth: inner.width, style: line.contains("  [") ? Theme.accent : .plain)
            y += 1
        }
        for line in detail where y < inner.y + inner.height {
            canvas.draw(line, x: inner.x, y: y, maxWidth: inner.width, style: Theme.muted)
            y += 1
        }
    }
}
