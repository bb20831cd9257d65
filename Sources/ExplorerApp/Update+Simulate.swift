import RecWorkbench
import Foundation
import TUIKit

extension Explorer {
    /// The user pane 7 simulates: the one picked with `p`/`:simulate ID`, else the Browse selection.
    static func simulationUser(_ state: AppState) -> String? {
        state.simulate.pickedUser ?? state.browsedUser ?? state.users.selectedRow?.id
    }

    /// The session pane 7 should show now: its user, Compare's model A, the agent switch, seed and turns.
    static func simulationKey(_ state: AppState) -> SimulationKey? {
        guard let user = simulationUser(state), !state.compare.modelNames.isEmpty else { return nil }
        let s = state.simulate
        return SimulationKey(user: user, model: state.compare.modelA, agent: s.agent, seed: s.seed, turns: s.turns)
    }

    /// Asks for what pane 7 lacks: model A (prepared the way Compare prepares it), then the session at turn 0.
    static func refreshSimulation(_ state: inout AppState) -> [Effect] {
        guard state.tab == .simulate, let key = simulationKey(state) else { return [] }
        var effects = prepare(key.model, &state)
        switch state.compare.status[key.model] {
        case .ready?:
            guard state.simulate.snapshot?.key != key, state.simulate.pending != key, state.simulate.failedKey != key else { break }
            state.simulate.pending = key
            effects.append(.simulate(.open, key))
        case .failed(let message)?:
            state.simulate.failure = message
            state.simulate.failedKey = key
        default: break
        }
        return effects
    }

    /// Runs pane 7's commands.
    static func performSimulate(_ command: AppCommand, _ state: inout AppState) -> [Effect] {
        guard !state.compare.modelNames.isEmpty else {
            state.message = "No models here: open a catalog (recscope tui --catalog FILE)."
            return []
        }
        switch command {
        case .simStep: return step(&state, quiet: false)
        case .simRestart:
            guard let key = simulationKey(state), state.simulate.snapshot?.key == key else { return refreshSimulation(&state) }
            state.simulate.inFlight += 1
            state.message = "Restarted: the same persona and seeds from turn 0"
            return [.simulate(.restart, key)]
        case .simAutoplay:
            state.simulate.autoplay.toggle()
            state.message = state.simulate.autoplay ? "Autoplay on: a turn every \(SimulateState.autoplayInterval) s (a stops)" : "Autoplay off"
            return state.simulate.autoplay ? step(&state, quiet: true) : []
        case .simAgent:
            state.simulate.agent.toggle()
            state.simulate.autoplay = false
            state.message = state.simulate.agent
                ? "Agent on: instructions change the slates; restarted at turn 0"
                : "Agent off: the baseline ignores instructions; restarted at turn 0"
            return refreshSimulation(&state)
        case .simInstruct:
            guard let key = simulationKey(state), state.simulate.snapshot?.key == key else {
                state.message = "The session is still loading."
                return []
            }
            state.prompt = .instruction("")
            return []
        case .simPersona:
            state.prompt = .persona("")
            return []
        case .simPopulation:
            if state.simulate.isPopulationRunning {
                state.message = "A population run is already under way."
                return []
            }
            guard let key = simulationKey(state), case .ready? = state.compare.status[key.model] else {
                state.message = "Model \(state.compare.modelA) is not ready yet."
                return refreshSimulation(&state)
            }
            let run = PopulationKey(model: key.model, users: SimulateState.populationUsers, turns: key.turns, seed: key.seed)
            state.simulate.population = .running(key: run, done: 0, total: 2 * run.users)
            return [.runPopulation(run)]
        default: return []
        }
    }

    /// Asks for the next turn unless the session is over; autoplay (`quiet`) also waits until nothing is
    /// on its way, so its steps never pile up.
    static func step(_ state: inout AppState, quiet: Bool) -> [Effect] {
        guard let key = simulationKey(state), let shown = state.simulate.snapshot, shown.key == key else {
            if !quiet { state.message = "The session is still loading." }
            return refreshSimulation(&state)
        }
        guard !quiet || state.simulate.inFlight == 0 else { return [] }
        guard !shown.finished else {
            state.simulate.autoplay = false
            state.message = "The session is over (\(shown.turns.last?.left ?? "all \(key.turns) turns played")); r restarts"
            return []
        }
        state.simulate.inFlight += 1
        return [.simulate(.step, key)]
    }

    /// Enter on the instruction or persona prompt.
    static func submitSimulatePrompt(_ prompt: Prompt, _ state: inout AppState) -> [Effect] {
        switch prompt {
        case .instruction(let text):
            let said = text.trimmingCharacters(in: .whitespaces)
            guard !said.isEmpty, let key = simulationKey(state) else { return [] }
            state.simulate.inFlight += 1
            state.message = "The agent reads it before the next slate (n)."
            return [.simulate(.inject(said), key)]
        case .persona(let text):
            let id = text.trimmingCharacters(in: .whitespaces)
            return pickPersona(id.isEmpty ? nil : id, &state)
        default: return []
        }
    }

    /// Simulates user `id` (nil: the Browse selection) from turn 0.
    static func pickPersona(_ id: String?, _ state: inout AppState) -> [Effect] {
        state.simulate.pickedUser = id
        state.simulate.autoplay = false
        state.simulate.failedKey = nil
        state.simulate.failure = nil
        return refreshSimulation(&state)
    }

    /// Moves the Browse selection from pane 7; the simulated persona follows it.
    static func movePersona(by delta: Int, _ state: inout AppState) -> [Effect] {
        state.simulate.pickedUser = nil
        state.simulate.autoplay = false
        return moveCompareUser(by: delta, &state) + refreshSimulation(&state)
    }

    /// Counts an answer: an opened session, or one of the operations in flight.
    static func answered(_ op: SimulationOp, _ key: SimulationKey, _ state: inout AppState) {
        if op == .open {
            if state.simulate.pending == key { state.simulate.pending = nil }
        } else {
            state.simulate.inFlight = max(0, state.simulate.inFlight - 1)
        }
    }

    /// Applies the results of simulation effects, and the autoplay tick.
    static func updateSimulate(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .tick:
            guard state.simulate.autoplay else { return [] }
            return step(&state, quiet: true)
        case .simulationShown(let op, let shown):
            answered(op, shown.key, &state)
            guard shown.key == simulationKey(state) else { return [] }
            state.simulate.snapshot = shown
            if shown.finished && state.simulate.autoplay {
                state.simulate.autoplay = false
                state.message = "The session is over; autoplay stopped (r restarts)"
            }
            return []
        case .simulationFailed(let op, let key, let message):
            answered(op, key, &state)
            guard key == simulationKey(state) else { return [] }
            state.simulate.failure = message
            state.simulate.failedKey = key
            state.simulate.autoplay = false
            return []
        case .populationProgress(let key, let done, let total):
            guard case .running(key, _, _)? = state.simulate.population else { return [] }
            state.simulate.population = .running(key: key, done: done, total: total)
            return []
        case .populationFinished(let result):
            state.simulate.population = .finished(result)
            return []
        case .populationFailed(let message):
            state.simulate.population = .failed(message)
            state.message = "The population run failed: \(message)"
            return []
        default:
            return []
        }
    }
}
