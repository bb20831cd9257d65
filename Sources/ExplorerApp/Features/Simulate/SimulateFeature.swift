import Foundation
import RecModels
import RecSim
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let simStep: AppCommand = "sim-step"
    public static let simAutoplay: AppCommand = "sim-autoplay"
    public static let simRestart: AppCommand = "sim-restart"
    public static let simPersona: AppCommand = "sim-persona"
    public static let nextPersona: AppCommand = "next-persona"
    public static let previousPersona: AppCommand = "previous-persona"
    public static let simModel: AppCommand = "sim-model"
    public static let simAgent: AppCommand = "sim-agent"
    public static let simPolicy: AppCommand = "sim-policy"
    public static let simInstruct: AppCommand = "sim-instruct"
    public static let simPopulation: AppCommand = "sim-population"
}

extension TextPurpose {
    static let instruction = TextPurpose(name: "instruction", label: "say to the agent: ")
    static let persona = TextPurpose(name: "persona", label: "simulate user (empty: the Browse selection; @NAME: a saved persona): ")
}

/// Simulate: the selected user as a simulated user, stepped turn by turn against the selection's model A
/// with or without the instruction-following agent, under one of the agent's policies, and population runs.
public enum SimulateFeature: Feature {
    public static let title = "Simulate"
    public static let summary = "Step a simulated user and an agent that learns and follows instructions"
    public static let root = View.simulate

    public static func register(_ c: inout Commands) {
        let ctx = "simulate"
        c.bind("n", to: .simStep, help: "Next turn: the agent's slate and the user's reactions", context: ctx)
        c.bind("a", to: .simAutoplay, help: "Autoplay on/off (a turn every \(SimulateState.autoplayInterval) s)", context: ctx)
        c.bind("r", to: .simRestart, help: "Restart the session from turn 0 (same seeds)", context: ctx)
        c.bind("u", to: .simPersona, help: "Pick the persona by user id, or @NAME for a What-if persona (empty: the Browse selection)", context: ctx)
        c.bind("j", "Down", to: .nextPersona, help: "Simulate the next user of the Browse list", context: ctx)
        c.bind("k", "Up", to: .previousPersona, help: "Simulate the previous user of the Browse list", context: ctx)
        c.bind("m", to: .simModel, help: "Base model: cycle Compare's model A", context: ctx)
        c.bind("g", to: .simAgent, help: "Agent on/off: instruction-following vs the baseline", context: ctx)
        c.bind("p", to: .simPolicy, help: "Policy: \(AgentPolicy.names) (learning from clicks and skips)", context: ctx)
        c.bind("i", to: .simInstruct, help: "Type an instruction in place of the simulated user", context: ctx)
        c.bind("P", to: .simPopulation, help: "Run \(SimulateState.populationUsers) users under every policy and the baseline: retention", context: ctx)
        c.hint(ctx, .keys([.simStep], "next"), .keys([.simAutoplay], "auto"), .keys([.simRestart], "restart"),
               .keys([.simInstruct], "say"), .keys([.simPolicy], "policy"), .keys([.simAgent], "agent"), .keys([.simModel], "model"),
               .keys([.simPersona], "user"), .keys([.simPopulation], "population"), .keys([.help], "help"))
        c.verb("simulate", "sim", argument: "ID", optional: true, help: "Simulate the Browse selection (or user ID)") { id, state in
            state.stack = [.simulate]
            guard let id else { return [] }
            pick(id, &state)
            return []
        }
        c.prompt(.instruction) { text, state in
            let said = text.trimmingCharacters(in: .whitespaces)
            guard !said.isEmpty, let key = key(state) else { return [] }
            state.simulate.inFlight += 1
            state.message = "The agent reads it before the next slate (n)."
            return [Effect(Simulate(op: .inject(said), key: key))]
        }
        c.prompt(.persona) { text, state in
            let id = text.trimmingCharacters(in: .whitespaces)
            pick(id.isEmpty ? nil : id, &state)
            return []
        }
    }

    /// The user simulated: the one picked with `u`/`:simulate ID`, else the selected user.
    static func user(_ state: AppState) -> String? {
        state.simulate.pickedUser ?? state.selection.user ?? state.users.selectedRow?.id
    }

    /// The session the pane shows now: its user, the selection's model A, the agent switch, seed and turns.
    static func key(_ state: AppState) -> SimulationKey? {
        guard let user = user(state), !state.models.isEmpty else { return nil }
        let s = state.simulate
        return SimulationKey(user: user, model: state.selection.modelA, agent: s.agent, seed: s.seed, turns: s.turns, policy: s.policy)
    }

