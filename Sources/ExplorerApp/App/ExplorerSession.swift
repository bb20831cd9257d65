import Dispatch
import RecCore
import Synchronization
import TUIKit

/// Actions posted by background work, waiting for the UI loop to take them.
public final class Inbox: Sendable {
    private let actions = Mutex<[Action]>([])

    public init() {}

    public func post(_ action: Action) {
        actions.withLock { $0.append(action) }
    }

    /// Everything posted so far, oldest first; the inbox is empty afterwards.
    public func drain() -> [Action] {
        actions.withLock { a in
            defer { a.removeAll() }
            return a
        }
    }
}

/// How effects run: on a background queue for the terminal, inline for headless replays.
public enum EffectMode: Sendable {
    /// Effects run on background queues (one per lane) and post their actions to the inbox.
    case background
    /// Effects run at once on the calling thread, so a replay is deterministic.
    case inline
}

/// The explorer as an `InteractiveApp`: owns the state, feeds keys and finished effects to
/// `Explorer.update`, and starts the effects it returns.
public struct ExplorerSession: InteractiveApp {
    public private(set) var state: AppState
    let sources: Sources
    let inbox = Inbox()
    let mode: EffectMode
    let queues: [EffectLane: DispatchQueue] = [
        .interactive: DispatchQueue(label: "recscope.explorer.effects", qos: .userInitiated),
        .training: DispatchQueue(label: "recscope.explorer.training", qos: .utility),
        .evaluation: DispatchQueue(label: "recscope.explorer.evaluation", qos: .utility),
    ]
    /// Seconds on a monotonic clock, for the autoplay clock (injected in tests).
    let now: @Sendable () -> Double
    var lastTick = -Double.infinity

    public init(dataSource: any ExplorerDataSource, recommendations: (any RecommendationSource)? = nil,
                width: Int, height: Int, mode: EffectMode = .background,
                now: @escaping @Sendable () -> Double = Monotonic.now) {
        self.now = now
        state = AppState(catalogName: dataSource.name, width: width, height: height)
        if let recommendations {
            state.models.kinds = recommendations.modelKinds
            state.models.splitName = recommendations.splitName
            state.selection.modelA = recommendations.modelKinds.first ?? .pop
            state.selection.modelB = recommendations.modelKinds.dropFirst().first ?? state.selection.modelA
        }
        sources = Sources(data: dataSource, recommendations: recommendations)
        self.mode = mode
        dispatch(.started)
    }

    public var isFinished: Bool { state.isFinished }

    public mutating func receive(_ key: Key) {
        dispatch(.key(key))
    }

    public mutating func pollBackground() -> Bool {
        let actions = inbox.drain()
        for action in actions { dispatch(action) }
        // The autoplay clock ticks on the loop's own wake-ups (it waits for input at most ~50 ms): no timer, no spin.
        if Explorer.wantsTicks(state), now() - lastTick >= SimulateState.autoplayInterval {
            lastTick = now()
            dispatch(.tick)
            return true
        }
        return !actions.isEmpty
    }

    public func draw(on canvas: inout Canvas) {
        Explorer.render(state, on: &canvas)
    }

    /// Applies an action and runs the effects it asks for (inline ones until none are left).
    public mutating func dispatch(_ action: Action) {
        var queue: [Action] = [action]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            let effects = Explorer.update(&state, next)
            sources.wanted.set(Models.wanted(state))
            for effect in effects {
                switch mode {
                case .inline:
                    let progress = Inbox()
                    let result = sources.perform(effect) { progress.post($0) }
                    queue.append(contentsOf: progress.drain())
                    queue.append(result)
                case .background:
                    let sources = self.sources, inbox = self.inbox
                    queues[effect.lane]!.async { inbox.post(sources.perform(effect) { inbox.post($0) }) }
                }
            }
        }
    }
}

/// Replays `keys` (key names as in `Key(name:)`, or command names) on a headless explorer of `width` ×
/// `height` and returns the screen text before the first key and after each key.
///
/// Effects run inline, so the screens do not depend on timing. A `Resize:WxH` key changes the size.
public func play(keys: [String], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                 recommendations: (any RecommendationSource)? = nil) throws(KeyScriptError) -> [String] {
    var steps: [ScriptStep<AppCommand>] = []
    for (i, name) in keys.enumerated() {
        if let key = Key(name: name) {
            steps.append(.key(key))
        } else if let command = Explorer.command(named: name) {
            steps.append(.word(command))
        } else {
            throw KeyScriptError(line: i + 1, token: name)
        }
    }
    return play(steps, width: width, height: height, dataSource: dataSource, recommendations: recommendations)
}

/// `play(keys:)` for decoded keys; stops early once the explorer quits.
public func play(_ keys: [Key], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                 recommendations: (any RecommendationSource)? = nil) -> [String] {
    play(keys.map { ScriptStep<AppCommand>.key($0) }, width: width, height: height, dataSource: dataSource,
         recommendations: recommendations)
}

/// `play(keys:)` for a parsed script (`Explorer.parseScript`) of keys and command names.
public func play(_ steps: [ScriptStep<AppCommand>], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                 recommendations: (any RecommendationSource)? = nil) -> [String] {
    playFrames(steps, width: width, height: height, dataSource: dataSource, recommendations: recommendations).map(\.text)
}

/// The screens of a replay as canvases (text with styles), before the first step and after each: what
/// `recscope tui --play --cast` records.
public func playFrames(_ steps: [ScriptStep<AppCommand>], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                       recommendations: (any RecommendationSource)? = nil) -> [Canvas] {
    var session = ExplorerSession(dataSource: dataSource, recommendations: recommendations, width: width, height: height,
                                  mode: .inline)
    var size = (width, height)
    func screen(_ s: ExplorerSession) -> Canvas {
        var canvas = Canvas(width: size.0, height: size.1)
        s.draw(on: &canvas)
        return canvas
    }
    var screens = [screen(session)]
    for step in steps {
        if session.isFinished { break }
        switch step {
        case .key(let key):
            if case .resize(let w, let h) = key { size = (w, h) }
            session.receive(key)
        case .word(let command):
            session.dispatch(.command(command))
        }
        screens.append(screen(session))
    }
    return screens
}

extension Explorer {
    /// The command registered under `name`, for scripts and `:NAME`.
    public static func command(named name: String) -> AppCommand? {
        let command = AppCommand(rawValue: name)
        return commands.table.bindings.contains { $0.command == command } ? command : nil
    }

    /// Reads a key script whose words may also be command names (`j j open-sessions`).
    public static func parseScript(_ script: String) throws(KeyScriptError) -> [ScriptStep<AppCommand>] {
        try Key.parseScript(script, words: command(named:))
    }
}
