import Foundation
import RecModels
import RecWorkbench
import TUIKit

extension AppCommand {
    public static let decode: AppCommand = "decode"
    public static let decodeStep: AppCommand = "decode-step"
    public static let decodeBack: AppCommand = "decode-back"
}

extension View {
    /// Decode: `sidgen` writing the selected user's next item code, level by level, over its code tree.
    public static let treeDecode = View(feature: "tree", context: "tree-decode")
}

/// The Tree pane's decode view: how `sidgen` (a transformer over semantic-ID tokens) wrote the selected user's
/// list. Each step reveals one more level of the constrained beam: the kept prefixes drawn as a tree with
/// their probabilities as bars, what the width pruned, and the probability the trie blocked; after the last
/// level, the items the kept paths name.
public struct TreeDecodeState: Hashable, Sendable {
    /// The user decoded, and the model's answer once it came.
    public var user: String? = nil
    public var result: Recommendations? = nil
    public var pending: String? = nil
    public var failure: String? = nil
    /// Levels revealed (0: none yet; the level count shows the items too).
    public var step = 0

    public init() {}

    var trace: DecodeTrace? {
        if case .decode(let t)? = result?.stages { return t }
        return nil
    }
}

enum TreeDecode {
    static let k = 10

    static func register(_ c: inout Commands) {
        c.bind("d", to: .decode, help: "Decode: watch sidgen write the selected user's next item code, level by level", context: "tree")
        c.bind("n", "Space", to: .decodeStep, help: "Reveal the next level of the beam", context: "tree-decode")
        c.bind("N", to: .decodeBack, help: "Hide the last revealed level", context: "tree-decode")
        c.hint("tree-decode", .keys([.decodeStep], "next level"), .keys([.decodeBack], key: "N", "back a level"),
               .keys([.back], "back"), .keys([.help], "help"))
    }

    /// `d` in the Tree pane: the decode view for the selected user (sidgen prepared as Compare prepares models).
    static func open(_ state: inout AppState) -> [Effect] {
        guard !state.models.isEmpty, state.models.kinds.contains(.sidgen) else {
            state.message = "Decode needs models: open a catalog (recscope tui --catalog FILE)."
            return []
        }
        guard state.selection.user != nil else {
            state.message = "Decode writes a user's next item: select a user in Browse (1) or with :user ID first."
            return []
        }
        state.models.alsoWanted.insert(.sidgen)
        state.stack.append(.treeDecode)
        return []
    }

    static func perform(_ command: AppCommand, in view: View, _ state: inout AppState) -> [Effect]? {
        switch command {
        case .decodeStep:
            guard let t = state.tree.decode.trace else {
                state.message = "The decode is still being computed."
                return []
            }
            state.tree.decode.step = min(t.steps.count, state.tree.decode.step + 1)
            return []
        case .decodeBack:
            state.tree.decode.step = max(0, state.tree.decode.step - 1)
            return []
        default:
            return nil
        }
    }

    /// While shown: sidgen prepared, then the selected user's decode (asked once per user).
    static func sync(_ state: inout AppState) -> [Effect] {
        guard let user = state.selection.user else { return [] }
        var effects = Models.prepare(.sidgen, &state)
        if state.tree.decode.user != user {
            state.tree.decode = TreeDecodeState()
            state.tree.decode.user = user
        }
        guard state.models.isReady(.sidgen), state.tree.decode.result == nil, state.tree.decode.failure == nil,
              state.tree.decode.pending != user else { return effects }
        state.tree.decode.pending = user
        effects.append(Effect(DecodeUser(user: user)))
        return effects
    }

    struct DecodeUser: FeatureWork {
        let user: String
        var summary: String { "decoding sidgen's list for user \(user)" }

        func run(_ sources: Sources, progress: @escaping @Sendable (Action) -> Void) throws -> Action {
            do {
                return .message(Decoded(user: user, result: try sources.models().recommend(user: user, model: .sidgen, k: TreeDecode.k,
                                                                                              excludeSeen: true), failure: nil))
            } catch {
                return .message(Decoded(user: user, result: nil, failure: "\(error)"))
            }
        }
    }

    struct Decoded: FeatureMessage {
        let user: String
        let result: Recommendations?
        let failure: String?

        func apply(to state: inout AppState) -> [Effect] {
            guard state.tree.decode.user == user else { return [] }
            state.tree.decode.pending = nil
            state.tree.decode.result = result
            state.tree.decode.failure = failure ?? (result != nil && state.tree.decode.trace == nil
                ? "user \(user) has no training history: sidgen recommends by popularity, with nothing to decode" : nil)
            state.tree.decode.step = 1
            return []
        }
    }

