import RecWorkbench
import Foundation
import RecCore
import RecSim
import TUIKit

/// Simulate: one simulated user stepped turn by turn against Compare's model A, with or without the
/// instruction-following agent: the slate and the user's reaction per item, what the user said and what
/// the agent did, the mindset as bars, and the retention of a population run.
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
        let (mindArea, retentionArea) = right.splitTop(mindsetHeight)
        renderMindset(shown, in: mindArea, on: &canvas)
        renderRetention(in: retentionArea, on: &canvas)
    }

    /// `user 42 · als · agent on · seed 1 · turn 3/20`, then the persona's traits.
    var infoLine: String {
        let s = state.simulate
        let who = SimulateFeature.user(state).map { "user \(TerminalText.sanitize($0))" } ?? "no user selected"
        var parts = [who, "model \(state.selection.modelA.rawValue)", s.agent ? "agent on" : "agent off (baseline)", "seed \(s.seed)"]
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
        guard let key = SimulateFeature.key(state) else { return "Select a user in Browse (1), or p to pick one by id." }
        if s.failedKey == key, let failure = s.failure { return "Cannot simulate: \(failure)\n\np picks another user; j/k move through the Browse list." }
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
    static func mindsetRows(_ height: Int) -> Int { height >= 30 ? 13 : 9 }

    func renderMindset(_ shown: SimulationSnapshot, in area: Rect, on canvas: inout Canvas) {
        Box(title: "Mindset").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard inner.width > 12, inner.height > 0 else { return }
        let m = shown.mindset
        let wide = inner.height >= 13
        var rows: [(label: String, fraction: Double, value: String, style: Style)] = []
        for bar in m.interests.prefix(wide ? 5 : 3) {
            rows.append(("♡ " + bar.label, Double(bar.value), String(format: "%.2f", bar.value), Theme.accent))
        }
        let satiation = m.satiation.prefix(wide ? 3 : 2)
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

    // MARK: the population run

    func renderRetention(in area: Rect, on canvas: inout Canvas) {
        let users = SimulateState.populationUsers
        Box(title: "Retention: \(users) users").render(in: area, on: &canvas)
        let inner = Box.inner(area)
        guard inner.height > 0 else { return }
        switch state.simulate.population {
        case nil:
            TextBlock("P runs \(users) users from the catalog with and without the agent (same users and seeds) and draws the share still there at each turn.",
                      style: Theme.muted).render(in: inner, on: &canvas)
        case .running(_, let done, let total)?:
            ProgressBar(fraction: total == 0 ? 0 : Double(done) / Double(total), label: "\(done)/\(total) sessions")
                .render(in: inner.row(0), on: &canvas)
        case .failed(let message)?:
            TextBlock("failed: \(message)", style: Theme.warning).render(in: inner, on: &canvas)
        case .finished(let r)?:
            let legend = [
                (String(format: "━ agent    %.1f turns · CTR %.2f · spoke %.0f%%", r.agent.meanSessionLength,
                        r.agent.ctr, 100 * r.agent.instructionShare), Theme.accent),
                (String(format: "━ baseline %.1f turns · CTR %.2f (mean session)", r.baseline.meanSessionLength, r.baseline.ctr), Theme.header),
            ]
            let (chartArea, legendArea) = inner.splitBottom(min(2, max(0, inner.height - 2)))
            // A turn axis under the curves when there is room for it.
            let (plotArea, turnAxis) = chartArea.splitBottom(chartArea.height >= 6 ? 1 : 0)
            if turnAxis.height == 1 {
                let last = "turn \(r.key.turns)"
                canvas.draw("turn 1", x: turnAxis.x + 5, y: turnAxis.y, maxWidth: turnAxis.width - 5, style: Theme.muted)
                canvas.draw(last, in: Rect(x: turnAxis.maxX - last.count, y: turnAxis.y, width: last.count, height: 1),
                            alignment: .right, style: Theme.muted)
            }
            for (n, (text, style)) in legend.prefix(legendArea.height).enumerated() {
                canvas.draw(text, x: legendArea.x, y: legendArea.y + n, maxWidth: legendArea.width, style: style)
            }
            let axisWidth = 5
            let (axis, plot) = (Rect(x: plotArea.x, y: plotArea.y, width: axisWidth, height: plotArea.height),
                                Rect(x: plotArea.x + axisWidth, y: plotArea.y, width: plotArea.width - axisWidth, height: plotArea.height))
            guard plot.height > 0, plot.width > 1 else { return }
            canvas.draw("100%", x: axis.x, y: axis.y, style: Theme.muted)
            if plot.height > 1 { canvas.draw("  0%", x: axis.x, y: axis.maxY - 1, style: Theme.muted) }
            let xRange = 0...Double(max(1, r.key.turns - 1))
            func points(_ line: PopulationLine) -> [(x: Double, y: Double)] {
                line.retention.enumerated().map { (x: Double($0.offset), y: $0.element) }
            }
            // The baseline first: where the two share a cell, the agent's curve shows.
            BraillePlot(points: points(r.baseline), xRange: xRange, yRange: 0...1, style: Theme.header).render(in: plot, on: &canvas)
            BraillePlot(points: points(r.agent), xRange: xRange, yRange: 0...1, style: Theme.accent).render(in: plot, on: &canvas)
        }
    }
}
