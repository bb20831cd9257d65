import RecWorkbench
import Dispatch
import RecModels
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
    /// Effects run on a serial background queue and post their actions to the inbox.
    case background
    /// Effects run at once on the calling thread, so a replay is deterministic.
    case inline
}

/// The explorer as an `InteractiveApp`: owns the state, feeds keys and finished effects to
/// `Explorer.update`, and starts the effects it returns.
public struct ExplorerSession: InteractiveApp {
    public private(set) var state: AppState
    let runner: EffectRunner
    let inbox = Inbox()
    let mode: EffectMode
    let queue = DispatchQueue(label: "recscope.explorer.effects", qos: .userInitiated)
    /// Training, apart from `queue` so that browsing never waits behind it.
    let trainingQueue = DispatchQueue(label: "recscope.explorer.training", qos: .utility)
    /// Evaluation, so metrics of a ready model do not wait behind another model's training.
    let evaluationQueue = DispatchQueue(label: "recscope.explorer.evaluation", qos: .utility)
    /// `Explorer.wantedModels` after the latest action, read by queued preparations before they start.
    let wanted = WantedModels()
    /// Seconds on a monotonic clock, for pane 7's autoplay (injected in tests).
    let now: @Sendable () -> Double
    var lastTick = -Double.infinity

    public init(dataSource: any ExplorerDataSource, recommendations: (any RecommendationSource)? = nil,
                width: Int, height: Int, mode: EffectMode = .background,
                now: @escaping @Sendable () -> Double = ExplorerSession.monotonicSeconds) {
        self.now = now
        state = AppState(catalogName: dataSource.name, width: width, height: height)
        if let recommendations {
            state.compare.modelNames = recommendations.modelKinds
            state.compare.splitName = recommendations.splitName
            state.compare.modelA = recommendations.modelKinds.first ?? .pop
            state.compare.modelB = recommendations.modelKinds.dropFirst().first ?? state.compare.modelA
        }
        runner = EffectRunner(dataSource: dataSource, recommendations: recommendations)
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
        // Autoplay steps on the loop's own wake-ups (it waits for input at most ~50 ms): no timer, no spin.
        if state.simulate.autoplay, now() - lastTick >= SimulateState.autoplayInterval {
            lastTick = now()
            dispatch(.tick)
            return true
        }
        return !actions.isEmpty
    }

    /// Seconds since an arbitrary start, from the monotonic clock.
    public static func monotonicSeconds() -> Double {
        let (s, atto) = ContinuousClock.now.duration(to: _start).components
        return -(Double(s) + Double(atto) * 1e-18)
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
            wanted.set(Explorer.wantedModels(state))
            for effect in effects {
                switch mode {
                case .inline:
                    let progress = Inbox()
                    let result = runner.perform(effect) { progress.post($0) }
                    queue.append(contentsOf: progress.drain())
                    queue.append(result)
                case .background:
                    let runner = self.runner, inbox = self.inbox, wanted = self.wanted
                    let lane = switch effect.lane {
                    case .interactive: self.queue
                    case .training: trainingQueue
                    case .evaluation: evaluationQueue
                    }
                    lane.async {
                        if case .prepareModel(let model) = effect, !wanted.contains(model) {
                            inbox.post(.modelSkipped(model))
                            return
                        }
                        inbox.post(runner.perform(effect) { inbox.post($0) })
                    }
                }
            }
        }
    }
}

private let _start = ContinuousClock.now

/// The models a session still wants prepared, shared with its queued effects.
final class WantedModels: Sendable {
    private let models = Mutex<Set<ModelKind>>([])

    func set(_ names: Set<ModelKind>) { models.withLock { $0 = names } }
    func contains(_ name: ModelKind) -> Bool { models.withLock { $0.contains(name) } }
}

/// Replays `keys` (key names, as in `Key(name:)`) on a headless explorer of `width` × `height`
/// and returns the screen text before the first key and after each key.
///
/// Effects run inline, so the screens do not depend on timing. A `Resize:WxH` key changes the size.
public func play(keys: [String], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                 recommendations: (any RecommendationSource)? = nil) throws(KeyScriptError) -> [String] {
    var parsed: [Key] = []
    for (i, name) in keys.enumerated() {
        guard let key = Key(name: name) else { throw KeyScriptError(line: i + 1, token: name) }
        parsed.append(key)
    }
    return play(parsed, width: width, height: height, dataSource: dataSource, recommendations: recommendations)
}

/// `play(keys:)` for decoded keys; stops early once the explorer quits.
public func play(_ keys: [Key], width: Int = 80, height: Int = 24, dataSource: any ExplorerDataSource,
                 recommendations: (any RecommendationSource)? = nil) -> [String] {
    var session = ExplorerSession(dataSource: dataSource, recommendations: recommendations, width: width, height: height,
                                  mode: .inline)
    var size = (width, height)
    func screen(_ s: ExplorerSession) -> String {
        var canvas = Canvas(width: size.0, height: size.1)
        s.draw(on: &canvas)
        return canvas.text
    }
    var screens = [screen(session)]
    for key in keys {
        if session.isFinished { break }
        if case .resize(let w, let h) = key { size = (w, h) }
        session.receive(key)
        screens.append(screen(session))
    }
    return screens
}
