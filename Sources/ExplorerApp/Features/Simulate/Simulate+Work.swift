import RecWorkbench

/// Opens, steps, restarts or instructs the pane's simulated session.
struct Simulate: FeatureWork {
    let op: SimulationOp
    let key: SimulationKey
    var summary: String { "simulating user \(key.user) with \(key.model.rawValue)" }
    /// Opening builds the simulator's inputs (seconds on a large catalog): it waits with the training.
    var lane: EffectLane { op == .open ? .training : .interactive }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        do { return .message(SimulationShown(op: op, snapshot: try sources.simulator.perform(op, key: key))) } catch {
            return .message(SimulationFailed(op: op, key: key, message: "\(error)"))
        }
    }
}

extension SimulationOp {
    /// Counts an answer: an opened session, or one of the operations in flight.
    func answered(_ key: SimulationKey, _ state: inout AppState) {
        if self == .open {
            if state.simulate.pending == key { state.simulate.pending = nil }
        } else {
            state.simulate.inFlight = max(0, state.simulate.inFlight - 1)
        }
    }
}

struct SimulationShown: FeatureMessage {
    let op: SimulationOp
    let snapshot: SimulationSnapshot

    func apply(to state: inout AppState) -> [Effect] {
        op.answered(snapshot.key, &state)
        guard snapshot.key == SimulateFeature.key(state) else { return [] }
        state.simulate.snapshot = snapshot
        if snapshot.finished && state.simulate.autoplay {
            state.simulate.autoplay = false
            state.message = "The session is over; autoplay stopped (r restarts)"
        }
        return []
    }
}

struct SimulationFailed: FeatureMessage {
    let op: SimulationOp
    let key: SimulationKey
    let message: String

    func apply(to state: inout AppState) -> [Effect] {
        op.answered(key, &state)
        guard key == SimulateFeature.key(state) else { return [] }
        state.simulate.failure = message
        state.simulate.failedKey = key
        state.simulate.autoplay = false
        return []
    }
}

/// A population run with the agent and with the baseline; slow.
struct RunPopulation: FeatureWork {
    let key: PopulationKey
    var summary: String { "simulating \(key.users) users with \(key.model.rawValue)" }
    var lane: EffectLane { .evaluation }

    func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
        do {
            let key = self.key
            return .message(PopulationFinished(result: try sources.simulator.population(key) {
                progress(.message(PopulationProgress(key: key, done: $0, total: $1)))
            }))
        } catch {
            return .message(PopulationFailed(message: "\(error)"))
        }
    }
}

struct PopulationProgress: FeatureMessage {
    let key: PopulationKey
    let done: Int
    let total: Int

    func apply(to state: inout AppState) -> [Effect] {
        guard case .running(key, _, _)? = state.simulate.population else { return [] }
        state.simulate.population = .running(key: key, done: done, total: total)
        return []
    }
}

struct PopulationFinished: FeatureMessage {
    let result: PopulationResult

    func apply(to state: inout AppState) -> [Effect] {
        state.simulate.population = .finished(result)
        return []
    }
}

struct PopulationFailed: FeatureMessage {
    let message: String

    func apply(to state: inout AppState) -> [Effect] {
        state.simulate.population = .failed(message)
        state.message = "The population run failed: \(message)"
        return []
    }
}