    public static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        let delta: Int? = switch command {
        case .nextPersona: 1
        case .previousPersona: -1
        default: Explorer.delta(of: command, in: view, state)
        }
        if let delta {
            state.simulate.pickedUser = nil
            state.simulate.autoplay = false
            UsersList.move(by: delta, &state)
            UsersList.select(&state)
            return []
        }
        let own: [AppCommand] = [.simStep, .simAutoplay, .simRestart, .simPersona, .simModel, .simAgent, .simPolicy, .simInstruct,
                                 .simPopulation]
        guard own.contains(command) else { return nil }
        guard !state.models.isEmpty else {
            state.message = "No models here: open a catalog (recscope tui --catalog FILE)."
            return []
        }
        switch command {
        case .simStep: return step(&state, quiet: false)
        case .simRestart:
            guard let key = key(state), state.simulate.snapshot?.key == key else { return [] }
            state.simulate.inFlight += 1
            state.message = "Restarted: the same persona and seeds from turn 0"
            return [Effect(Simulate(op: .restart, key: key))]
        case .simAutoplay:
            state.simulate.autoplay.toggle()
            state.message = state.simulate.autoplay ? "Autoplay on: a turn every \(SimulateState.autoplayInterval) s (a stops)" : "Autoplay off"
            return state.simulate.autoplay ? step(&state, quiet: true) : []
        case .simModel:
            state.simulate.autoplay = false
            state.selection.modelA = Models.next(after: state.selection.modelA, state)
            return []
        case .simAgent:
            state.simulate.agent.toggle()
            state.simulate.autoplay = false
            state.message = state.simulate.agent
                ? "Agent on: instructions change the slates; restarted at turn 0"
                : "Agent off: the baseline ignores instructions; restarted at turn 0"
            return []
        case .simPolicy:
            let all = AgentPolicy.allCases
            state.simulate.policy = all[((all.firstIndex(of: state.simulate.policy) ?? 0) + 1) % all.count]
            state.simulate.autoplay = false
            state.message = "Policy \(state.simulate.policy.rawValue): \(state.simulate.policy.summary); restarted at turn 0"
            return []
        case .simInstruct:
            guard let key = key(state), state.simulate.snapshot?.key == key else {
                state.message = "The session is still loading."
                return []
            }
            state.prompt = .text(purpose: .instruction, "")
            return []
        case .simPersona:
            state.prompt = .text(purpose: .persona, "")
            return []
        default:
            return population(&state)
        }
    }

    /// Starts a population run of the shown session's model, unless one is under way.
    static func population(_ state: inout AppState) -> [Effect] {
        if state.simulate.isPopulationRunning {
            state.message = "A population run is already under way."
            return []
        }
        guard let key = key(state), state.models.isReady(key.model) else {
            state.message = "Model \(state.selection.modelA.rawValue) is not ready yet."
            return []
        }
        let run = PopulationKey(model: key.model, users: SimulateState.populationUsers, turns: key.turns, seed: key.seed, agent: key.agent)
        let total = SimulationDriver.configurations(agent: key.agent).count * run.users
        state.simulate.population = .running(key: run, done: 0, total: total)
        return [Effect(RunPopulation(key: run))]
    }

    /// Asks for the next turn unless the session is over; autoplay (`quiet`) also waits until nothing is on
    /// its way, so its steps never pile up.
    static func step(_ state: inout AppState, quiet: Bool) -> [Effect] {
        guard let key = key(state), let shown = state.simulate.snapshot, shown.key == key else {
            if !quiet { state.message = "The session is still loading." }
            return []
        }
        guard !quiet || state.simulate.inFlight == 0 else { return [] }
        guard !shown.finished else {
            state.simulate.autoplay = false
            state.message = "The session is over (\(shown.turns.last?.left ?? "all \(key.turns) turns played")); r restarts"
            return []
        }
        state.simulate.inFlight += 1
        return [Effect(Simulate(op: .step, key: key))]
    }

    /// Simulates user `id` (nil: the selected user) from turn 0.
    static func pick(_ id: String?, _ state: inout AppState) {
        state.simulate.pickedUser = id
        state.simulate.autoplay = false
        state.simulate.failedKey = nil
        state.simulate.failure = nil
    }

    /// While shown: model A (prepared as for Compare), then the session at turn 0.
    public static func sync(_ state: inout AppState, visible: Bool) -> [Effect] {
        guard visible, let key = key(state) else { return [] }
        var effects = Models.prepare(key.model, &state)
        switch state.models.status[key.model] {
        case .ready?:
            guard state.simulate.snapshot?.key != key, state.simulate.pending != key, state.simulate.failedKey != key else { break }
            state.simulate.pending = key
            effects.append(Effect(Simulate(op: .open, key: key)))
        case .failed(let message)?:
            state.simulate.failure = message
            state.simulate.failedKey = key
        default: break
        }
        return effects
    }

    public static func tick(_ state: inout AppState) -> [Effect] {
        state.simulate.autoplay ? step(&state, quiet: true) : []
    }

    public static func wantsTicks(_ state: AppState) -> Bool { state.simulate.autoplay }

    public static func render(_ view: View, _ state: AppState, in area: Rect, on canvas: inout Canvas) {
        SimulatePane(state: state).render(in: area, on: &canvas)
    }

    public static func breadcrumb(_ view: View, _ state: AppState) -> [String] {
        ["simulate"] + (user(state).map { [$0] } ?? [])
    }

    /// While a population run is under way: `simulating 200 users with als: 120/400 sessions`.
    public static func statusLine(_ state: AppState) -> String? {
        guard case .running(let key, let done, let total)? = state.simulate.population else { return nil }
        let hint = state.top == .simulate ? " · " + Explorer.commands.hintLine("simulate") : ""
        return "simulating \(key.users) users with \(key.model.rawValue): \(done)/\(total) sessions\(hint)"
    }
}
