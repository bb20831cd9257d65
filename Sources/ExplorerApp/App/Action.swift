import RecModels
import Synchronization
import TUIKit

/// Something that happened: a key, a command by name, or an answer from background work.
public enum Action: Hashable, Sendable {
    case key(Key)
    /// A named command, as a key bound to it would run it (`--play` scripts may name commands).
    case command(AppCommand)
    /// Sent once when the explorer starts.
    case started
    /// The autoplay clock: posted by the loop every `SimulateState.autoplayInterval` while a pane wants it.
    case tick
    /// Background work failed; the text says what it was doing.
    case failed(String)
    /// An answer for a pane, applied by its own code.
    case message(Message)

    /// Wraps a pane's answer.
    public static func message(_ message: some FeatureMessage) -> Action { .message(Message(message)) }
}

/// A pane's answer to its background work: applying it to the state is the pane's own code.
public protocol FeatureMessage: Hashable, Sendable {
    func apply(to state: inout AppState) -> [Effect]
}

/// Slow work a pane asks for; `EffectRunner` does it off the UI thread and answers with an `Action`.
public protocol FeatureWork: Hashable, Sendable {
    /// What it was doing, for the failure line: `loading users`.
    var summary: String { get }
    /// The background queue it runs on.
    var lane: EffectLane { get }
    /// Does the work; `progress` receives actions reporting progress on the way (from the working thread).
    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action
}

extension FeatureWork {
    public var lane: EffectLane { .interactive }
}

/// A pane's answer, type-erased so `Action` stays one enum whatever the panes are.
public struct Message: Hashable, Sendable {
    public let base: any FeatureMessage
    public init(_ base: some FeatureMessage) { self.base = base }
    public static func == (a: Message, b: Message) -> Bool { AnyHashable(a.base) == AnyHashable(b.base) }
    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(base)) }
}

/// Slow work `update` asks for (a pane's `FeatureWork`).
public struct Effect: Hashable, Sendable, CustomStringConvertible {
    public let work: any FeatureWork
    public init(_ work: some FeatureWork) { self.work = work }
    public static func == (a: Effect, b: Effect) -> Bool { AnyHashable(a.work) == AnyHashable(b.work) }
    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(work)) }
    public var description: String { "\(work)" }
    public var lane: EffectLane { work.lane }
}

/// The background queues effects run on: training and evaluation may take seconds or minutes, so each has
/// its own, and page loads, recommendations and metrics never wait behind training.
public enum EffectLane: Hashable, Sendable {
    case interactive, training, evaluation
}

/// What background work reads: the catalog, the models, the simulated session, and which models the
/// explorer still wants (a queued preparation nobody wants any more is skipped).
public struct Sources: Sendable {
    public static let sessionLimit = 500
    public static let sessionItemLimit = 500
    public static let detailUserLimit = 50
    public static let searchLimit = 50

    public let data: any ExplorerDataSource
    public let recommendations: (any RecommendationSource)?
    /// Pane 7's simulated session and the simulator's inputs.
    public let simulator: SimulationDriver
    let wanted: WantedModels

    public init(data: any ExplorerDataSource, recommendations: (any RecommendationSource)? = nil) {
        self.data = data
        self.recommendations = recommendations
        simulator = SimulationDriver(source: recommendations as? any SimulationSource)
        wanted = WantedModels()
    }

    /// The models; an error saying how to get some when the explorer has none.
    public func models() throws -> any RecommendationSource {
        guard let recommendations else {
            throw RecommendationError("this explorer has no models (open a catalog: recscope tui --catalog FILE)")
        }
        return recommendations
    }

    /// Performs `effect`, answering with the action that reports its result or its failure.
    public func perform(_ effect: Effect, progress: @escaping @Sendable (Action) -> Void = { _ in }) -> Action {
        do { return try effect.work.run(self, progress: progress) } catch {
            return .failed("\(effect.work.summary) failed: \(error)")
        }
    }
}

/// The models the explorer still wants prepared, shared with its queued effects.
final class WantedModels: Sendable {
    private let models = Mutex<Set<ModelKind>>([])

    func set(_ kinds: Set<ModelKind>) { models.withLock { $0 = kinds } }
    func contains(_ kind: ModelKind) -> Bool { models.withLock { $0.contains(kind) } }
}
