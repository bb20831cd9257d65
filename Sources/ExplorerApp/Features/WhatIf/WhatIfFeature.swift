import RecCatalog
import RecModels
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let whatIfRemove: AppCommand = "whatif-remove"
    public static let whatIfClear: AppCommand = "whatif-clear"
    public static let whatIfFromUser: AppCommand = "whatif-from-user"
    public static let whatIfFewer: AppCommand = "whatif-fewer-recent"
    public static let whatIfMore: AppCommand = "whatif-more-recent"
    public static let whatIfFocus: AppCommand = "whatif-focus"
    public static let whatIfModels: AppCommand = "whatif-next-models"
    public static let whatIfWhy: AppCommand = "whatif-why"
    public static let whatIfSave: AppCommand = "whatif-save"
    public static let whatIfOpen: AppCommand = "whatif-open"
}

extension TextPurpose {
    static let savePersona = TextPurpose(name: "save-persona", label: "save this what-if user as persona: ")
    static let openPersona = TextPurpose(name: "open-persona", label: "open persona: ")
}

/// What-if: a user made up live. Items are added by search (`/`, Enter adds an item; Enter on a user starts
/// from that user's history), removed, and the last N of them counted; every model's top-K for them updates
/// side by side (ALS and BPR fold the user in, the others score from the items), `w` says why an item is
/// there, and the user can be saved by name as a persona (in the catalog, for `recscope personas` and Simulate).
public enum WhatIfFeature: Feature {
    public static let title = "What-if"
    public static let summary = "Make up a user from items and see every model's list for them"
    public static let root = View.whatIf
    /// `:user ID` and search keep the pane, so `u` starts from that user.
    public static let followsSelectedUser = true

    public static func register(_ c: inout Commands) {
        let ctx = "whatif"
        c.bind("d", "Delete", to: .whatIfRemove, help: "Remove the highlighted item", context: ctx)
        c.bind("c", to: .whatIfClear, help: "Start from nothing: remove every item", context: ctx)
        c.bind("u", to: .whatIfFromUser, help: "Start from the selected user's training history", context: ctx)
        c.bind("[", to: .whatIfFewer, help: "Count one recent item fewer (0: all of them)", context: ctx)
        c.bind("]", to: .whatIfMore, help: "Count one recent item more", context: ctx)
        c.bind("Tab", to: .whatIfFocus, help: "Move between the items and each model's column", context: ctx)
        c.bind("m", to: .whatIfModels, help: "Show the next models' columns", context: ctx)
        c.bind("w", to: .whatIfWhy, help: "Why: what the highlighted column item owes to the items, as bars", context: ctx)
        c.bind("s", to: .whatIfSave, help: "Save the what-if user as a persona (in the catalog)", context: ctx)
        c.bind("o", to: .whatIfOpen, help: "Open a saved persona by name", context: ctx)
        c.hint(ctx, .keys([.search], "add"), .keys([.whatIfRemove], "remove"), .keys([.whatIfFromUser], "from user"),
               .keys([.whatIfFewer, .whatIfMore], "recent"), .keys([.whatIfFocus], "column"), .keys([.whatIfWhy], "why"),
               .keys([.whatIfSave], "save"), .keys([.help], "help"))
        c.hint("whatif-why", .keys([.moveDown, .moveUp], "item"), .keys([.back], "back"), .keys([.help], "help"))
        c.verb("whatif", argument: "PERSONA", optional: true, help: "The What-if pane (with a saved persona's items)") { name, state in
            state.stack = [.whatIf]
            guard let name else { return [] }
            return [Effect(OpenPersona(name: name))]
        }
        c.prompt(.savePersona) { text, state in
            let name = text.trimmingCharacters(in: .whitespaces)
            guard !state.whatIf.items.isEmpty else {
                state.message = "Add items first: a persona is a list of items."
                return []
            }
            if let problem = StoredPersona.problem(withName: name) {
                state.message = problem.prefix(1).uppercased() + problem.dropFirst() + "."
                return []
            }
            let w = state.whatIf
            return [Effect(SavePersona(name: name, items: w.items.map(\.id), recent: w.recent, sourceUser: w.sourceUser))]
        }
        c.prompt(.openPersona) { text, state in
            let name = text.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? [] : [Effect(OpenPersona(name: name))]
        }
    }

    /// The models with a column, in the order `a`/`b` cycle through them.
    static func models(_ state: AppState) -> [ModelKind] { state.models.kinds }

    /// The models whose columns are on screen now.
    static func shown(_ state: AppState) -> [ModelKind] {
        let all = models(state)
        guard !all.isEmpty else { return [] }
        let count = WhatIfLayout(body: state.layout.body, models: all.count).columns.count
        let first = state.whatIf.firstModel % all.count
        return (0..<min(count, all.count)).map { all[(first + $0) % all.count] }
    }

