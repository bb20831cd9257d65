import RecModels
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let nextUser: AppCommand = "next-user"
    public static let previousUser: AppCommand = "previous-user"
    public static let cycleModelA: AppCommand = "cycle-model-a"
    public static let cycleModelB: AppCommand = "cycle-model-b"
    public static let moreItems: AppCommand = "more-items"
    public static let fewerItems: AppCommand = "fewer-items"
    public static let toggleSeen: AppCommand = "toggle-seen"
    public static let leaveSegment: AppCommand = "leave-segment"
}

/// Compare: for the selected user, two models' top-K side by side with scores and the time each took.
public enum CompareFeature: Feature {
    public static let title = "Compare"
    public static let summary = "Compare two models' top-K for the selected user"
    public static let root = View.compare
    public static let followsSelectedUser = true

    public static func register(_ c: inout Commands) {
        let models = ModelKind.names
        c.bind("j", "Down", to: .nextUser, help: "Compare for the next user", context: "compare")
        c.bind("k", "Up", to: .previousUser, help: "Compare for the previous user", context: "compare")
        c.bind("a", to: .cycleModelA, help: "Model A: \(models)", context: "compare")
        c.bind("b", to: .cycleModelB, help: "Model B: \(models)", context: "compare")
        c.bind("+", "=", to: .moreItems, help: "One more item per list (K + 1)", context: "compare")
        c.bind("-", to: .fewerItems, help: "One item fewer per list (K - 1)", context: "compare")
        c.bind("x", to: .toggleSeen, help: "Leave out or include the user's seen items", context: "compare")
        c.bind("c", to: .leaveSegment, help: "Step through every user again after a Lens segment", context: "compare")
        CompareWhy.register(&c)
        c.hint("compare", .keys([.nextUser, .previousUser], "user"), .keys([.cycleModelA, .cycleModelB], "models"),
               .keys([.moreItems, .fewerItems], "K"), .keys([.toggleSeen], "seen"), .keys([.why], "why"), .legend("\(ComparePane.heldOutMark) test"),
               .legend("\(ComparePane.bothMark) both"), .keys([.help], "help"))
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        if view.context == "compare-why" { return CompareWhy.perform(command, in: view, &state) }
        if command == .why { return CompareWhy.open(&state) }
        let delta: Int?
        switch command {
        case .nextUser: delta = 1
        case .previousUser: delta = -1
        default: delta = Explorer.delta(of: command, in: view, state)
        }
        if let delta, var filter = state.selection.userFilter, !filter.users.isEmpty {
            filter.position = Explorer.moved(filter.position, by: delta, count: filter.users.count)
            state.selection.userFilter = filter
            state.selection.user = filter.users[filter.position]
            state.selection.userRow = nil
            return []
        }
        if command == .leaveSegment {
            guard state.selection.userFilter != nil else { return [] }
            state.selection.userFilter = nil
            state.message = "Every user again"
            return []
        }
        if let delta {
            UsersList.move(by: delta, &state)
            UsersList.select(&state)
            return []
        }
        guard [.cycleModelA, .cycleModelB, .moreItems, .fewerItems, .toggleSeen].contains(command) else { return nil }
        guard !state.models.isEmpty else {
            state.message = "No models here: open a catalog (recscope tui --catalog FILE)."
            return []
        }
        switch command {
        case .cycleModelA: state.selection.modelA = Models.next(after: state.selection.modelA, state)
        case .cycleModelB: state.selection.modelB = Models.next(after: state.selection.modelB, state)
        case .toggleSeen:
            state.compare.excludeSeen.toggle()
            state.message = state.compare.excludeSeen ? "Seen items left out" : "Seen items included"
        default:
            let k = state.compare.k + (command == .moreItems ? 1 : -1)
            guard CompareState.kRange.contains(k) else {
                state.message = "K stays within \(CompareState.kRange.lowerBound)…\(CompareState.kRange.upperBound)."
                return []
            }
            state.compare.k = k
        }
        return []
    }

    /// While shown: the selected user's history, both models (prepared first), and both lists.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible, !state.models.isEmpty, let user = state.selection.user else { return [] }
        var effects: [Effect] = []
        if state.compare.profile?.user != user, state.compare.profileAsked != user {
            state.compare.profileAsked = user
            effects.append(Effect(LoadHistory(user: user)))
        }
        for side in CompareSide.allCases {
            let model = state.selection.model(side)
            let request = CompareRequest(user: user, model: model, k: state.compare.k, excludeSeen: state.compare.excludeSeen)
            state.compare.current[side] = request
            effects += Models.prepare(model, &state)
            guard state.models.isReady(model), state.compare.lists[side]?.request != request,
                  state.compare.pending[side] != request else { continue }
            state.compare.pending[side] = request
            effects.append(Effect(Recommend(side: side, request: request)))
        }
        return effects + CompareWhy.sync(&state)
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        if view.context == "compare-why" { return CompareWhy.render(view, state, in: area, on: &canvas) }
        ComparePane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] {
        ["compare"] + (state.selection.user.map { [$0] } ?? []) + (view.context == "compare-why" ? ["why", view.arguments[0]] : [])
    }

    public static func position(_ view: View, _ state: AppState) -> String { UsersList.position(state) }

    /// The why view of a model without attention has no per-head split to offer.
    public static func hintContext(_ view: View, _ state: AppState) -> String {
        view.context == "compare-why" && !CompareWhy.showsAttention(CompareWhy.side(view), state) ? "compare-why-bars" : view.context
    }

    public static func pageRows(_ view: View, _ state: AppState) -> Int {
        max(1, Box.inner(CompareLayout(body: state.layout.body).users).height - 1)
    }

    /// A click on the users list compares for that user.
    public static func click(_ event: MouseEvent, in view: View, _ state: inout AppState) -> [Effect] {
        guard view.context == "compare" else { return [] }
        let table = Box.inner(CompareLayout(body: state.layout.body).users)
        guard table.contains(x: event.x, y: event.y),
              let i = ScrollWindow.row(atY: event.y, in: table, selected: state.users.selected, count: state.users.count)
        else { return [] }
        UsersList.move(by: i - state.users.selected, &state)
        UsersList.select(&state)
        return []
    }
}

/// One model's top-K for one user.
struct Recommend: FeatureWork {
    let side: CompareSide
    let request: CompareRequest
    var summary: String { "recommending with \(request.model.rawValue) (\(side.rawValue)) for user \(request.user)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(Recommended(side: side, request: request, list: try sources.models().recommend(
            user: request.user, model: request.model, k: request.k, excludeSeen: request.excludeSeen)))
    }
}

struct Recommended: FeatureMessage {
    let side: CompareSide
    let request: CompareRequest
    let list: Recommendations

    func apply(to state: inout AppState) -> [Effect] {
        if state.compare.pending[side] == request { state.compare.pending[side] = nil }
        guard request == state.compare.current[side] else { return [] }
        state.compare.lists[side] = CompareResult(request: request, recommendations: list)
        return []
    }
}

/// The user's recent training history and held-out items.
struct LoadHistory: FeatureWork {
    let user: String
    var summary: String { "loading the history of user \(user)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(HistoryLoaded(history: try sources.models().history(user: user, recent: CompareState.historyCount)))
    }
}

struct HistoryLoaded: FeatureMessage {
    let history: UserHistory

    func apply(to state: inout AppState) -> [Effect] {
        guard history.user == state.selection.user else { return [] }
        state.compare.profile = history
        return []
    }
}
