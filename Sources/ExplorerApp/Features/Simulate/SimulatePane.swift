import RecWorkbench
import Foundation
import RecCore
import RecSim
import TUIKit

/// Simulate: one simulated user stepped turn by turn against Compare's model A, with or without the
/// instruction-following agent and under one of its policies: the slate and the user's reaction per item,
/// what the user said and what the agent did, the user's mindset and the agent's belief as bars, and the
/// retention of a population run per policy.
struct SimulatePane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let (info, rest) = area.splitTop(1)
        let columns = rest.columns([.percent(58), .fill])
        let s = state.simulate
        canvas.draw(infoLine, x: info.x + 1, y: info.y, maxWidth: info.width - 1, style: Theme.muted)
        guard let shown = s.snapshot, shown.key == SimulateFeature.key(state) else {
            Box(title: "Simulate").render(in: columns[0], on: &canvas)
            let inner = Box.inner(columns[0])
            TextBlock(waitingText).render(in: inner, on: &canvas)
            renderRetention(in: columns[1], on: &canvas)
            return
        }
        let left = columns[0]
        let slateHeight = min((shown.turns.last?.slate.count ?? 1) + 3, max(4, left.height - 7))
        let (slateArea, saidArea) = left.splitTop(slateHeight)
        renderSlate(shown, in: slateArea, on: &canvas)
        renderSaid(shown, in: saidArea, on: &canvas)
        let right = columns[1]
        let mindsetHeight = min(right.height - 5, Self.mindsetRows(right.height) + 2)
        let (mindArea, rest2) = right.splitTop(mindsetHeight)
        let (beliefArea, retentionArea) = rest2.splitTop(min(max(0, rest2.height - 5), Self.beliefRows(right.height) + 2))
        renderMindset(shown, in: mindArea, on: &canvas)
        renderBelief(shown, in: beliefArea, on: &canvas)
        renderRetention(in: retentionArea, on: &canvas)
    }

    /// `user 42 · als · agent on · seed 1 · turn 3/20`, then the persona's traits.
    var infoLine: String {
        let s = state.simulate
        let who = SimulateFeature.user(state).map { "user \(TerminalText.sanitize($0))" } ?? "no user selected"
        var parts = [who, "model \(state.selection.modelA.rawValue)", "policy \(s.policy.rawValue)",
                     s.agent ? "agent on" : "agent off (baseline)", "seed \(s.seed)"]
        if let shown = s.snapshot, shown.key == SimulateFeature.key(state) {
            parts.append("turn \(shown.turns.count)/\(shown.key.turns)")
            parts.append("history \(shown.historyCount) · future \(shown.futureCount)")
            parts.append(shown.traits)
        }
        if s.autoplay { parts.append("▶ autoplay") }
        return parts.joined(separator: " · ")
    }

    var waitingText: String {
        let s = state.simulate
        if state.models.isEmpty { return "No models: the explorer was opened without a catalog (recscope tui --catalog FILE)." }
        guard let key = SimulateFeature.key(state) else { return "Select a user in Browse (1), or u to pick one by id." }
        if s.failedKey == key, let failure = s.failure { return "Cannot simulate: \(failure)\n\nu picks another user; j/k move through the Browse list." }
        switch state.models.status[key.model] {
        case .preparing(let line)?: return "Preparing \(key.model), Compare's model A…\n\(line)"
        case .failed(let message)?: return "Model \(key.model) failed: \(message)"
        default: return "Building the simulated user \(key.user) over \(key.model)…"
        }
    }

    // MARK: the slate

    func renderSlate(_ shown: SimulationSnapshot, in area: Rect, on canvas: inout Canvas) {
        guard let turn = shown.turns.last else {
            Box(title: "Turn 0: no slate yet").render(in: area, on: &canvas)
            canvas.draw("n shows the first slate · a autoplays · i speaks for the user", x: area.x + 2, y: area.y + 1,
                        maxWidth: area.width - 4, style: Theme.muted)
            return
        }
        let title = "Turn \(turn.turn): \(turn.clicks) click\(turn.clicks == 1 ? "" : "s"), \(turn.likes) like\(turn.likes == 1 ? "" : "s")"
        Box(title: title).render(in: area, on: &canvas)
        let inner = Box.inner(area)
        let columns = [Column("#", .fixed(2), .right), Column("reaction", .fixed(8)), Column("title", .fill),
                       Column("topics", .percent(30))]
        let rows = turn.slate.enumerated().map { n, e in [String(n + 1), Self.reactionLabel(e.reaction), e.title, e.topics] }
        TableView(columns: columns, rows: rows).render(in: inner, on: &canvas)
        // Colour the reaction column: likes and clicks stand out, unseen items are dim.
        for (n, e) in turn.slate.enumerated() where n + 1 < inner.height {
            let style: Style = switch e.reaction {
            case .like: Theme.accent.with(.bold)
            case .click: Theme.accent
            case .skip: .plain
            case .unseen: Theme.muted
            }
            canvas.draw(Self.reactionLabel(e.reaction), x: inner.x + 3, y: inner.y + 1 + n, maxWidth: 8, style: style)
        }
    }

    static func reactionLabel(_ r: Reaction) -> String {
        switch r {
        case .like: "♥ like"
        case .click: "✓ click"
        case .skip: "· skip"
        case .unseen: "unseen"
        }
    }

    // MARK: what was said and done

    func renderSaid(_ shown: SimulationSnapshot, in area: Rect, on canvas: inout Canvas) {
        Box(title: "Said and done").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard !inner.isEmpty else { return }
        var lines: [(String, Style)] = []
        func add(_ text: String, _ style: Style, indent: String = "  ") {
            for (n, line) in Text.wrap(text, width: max(1, inner.width - indent.count)).enumerated() {
                lines.append(((n == 0 ? "" : indent) + line, style))
            }
        }
        if let waiting = shown.waiting {
            add("you: “\(waiting)” (the agent reads it before the next slate)", Theme.title)
        }
        if let turn = shown.turns.last {
            if let typed = turn.typed { add("you, before turn \(turn.turn): “\(typed)”", Theme.title) }
            // What the user said, then what the agent did; why the user said it comes last, as it is
            // the first thing to give up on a short screen.
            add(turn.said.map { "user: “\($0)”" } ?? "user: (says nothing)", turn.said == nil ? Theme.muted : Theme.header)
            add("agent: \(turn.trace)", .plain)
            if let cause = turn.cause { add("  (the user spoke because \(cause))", Theme.muted) }
            if let left = turn.left { add("The user left: \(left). r restarts.", Theme.warning) }
        }
        let history = shown.turns.reversed().dropFirst().map { t in
            let marks = String(t.slate.map(\.reaction.letter))
            let said = t.typed.map { " you: “\($0)”" } ?? t.said.map { " “\($0)”" } ?? ""
            return ("t\(t.turn) \(marks) \(t.clicks)c p\(String(format: "%.2f", t.patience))\(said)", Theme.muted)
        }
        if !history.isEmpty && lines.count + 2 <= inner.height {
            lines.append(("earlier (c click, L like, s skip, . unseen):", Theme.muted))
            lines += history
        }
        for (n, (text, style)) in lines.prefix(inner.height).enumerated() {
            canvas.draw(text, x: inner.x, y: inner.y + n, maxWidth: inner.width, style: style)
        }
    }

    // MARK: the mindset

    /// Rows the mindset needs inside its box for a column of `height`.
    static func mindsetRows(_ height: Int) -> Int { height >= 30 ? 13 : 6 }
    /// Rows the belief needs inside its box for a column of `height`.
    static func beliefRows(_ height: Int) -> Int { height >= 30 ? 6 : 3 }

    func renderMindset(_ shown: SimulationSnapshot, in area: Rect, on canvas: inout Canvas) {
        Box(title: "Mindset").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard inner.width > 12, inner.height > 0 else { return }
        let m = shown.mindset
        let wide = inner.height >= 13
        var rows: [(label: String, fraction: Double, value: String, style: Style)] = []
        for bar in m.interests.prefix(wide ? 5 : inner.height >= 8 ? 3 : 2) {
            rows.append(("♡ " + bar.label, Double(bar.value), String(format: "%.2f", bar.value), Theme.accent))
        }
        let satiation = m.satiation.prefix(wide ? 3 : inner.height >= 8 ? 2 : 1)
        for bar in satiation {
            rows.append(("≋ " + bar.label, Double(bar.value) / 2, String(format: "%.2f", bar.value), Theme.header))
        }
        if satiation.isEmpty { rows.append(("satiation", 0, "none", Theme.header)) }
        rows.append(("fatigue", Double(m.fatigue) / 0.9, String(format: "%.2f", m.fatigue), Theme.muted))
        let patience = m.startPatience > 0 ? Double(m.patience / m.startPatience) : 0
        rows.append(("patience", patience, String(format: "%.2f/%.2f", m.patience, m.startPatience),
                     patience < 0.35 ? Theme.warning : Theme.title))
        let labelWidth = min(14, inner.width / 3), valueWidth = 9
        let barWidth = max(1, inner.width - labelWidth - valueWidth - 2)
        for (n, row) in rows.prefix(inner.height).enumerated() {
            let y = inner.y + n
            canvas.draw(row.label, x: inner.x, y: y, maxWidth: labelWidth)
            canvas.draw(horizontalBar(fraction: min(1, max(0, row.fraction)), width: barWidth), x: inner.x + labelWidth + 1,
                        y: y, maxWidth: barWidth, style: row.style)
            canvas.draw(row.value, in: Rect(x: inner.maxX - valueWidth, y: y, width: valueWidth, height: 1), alignment: .right)
        }
        if rows.count < inner.height {
            canvas.draw("\(m.poorTurns) turn\(m.poorTurns == 1 ? "" : "s") without a click", x: inner.x, y: inner.y + rows.count,
                        maxWidth: inner.width, style: Theme.muted)
        }
    }

    // MARK: the agent's belief

    /// The topics the agent thinks the user wants, as bars of the predicted response (0 to 1) with its
    /// posterior deviation: watch it learn the user turn by turn next to the mindset above.
    func renderBelief(_ shown: SimulationSnapshot, in area: Rect, on canvas: inout Canvas) {
        guard area.height > 0 else { return }
        guard let b = shown.belief else {
            Box(title: "Agent's belief").render(in: area, on: &canvas)
            TextBlock("static learns nothing from reactions; p picks feedback, ts or cascade", style: Theme.muted)
                .render(in: Box.inner(area), on: &canvas)
            return
        }
        Box(title: "Belief: \(shown.key.policy.rawValue), \(b.responses) responses, \(b.clicks) clicks").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard inner.width > 12, inner.height > 0 else { return }
        let labelWidth = min(14, inner.width / 3), valueWidth = 10
        let barWidth = max(1, inner.width - labelWidth - valueWidth - 2)
        for (n, bar) in b.topics.prefix(inner.height).enumerated() {
            let y = inner.y + n
            canvas.draw("◆ " + bar.label, x: inner.x, y: y, maxWidth: labelWidth)
            canvas.draw(horizontalBar(fraction: Double(bar.value), width: barWidth), x: inner.x + labelWidth + 1, y: y,
                        maxWidth: barWidth, style: bar.certainty >= 0.5 ? Theme.title : Theme.muted)
            canvas.draw(String(format: "%.2f±%.2f", bar.value, bar.deviation),
                        in: Rect(x: inner.maxX - valueWidth, y: y, width: valueWidth, height: 1), alignment: .right)
        }
        if b.topics.count < inner.height {
            canvas.draw("over \(b.vectors); ±: posterior sd", x: inner.x, y: inner.y + b.topics.count, maxWidth: inner.width,
                        style: Theme.muted)
        }
    }
}
