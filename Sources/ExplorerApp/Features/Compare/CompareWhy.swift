import RecWorkbench
import TUIKit

extension AppCommand {
    public static let why: AppCommand = "why"
    public static let otherList: AppCommand = "other-list"
    public static let toggleHeads: AppCommand = "toggle-heads"
}

extension View {
    /// Why: the attention behind list `side` of the Compare pane, for its highlighted item.
    public static func compareWhy(_ side: CompareSide) -> View { View(feature: "compare", context: "compare-why", side.rawValue) }
}

/// The Compare pane's "why" view: for a `sasrec` or `bert4rec` list, the last block's attention from the
/// scoring position over the user's recent items (bars, mean over heads, per head on `p`), next to the
/// highlighted item's score and its cosine with each recent item.
enum CompareWhy {
    static func register(_ c: inout Commands) {
        c.bind("w", to: .why, help: "Why: the attention behind a sasrec or bert4rec list", context: "compare")
        c.bind("Tab", to: .otherList, help: "Explain the other list", context: "compare-why")
        c.bind("p", to: .toggleHeads, help: "Split the weights per head, or show their mean", context: "compare-why")
        c.hint("compare-why", .keys([.moveDown, .moveUp], "item"), .keys([.toggleHeads], "per head"),
               .keys([.otherList], "other list"), .keys([.back], "back"), .keys([.help], "help"))
    }

    /// The side a view explains.
    static func side(_ view: View) -> CompareSide { view.arguments.first.flatMap(CompareSide.init(rawValue:)) ?? .a }

    /// The attention stages of `side`'s current list, if its model has them.
    static func stages(_ side: CompareSide, _ state: AppState) -> AttentionStages? {
        if case .attention(let a)? = state.compare.list(side)?.stages { return a }
        return nil
    }

    /// `w` in Compare: explains list A when its model is a transformer, else list B.
    static func open(_ state: inout AppState) -> [Effect] {
        guard let side = CompareSide.allCases.first(where: { stages($0, state) != nil }) else {
            let waiting = CompareSide.allCases.contains { state.selection.model($0).explainsAttention && state.compare.list($0) == nil }
            state.message = waiting ? "Why: the list is still being computed."
                : "Why shows a transformer's attention: choose sasrec or bert4rec with a or b."
            return []
        }
        state.compare.whyItem = 0
        state.stack.append(.compareWhy(side))
        return []
    }

    static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        let side = side(view)
        if let delta = Explorer.delta(of: command, in: view, state) {
            let count = state.compare.list(side)?.items.count ?? 0
            state.compare.whyItem = Explorer.moved(state.compare.whyItem, by: delta, count: count)
            return []
        }
        switch command {
        case .toggleHeads:
            state.compare.whyPerHead.toggle()
            return []
        case .otherList:
            let other: CompareSide = side == .a ? .b : .a
            guard stages(other, state) != nil else {
                state.message = "List \(other.rawValue) (\(state.selection.model(other).rawValue)) has no attention to show."
                return []
            }
            state.stack[state.stack.count - 1] = .compareWhy(other)
            state.compare.whyItem = Explorer.moved(state.compare.whyItem, by: 0, count: state.compare.list(other)?.items.count ?? 0)
            return []
        default:
            return nil
        }
    }

    static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        let side = side(view)
        let model = state.selection.model(side)
        let (top, body) = area.splitTop(1)
        let user = state.selection.user.map { "user \($0)" } ?? "no user"
        canvas.draw("why \(model.rawValue) (list \(side.rawValue)) recommends for \(user)", x: top.x + 1, y: top.y,
                    maxWidth: top.width - 1, style: Theme.accent)
        let columns = body.columns([.percent(36), .fill])
        let list = state.compare.list(side)
        Box(title: "\(side.rawValue): \(model.rawValue)").render(in: columns[0], on: &canvas)
        let listArea = Box.inner(columns[0])
        let rows = (list?.items ?? []).enumerated().map { n, item in
            [String(n + 1), item.title.isEmpty ? "item " + item.id : item.title, Format.score(item.score)]
        }
        TableView(columns: [Column("#", .fixed(3), .right), Column("title", .fill), Column("score", .fixed(7), .right)], rows: rows,
                  selected: rows.isEmpty ? nil : min(state.compare.whyItem, rows.count - 1)).render(in: listArea, on: &canvas)

        let right = columns[1]
        guard let list, let a = stages(side, state), !list.items.isEmpty else {
            Box(title: "Why").render(in: right, on: &canvas)
            canvas.draw(list == nil ? "computing…" : "no attention: this user has no training history (popularity)",
                        x: right.x + 2, y: right.y + 1, maxWidth: right.width - 3, style: Theme.muted)
            return
        }
        let n = min(state.compare.whyItem, list.items.count - 1)
        let item = list.items[n]
        Box(title: "Why #\(n + 1) \(item.title.isEmpty ? "item " + item.id : item.title)").render(in: right, on: &canvas)
        let inner = Box.inner(right)
        let heads = a.headCount == 1 ? "one head" : state.compare.whyPerHead ? "\(a.headCount) heads" : "mean of \(a.headCount) heads"
        canvas.draw("score \(Format.score(item.score)) · rank \(n + 1) · attention over \(a.positions.count) recent items (\(heads))",
                    x: inner.x, y: inner.y, maxWidth: inner.width, style: Theme.muted)
        canvas.draw("last block, from the scoring position · age 0 = newest · sim = cosine with this item", x: inner.x, y: inner.y + 1,
                    maxWidth: inner.width, style: Theme.muted)
        let lines = StagePresenter.attentionTable(a, item: n, perHead: state.compare.whyPerHead, barWidth: max(6, min(20, inner.width / 6)))
        for (row, line) in lines.prefix(max(0, inner.height - 2)).enumerated() {
            canvas.draw(line, x: inner.x, y: inner.y + 2 + row, maxWidth: inner.width, style: row == 0 ? Theme.header : .plain)
        }
    }
}