    /// The model of the focused column, nil when the items have the focus.
    static func focusedModel(_ state: AppState) -> ModelKind? {
        let shown = shown(state)
        let f = state.whatIf.focus
        return f >= 1 && f <= shown.count ? shown[f - 1] : nil
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        if view.context == "whatif-why" {
            guard let delta = Explorer.delta(of: command, in: view, state) else { return nil }
            let count = state.whatIf.result?.lists[ModelKind(rawValue: view.arguments[0]) ?? .pop]?.items.count ?? 0
            state.whatIf.selectedRank = Explorer.moved(state.whatIf.selectedRank, by: delta, count: count)
            return []
        }
        if let delta = Explorer.delta(of: command, in: view, state) {
            if let model = focusedModel(state) {
                let count = state.whatIf.result?.lists[model]?.items.count ?? 0
                state.whatIf.selectedRank = Explorer.moved(state.whatIf.selectedRank, by: delta, count: count)
            } else {
                state.whatIf.selectedItem = Explorer.moved(state.whatIf.selectedItem, by: delta, count: state.whatIf.items.count)
            }
            return []
        }
        switch command {
        case .whatIfRemove:
            guard state.whatIf.focus == 0, state.whatIf.items.indices.contains(state.whatIf.selectedItem) else {
                state.message = "Tab back to the items to remove one."
                return []
            }
            let removed = state.whatIf.items.remove(at: state.whatIf.selectedItem)
            state.whatIf.selectedItem = Explorer.moved(state.whatIf.selectedItem, by: 0, count: state.whatIf.items.count)
            state.message = "Removed \(removed.title.isEmpty ? "item " + removed.id : removed.title)"
        case .whatIfClear:
            state.whatIf.items = []
            state.whatIf.sourceUser = nil
            state.whatIf.persona = nil
            state.whatIf.selectedItem = 0
        case .whatIfFromUser:
            guard let user = state.selection.user ?? state.users.selectedRow?.id else {
                state.message = "Select a user first (Browse, or :user ID)."
                return []
            }
            return [Effect(StartFromUser(user: user))]
        case .whatIfFewer, .whatIfMore:
            let n = state.whatIf.items.count
            var r = state.whatIf.recent == 0 ? n : state.whatIf.recent
            r += command == .whatIfMore ? 1 : -1
            state.whatIf.recent = r <= 0 || r >= n ? 0 : r
            state.message = state.whatIf.recent == 0 ? "Every item counts" : "The last \(state.whatIf.recent) items count"
        case .whatIfFocus:
            state.whatIf.focus = (state.whatIf.focus + 1) % (shown(state).count + 1)
            state.whatIf.selectedRank = 0
        case .whatIfModels:
            state.whatIf.firstModel = (state.whatIf.firstModel + 1) % max(1, models(state).count)
            state.whatIf.focus = min(state.whatIf.focus, shown(state).count)
        case .whatIfWhy:
            guard let model = focusedModel(state) else {
                state.message = "Tab to a model's column, then w explains its highlighted item."
                return []
            }
            guard let list = state.whatIf.result?.lists[model], !list.items.isEmpty else {
                state.message = "That column has no list yet."
                return []
            }
            state.whatIf.selectedRank = min(state.whatIf.selectedRank, list.items.count - 1)
            state.stack.append(.whatIfWhy(model))
        case .whatIfSave:
            state.prompt = .text(purpose: .savePersona, state.whatIf.persona ?? "")
        case .whatIfOpen:
            state.prompt = .text(purpose: .openPersona, "")
        default:
            return nil
        }
        return []
    }

    /// Enter on a search hit adds the item, or starts from the user's history.
    public static func choose(_ hit: SearchHit, in view: View, _ state: inout AppState) -> [Effect]? {
        guard view.context == "whatif" else { return nil }
        switch hit.kind {
        case .item: return apply(Added(item: ItemName(id: hit.id, title: hit.label)), &state)
        case .user: return [Effect(StartFromUser(user: hit.id))]
        }
    }

    /// The action that adds `item` to the what-if user, as Enter on its search hit does (for `bench tui`).
    public static func add(_ item: ItemName) -> Action { .message(Added(item: item)) }

    static func apply(_ message: some FeatureMessage, _ state: inout AppState) -> [Effect] { message.apply(to: &state) }