    static func render(_ state: AppState, in area: Rect, on canvas: inout Canvas) {
        let decode = state.tree.decode
        let (top, body) = area.splitTop(1)
        let user = state.selection.user.map { "user \($0)" } ?? "no user"
        let trace = decode.trace
        let levels = trace?.steps.count ?? 0
        let step = min(decode.step, levels)
        canvas.draw("sidgen decodes the next item for \(user)" + (trace.map { " · \($0.window.count) recent items read · level \(step)/\($0.steps.count)" } ?? ""),
                    x: top.x + 1, y: top.y, maxWidth: top.width - 1, style: Theme.accent)
        let columns = body.columns([.percent(55), .fill])
        Box(title: "Beam over the code tree").render(in: columns[0], on: &canvas)
        let left = Box.inner(columns[0]), right = columns[1]
        guard let trace else {
            let status: String
            if let failure = decode.failure { status = failure }
            else if case .preparing(let line)? = state.models.status[.sidgen] { status = line }
            else if case .failed(let message)? = state.models.status[.sidgen] { status = "sidgen failed: \(message)" }
            else { status = "decoding…" }
            canvas.draw(status, x: left.x + 1, y: left.y, maxWidth: left.width - 1, style: Theme.muted)
            Box(title: "Level").render(in: right, on: &canvas)
            return
        }
        let lines = beamTree(trace, upTo: step, barWidth: max(4, min(16, left.width / 5)))
        for (row, line) in lines.prefix(left.height).enumerated() {
            canvas.draw(line, x: left.x, y: left.y + row, maxWidth: left.width, style: row == 0 ? Theme.header : .plain)
        }
        if lines.count > left.height {
            canvas.draw("… \(lines.count - left.height) more", x: left.x, y: left.y + left.height - 1, maxWidth: left.width, style: Theme.muted)
        }
        if step >= levels {
            Box(title: "Items the kept paths name").render(in: right, on: &canvas)
            let inner = Box.inner(right)
            let rows = (decode.result?.items ?? []).enumerated().map { n, item in
                [String(n + 1), item.title.isEmpty ? "item " + item.id : item.title, Format.score(item.score)]
            }
            TableView(columns: [Column("#", .fixed(3), .right), Column("title", .fill), Column("log p", .fixed(7), .right)], rows: rows,
                      selected: nil).render(in: inner, on: &canvas)
            return
        }
        let s = trace.steps[max(0, step - 1)]
        Box(title: step == 0 ? "Level 0" : "Level \(s.level)").render(in: right, on: &canvas)
        let inner = Box.inner(right)
        var text: [String] = []
        if step == 0 {
            text = ["n: choose the first code", "", "each level: log softmax over", "that level's codes, summed", "along the path"]
        } else {
            text = ["kept \(s.kept.count) of \(s.kept.count + s.prunedCount) valid prefixes",
                    "trie blocked \(s.blockedCount) continuations",
                    "(\(StagePresenter.percent(s.blockedMass)) of the probability)", ""]
            if !s.pruned.isEmpty { text.append("best pruned:") }
            text += s.pruned.prefix(3).map { "  " + code($0) }
            if !s.blocked.isEmpty { text.append("likeliest blocked:") }
            text += s.blocked.prefix(3).map { "  " + code($0) }
        }
        for (row, line) in text.prefix(inner.height).enumerated() {
            canvas.draw(line, x: inner.x, y: inner.y + row, maxWidth: inner.width, style: row == 0 ? Theme.header : .plain)
        }
    }

    static func code(_ c: DecodeStep.Candidate) -> String {
        c.codes.map(String.init).joined(separator: "-") + "  " + StagePresenter.percent(Float(Foundation.exp(Double(c.logProbability))))
    }

    /// The kept prefixes of levels `0..<step` as an indented tree (each under its parent, best first among
    /// siblings), with each prefix's probability as a percentage and a bar scaled to its level's best.
    static func beamTree(_ trace: DecodeTrace, upTo step: Int, barWidth: Int) -> [String] {
        var lines = ["prefix" + String(repeating: " ", count: 14) + "p"]
        guard step > 0 else { return lines }
        let kept = trace.steps.prefix(step).map(\.kept)
        // Bars are relative to the likeliest prefix of the same level; the percentage is the path's probability.
        let best = kept.map { Float(Foundation.exp(Double($0.first?.logProbability ?? 0))) }
        func children(of prefix: [Int32]) -> [DecodeStep.Candidate] {
            guard prefix.count < kept.count else { return [] }
            return kept[prefix.count].filter { Array($0.codes.dropLast()) == prefix }
        }
        func walk(_ prefix: [Int32]) {
            for c in children(of: prefix) {
                let p = Float(Foundation.exp(Double(c.logProbability)))
                let label = String(repeating: "  ", count: c.codes.count - 1) + c.codes.map(String.init).joined(separator: "-")
                lines.append(label.padding(toLength: max(20, label.count + 1), withPad: " ", startingAt: 0)
                    + StagePresenter.bar(best[c.codes.count - 1] > 0 ? p / best[c.codes.count - 1] : 0, width: barWidth).padding(toLength: barWidth, withPad: " ", startingAt: 0)
                    + " " + StagePresenter.percent(p))
                walk(c.codes)
            }
        }
        walk([])
        return lines
    }
}
