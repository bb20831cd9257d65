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

/// The Compare pane's "why" view, for every model: the highlighted item's score as bars over the user's history
/// items and the model's terms (`ItemExplaining.explain` through `StagePresenter.whyRows`), with its details (pop's
/// rank, sid's code path, rank's retrievers); for a `sasrec` or `bert4rec` list, the last block's attention from
/// the scoring position over the user's recent items (mean over heads, per head on `p`) and each item's cosine.
enum CompareWhy {
    static func register(_ c: inout Commands) {
        c.bind("w", to: .why, help: "Why: what the highlighted list's items owe to the user's history, as bars", context: "compare")
        c.bind("Tab", to: .otherList, help: "Explain the other list", context: "compare-why")
        c.bind("p", to: .toggleHeads, help: "Split the weights per head, or show their mean", context: "compare-why")
        c.hint("compare-why", .keys([.moveDown, .moveUp], "item"), .keys([.toggleHeads], "per head"),
               .keys([.otherList], "other list"), .keys([.back], "back"), .keys([.help], "help"))
        c.hint("compare-why-bars", keysFrom: "compare-why", .keys([.moveDown, .moveUp], "item"), .keys([.otherList], "other list"),
               .keys([.back], "back"), .keys([.help], "help"))
    }

    /// The side a view explains.
    static func side(_ view: View) -> CompareSide { view.arguments.first.flatMap(CompareSide.init(rawValue:)) ?? .a }

    /// The attention stages of `side`'s current list, if its model has them.
    static func stages(_ side: CompareSide, _ state: AppState) -> AttentionStages? {
        if case .attention(let a)? = state.compare.list(side)?.stages { return a }
        return nil
    }

    /// Whether `side`'s why view shows attention stages (the transformers) rather than an explanation.
    static func showsAttention(_ side: CompareSide, _ state: AppState) -> Bool { state.selection.model(side).explainsAttention }

    /// `w` in Compare: explains list A (list B while A is being computed).
    static func open(_ state: inout AppState) -> [Effect] {
        guard let side = CompareSide.allCases.first(where: { state.compare.list($0) != nil }) else {
            state.message = "Why: the lists are still being computed."
            return []
        }
        state.compare.whyItem = 0
        state.stack.append(.compareWhy(side))
        return []
    }

    /// The explanation of `side`'s current list, when it has arrived.
    static func explained(_ side: CompareSide, _ state: AppState) -> ExplainedList? {
        guard let request = state.compare.current[side], let result = state.compare.why[side], result.request == request else { return nil }
        return result.list
    }

    /// While the why view is on top: its list's explanation, once the list itself is there.
    static func sync(_ state: inout AppState) -> [Effect] {
        guard state.top.context == "compare-why" else { return [] }
        let side = side(state.top)
        guard !showsAttention(side, state), state.compare.list(side) != nil, let request = state.compare.current[side],
              state.compare.why[side]?.request != request, state.compare.whyPending[side] != request else { return [] }
        state.compare.whyPending[side] = request
        return [Effect(ExplainList(side: side, request: request))]
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
            guard state.compare.list(other) != nil else {
                state.message = "List \(other.rawValue) (\(state.selection.model(other).rawValue)) is still being computed."
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
        if !showsAttention(side, state) { return renderExplanation(side, list: list, state, in: right, on: &canvas) }
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

    /// The explanation box: the score and how its parts add up, the bars, then the model's details.
    static func renderExplanation(_ side: CompareSide, list: Recommendations?, _ state: AppState, in right: Rect, on canvas: inout Canvas) {
        guard let list, !list.items.isEmpty else {
            Box(title: "Why").render(in: right, on: &canvas)
            canvas.draw(list == nil ? "computing…" : "no items", x: right.x + 2, y: right.y + 1, maxWidth: right.width - 3, style: Theme.muted)
            return
        }
        let n = min(state.compare.whyItem, list.items.count - 1)
        let item = list.items[n]
        ExplanationBox(list: explained(side, state), index: n, title: item.title.isEmpty ? "item " + item.id : item.title)
            .render(in: right, on: &canvas)
    }
}

/// Why each item of one Compare list is there.
struct ExplainList: FeatureWork {
    let side: CompareSide
    let request: CompareRequest
    var summary: String { "explaining \(request.model.rawValue) (\(side.rawValue)) for user \(request.user)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(ListExplained(side: side, request: request, list: try sources.models().explain(
            user: request.user, model: request.model, k: request.k, excludeSeen: request.excludeSeen)))
    }
}

struct ListExplained: FeatureMessage {
    let side: CompareSide
    let request: CompareRequest
    let list: ExplainedList

    func apply(to state: inout AppState) -> [Effect] {
        if state.compare.whyPending[side] == request { state.compare.whyPending[side] = nil }
        guard request == state.compare.current[side] else { return [] }
        state.compare.why[side] = CompareWhyResult(request: request, list: list)
        return []
    }
}
