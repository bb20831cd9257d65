import TUIKit

/// The explorer's logic: `update` is the only thing that changes an `AppState`, and it does no I/O; what
/// needs the catalog or the models comes back as `Effect`s (Bubble Tea's `Update(Msg) (Model, Cmd)`).
public enum Explorer {
    /// The tabs, in the order of their number keys. A new pane is one line here.
    public static let tabs: [any Feature.Type] = [
        BrowseFeature.self,
        ItemsFeature.self,
        CatalogFeature.self,
        CompareFeature.self,
        MetricsFeature.self,
        TreeFeature.self,
        SimulateFeature.self,
        LensFeature.self,
        WhatIfFeature.self,
    ]

    /// Every key binding, hint, verb and prompt: the explorer's own, then each tab's.
    public static let commands: Commands = {
        var c = Commands()
        registerGlobal(&c)
        for tab in tabs { tab.register(&c) }
        registerTail(&c)
        return c
    }()

    /// The feature that draws `view` (nil for help).
    public static func feature(of view: View) -> (any Feature.Type)? {
        tabs.first { $0.owns(view) }
    }

    /// The tab number of `feature`, from 1.
    public static func number(of feature: any Feature.Type) -> Int {
        (tabs.firstIndex { $0 == feature } ?? 0) + 1
    }

    /// Applies `action` to `state` and returns the slow work it needs; then every pane asks for what it lacks.
    public static func update(_ state: inout AppState, _ action: Action) -> [Effect] {
        var effects: [Effect]
        switch action {
        case .started:
            effects = start(&state)
        case .key(let key):
            effects = handle(key, &state)
        case .command(let command):
            state.message = nil
            effects = perform(command, &state)
        case .tick:
            effects = tabs.flatMap { $0.tick(&state) }
        case .failed(let message):
            state.message = message
            effects = []
        case .message(let message):
            effects = message.base.apply(to: &state)
        }
        return effects + sync(&state)
    }

    /// Every pane's `start`: the first pages and the summary.
    static func start(_ state: inout AppState) -> [Effect] {
        UsersList.start(&state) + tabs.flatMap { $0.start(&state) } + [Effect(LoadSummary())]
    }

    /// Each pane asks for what it lacks (the shown one for its views; the others only for what they load in
    /// the background); then the models nobody asked for are no longer wanted.
    static func sync(_ state: inout AppState) -> [Effect] {
        let shown = feature(of: state.top)
        var effects = UsersList.sync(&state)
        for tab in tabs { effects += tab.sync(&state, visible: shown.map { $0 == tab } ?? false) }
        return effects
    }

    /// Whether a pane wants the autoplay clock now.
    public static func wantsTicks(_ state: AppState) -> Bool { tabs.contains { $0.wantsTicks(state) } }

    /// Runs a named command: the top view's pane first, then the explorer's own.
    public static func perform(_ command: AppCommand, _ state: inout AppState) -> [Effect] {
        let top = state.top
        if let feature = feature(of: top), let effects = feature.perform(command, in: top, &state) { return effects }
        return performGlobal(command, &state)
    }

    /// Routes a key: resize first, then an open prompt, the mouse, and the command table.
    static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if case .resize(let width, let height) = key {
            state.width = width
            state.height = height
            return []
        }
        state.message = nil
        if let prompt = state.prompt { return handlePrompt(key, prompt, &state) }
        if case .mouse(let event) = key { return handleMouse(event, &state) }
        guard let command = commands.table.command(for: key, in: state.top.context) else { return [] }
        return perform(command, &state)
    }

    /// Shows `feature`'s tab at its root view.
    public static func show(_ feature: any Feature.Type, _ state: inout AppState) -> [Effect] {
        state.stack = [feature.root]
        return []
    }

    /// Opens `view` on top of its tab's root.
    public static func open(_ view: View, _ state: inout AppState) {
        guard let feature = feature(of: view) else { return }
        state.stack = feature.root == view ? [view] : [feature.root, view]
    }

    static func back(_ state: inout AppState) -> [Effect] {
        if state.stack.count > 1 { state.stack.removeLast() }
        return []
    }

    static func clamp(_ index: Int, count: Int) -> Int {
        max(0, min(index, count - 1))
    }

    /// `index` moved by `delta` (saturating), clamped to a list of `count` rows.
    public static func moved(_ index: Int, by delta: Int, count: Int) -> Int {
        clamp(index.addingReportingOverflow(delta).partialValue, count: count)
    }

    /// The row a generic move command moves by in `view`, nil when `command` is not a move.
    public static func delta(of command: AppCommand, in view: View, _ state: AppState) -> Int? {
        let page = feature(of: view)?.pageRows(view, state) ?? 1
        switch command {
        case .moveUp: return -1
        case .moveDown: return 1
        case .pageUp: return -page
        case .pageDown: return page
        case .first: return Int.min / 2
        case .last: return Int.max / 2
        default: return nil
        }
    }
}