    /// Once shown, every model is wanted; while shown, the columns follow the items.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard !state.models.isEmpty else { return [] }
        var effects: [Effect] = []
        if visible {
            state.whatIf.wanted = true
            state.models.alsoWanted.formUnion(models(state))
            for kind in models(state) { effects += Models.prepare(kind, &state) }
        }
        guard visible else { return effects }
        let ready = models(state).filter { state.models.isReady($0) }
        let request = state.whatIf.request(models: ready)
        state.whatIf.current = request
        if !request.items.isEmpty, !ready.isEmpty, state.whatIf.result?.request != request, state.whatIf.pending != request {
            state.whatIf.pending = request
            effects.append(Effect(WhatIfRun(request: request)))
        }
        if state.top.context == "whatif-why", let model = ModelKind(rawValue: state.top.arguments[0]),
           state.whatIf.why?.request != request || state.whatIf.why?.model != model, state.whatIf.whyPending != request,
           !request.items.isEmpty {
            state.whatIf.whyPending = request
            effects.append(Effect(WhatIfExplain(request: request, model: model)))
        }
        return effects
    }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        if view.context == "whatif-why" { return WhatIfPane.renderWhy(view, state, in: area, on: &canvas) }
        WhatIfPane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] {
        ["what-if"] + (state.whatIf.persona.map { ["@" + $0] } ?? []) + (view.context == "whatif-why" ? ["why", view.arguments[0]] : [])
    }

    public static func position(_ view: View, _ state: AppState) -> String {
        state.whatIf.items.isEmpty ? "" : "\(state.whatIf.items.count) item\(state.whatIf.items.count == 1 ? "" : "s")"
    }
}

// MARK: answers and background work

/// An item added by search.
struct Added: FeatureMessage {
    let item: ItemName
    func apply(to state: inout AppState) -> [Effect] {
        if state.whatIf.items.contains(where: { $0.id == item.id }) {
            state.message = "Already there: \(item.title.isEmpty ? "item " + item.id : item.title)"
            return []
        }
        state.whatIf.items.append(item)
        state.whatIf.selectedItem = state.whatIf.items.count - 1
        if state.whatIf.recent > 0 { state.whatIf.recent = min(state.whatIf.recent + 1, state.whatIf.items.count) }
        return []
    }
}

/// Every ready model's list for the what-if user.
struct WhatIfRun: FeatureWork {
    let request: WhatIfRequest
    var summary: String { "ranking for the what-if user" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        let lists = try sources.models().whatIf(items: request.items, recent: request.recent, k: request.k, models: request.models)
        // Every model's ranking time as the source's clock reports it (fixed in tests and demo screenshots).
        let seconds = lists.values.reduce(0) { $0 + $1.seconds }
        return .message(WhatIfRanked(result: WhatIfResult(request: request, lists: lists, seconds: seconds)))
    }
}

struct WhatIfRanked: FeatureMessage {
    let result: WhatIfResult
    func apply(to state: inout AppState) -> [Effect] {
        if state.whatIf.pending == result.request { state.whatIf.pending = nil }
        state.whatIf.result = result
        return []
    }
}

struct WhatIfExplain: FeatureWork {
    let request: WhatIfRequest
    let model: ModelKind
    var summary: String { "explaining \(model.rawValue) for the what-if user" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(WhatIfExplained(why: WhatIfWhy(request: request, model: model, list: try sources.models().explainWhatIf(
            items: request.items, recent: request.recent, k: request.k, model: model))))
    }
}

struct WhatIfExplained: FeatureMessage {
    let why: WhatIfWhy
    func apply(to state: inout AppState) -> [Effect] {
        if state.whatIf.whyPending == why.request { state.whatIf.whyPending = nil }
        state.whatIf.why = why
        return []
    }
}

/// A catalog user's training history as the what-if user's items.
struct StartFromUser: FeatureWork {
    let user: String
    var summary: String { "reading the history of user \(user)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        .message(ItemsReplaced(items: try sources.models().trainingItems(user: user), sourceUser: user, persona: nil, recent: 0))
    }
}

struct ItemsReplaced: FeatureMessage {
    let items: [ItemName]
    let sourceUser: String?
    let persona: String?
    let recent: Int

    func apply(to state: inout AppState) -> [Effect] {
        state.whatIf.items = items
        state.whatIf.sourceUser = sourceUser
        state.whatIf.persona = persona
        state.whatIf.recent = recent >= items.count ? 0 : recent
        state.whatIf.selectedItem = max(0, items.count - 1)
        state.message = persona.map { "Persona \($0): \(items.count) items" } ?? sourceUser.map { "User \($0)'s \(items.count) training items" }
        return []
    }
}

struct SavePersona: FeatureWork {
    let name: String
    let items: [String]
    let recent: Int
    let sourceUser: String?
    var summary: String { "saving persona \(name)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        try sources.models().savePersona(name: name, items: items, recent: recent, sourceUser: sourceUser)
        return .message(PersonaSaved(name: name))
    }
}

struct PersonaSaved: FeatureMessage {
    let name: String
    func apply(to state: inout AppState) -> [Effect] {
        state.whatIf.persona = name
        state.message = "Saved persona \(name) (recscope personas lists it; Simulate plays it with u @\(name))"
        return []
    }
}

struct OpenPersona: FeatureWork {
    let name: String
    var summary: String { "opening persona \(name)" }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        guard let (persona, items) = try sources.models().persona(named: name) else {
            throw RecommendationError("no persona named \(name) (save one with s; recscope personas lists them)")
        }
        return .message(ItemsReplaced(items: items, sourceUser: persona.sourceUser, persona: persona.name, recent: persona.recent))
    }
}
