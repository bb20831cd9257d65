import RecWorkbench
import Foundation
import RecModels
import TUIKit

struct TreePane: Widget {
    let state: AppState

    func render(in area: Rect, on canvas: inout Canvas) {
        let layout = TreeLayout(body: area, levels: state.tree.tree?.tree.levels ?? 0, spaces: state.tree.spaces?.count ?? 0)
        guard let codeTree = state.tree.tree else {
            Box(title: "Tree").render(in: area, on: &canvas)
            TextBlock(emptyText.joined(separator: "\n"), style: state.tree.failure == nil ? .plain : Theme.warning)
                .render(in: Box.inner(area).inset(dx: 1, dy: 0), on: &canvas)
            return
        }
        let tree = codeTree.tree
        let codes = tree.codesPerLevel.map(String.init).joined(separator: "/")
        Box(title: "Tree: \(codeTree.space) · \(Format.count(tree.itemCount)) items · codes \(codes)")
            .render(in: layout.tree, on: &canvas)
        drawSpaces(in: layout.spaceLine, on: &canvas)
        let rows = state.tree.rows
        let selected = state.tree.selectedIndex(in: rows)
        treeTable(codeTree, rows: rows, selected: selected, table: layout.table).render(in: layout.table, on: &canvas)
        let node = rows.indices.contains(selected) ? rows[selected].node : tree.root
        Box(title: node == tree.root ? "All items" : "Prefix \(tree.prefix(of: node))").render(in: layout.detail, on: &canvas)
        drawDetail(codeTree, node: node, in: Box.inner(layout.detail).inset(dx: 1, dy: 0), on: &canvas)
        if !layout.usage.isEmpty {
            Box(title: "Codebook usage: items per code (· none, ░▒▓█ log scale to the busiest)").render(in: layout.usage, on: &canvas)
            drawUsage(tree, node: node, in: Box.inner(layout.usage), on: &canvas)
        }
    }

    /// What the pane says without a tree: loading, the failure, or how to build semantic IDs.
    var emptyText: [String] {
        if state.tree.isBuilding {
            return ["building semantic IDs of the aligned space (content + ALS embeddings, RQ-KMeans)…"]
        }
        if state.tree.isLoading || state.tree.spaces == nil { return ["loading the code tree…"] }
        if let failure = state.tree.failure { return [failure] }
        return [
            "\(state.catalogName) has no semantic IDs yet.",
            "",
            "Press b to build them now (about a second for the sample), or on the command line, then press 6:",
            "",
            "  recscope sid build --catalog FILE",
            "",
            "Every item gets a short path of codes (e.g. 12-7-201) by residual quantisation of its embedding; "
                + "items sharing a prefix are close. This pane shows those prefixes as a tree.",
        ]
    }

    func drawSpaces(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty, let spaces = state.tree.spaces else { return }
        var x = canvas.draw("space ", x: area.x, y: area.y, maxWidth: area.width, style: Theme.muted)
        for name in spaces {
            let style = name == state.tree.space ? Theme.selected.with(.bold) : Style.plain
            x += canvas.draw(" \(name) ", x: area.x + x, y: area.y, maxWidth: max(0, area.width - x), style: style)
            x += 1
        }
        canvas.draw("s: next", x: area.x + x + 1, y: area.y, maxWidth: max(0, area.width - x - 1), style: Theme.muted)
    }

    func treeTable(_ codeTree: CodeTree, rows: [VisibleNode], selected: Int, table: Rect) -> TableView {
        let tree = codeTree.tree
        let digits = String(max(0, (tree.codesPerLevel.max() ?? 1) - 1)).count
        let codeWidth = max(6, 2 * max(0, tree.levels - 1) + 2 + digits)
        let countWidth = max(5, String(tree.itemCount).count)
        let wide = table.width >= 60
        let columns = [Column("code", .fixed(codeWidth)), Column("items", .fixed(countWidth), .right),
                       Column("top categories", .fixed(wide ? 26 : 13)), Column("most popular", .fill)]
        let height = max(0, table.height - 1)
        let offset = ScrollWindow.offset(selected: selected, count: rows.count, height: height)
        let cells: [[String]] = rows.dropFirst(offset).prefix(max(1, height)).map { row in
            let children = tree.children(of: row.node)
            let marker = children.isEmpty ? "  " : (state.tree.expanded.contains(row.node) ? "▾ " : "▸ ")
            let code = String(repeating: "  ", count: row.depth) + marker + String(tree.code(of: row.node) ?? 0)
            let shares = tree.topCategories(of: row.node).prefix(wide ? 2 : 1)
            return [code, String(tree.itemCount(of: row.node)), shares.map(Self.share).joined(separator: " "),
                    tree.exampleTitles(of: row.node).first ?? ""]
        }
        return TableView(columns: columns, rows: cells, selected: rows.isEmpty ? nil : selected - offset)
    }

    /// `Drama 41%`.
    static func share(_ s: SemanticTree.CategoryShare) -> String { "\(s.name) \(Int((s.share * 100).rounded()))%" }

    func drawDetail(_ codeTree: CodeTree, node: Int, in area: Rect, on canvas: inout Canvas) {
        let tree = codeTree.tree
        var lines: [(String, Style)] = []
        let count = tree.itemCount(of: node)
        let share = Double(count) / Double(max(1, tree.itemCount)) * 100
        let percent = share < 0.1 ? "<0.1" : formatCompact((share * 10).rounded() / 10)
        lines.append(("\(Format.count(count)) \(count == 1 ? "item" : "items") · \(percent)% of all", .bold))
        let children = tree.children(of: node)
        let level = "level \(tree.depth(of: node)) of \(tree.levels)"
        lines.append((children.isEmpty ? "\(level) · a full path" : "\(level) · \(children.count) codes below", Theme.muted))
        if let focused = state.tree.focusedItem, let n = codeTree.index(ofItem: focused), tree.items(of: node).contains(Int32(n)) {
            lines.append(("▶ item \(focused) is \(tree.pathString(of: n))", Theme.accent))
        }
        lines.append(("", .plain))
        lines.append(("categories", Theme.header))
        let shares = tree.topCategories(of: node)
        let nameWidth = min(max(4, area.width / 3), shares.map { DisplayWidth.of($0.name) }.max() ?? 0)
        for s in shares {
            let bar = Text.pad(horizontalBar(fraction: s.share, width: 8), toWidth: 8)
            lines.append(("\(Text.pad(Text.truncate(s.name, toWidth: nameWidth), toWidth: nameWidth)) \(bar) \(Int((s.share * 100).rounded()))%", .plain))
        }
        if shares.isEmpty { lines.append(("none", Theme.muted)) }
        lines.append(("", .plain))
        if children.isEmpty {
            lines.append(("items on this path", Theme.header))
            for item in tree.items(of: node) {
                let row = codeTree.items[Int(item)]
                lines.append(("\(tree.pathString(of: Int(item))) \(row.title.isEmpty ? "item " + row.id : row.title)", .plain))
            }
        } else {
            lines.append(("most popular", Theme.header))
            for item in tree.examples(of: node) {
                let row = codeTree.items[item]
                lines.append(("\(row.title.isEmpty ? "item " + row.id : row.title) (\(formatCompact(Double(row.popularity))))", .plain))
            }
        }
        for (i, line) in lines.prefix(area.height).enumerated() {
            canvas.draw(line.0, x: area.x, y: area.y + i, maxWidth: area.width, style: line.1)
        }
    }

    /// One row per level: codes used, then a cell per code (or per run of codes when they do not fit),
    /// shaded by items; the cell of the selected node's code at each level of its path is highlighted.
    func drawUsage(_ tree: SemanticTree, node: Int, in area: Rect, on canvas: inout Canvas) {
        let path = tree.codes(of: node)
        let labels = tree.usage.indices.map { "L\($0 + 1) \(tree.usedCodes(level: $0))/\(tree.codesPerLevel[$0])" }
        let labelWidth = (labels.map(\.count).max() ?? 0) + 1
        for (level, counts) in tree.usage.enumerated().prefix(area.height) {
            let y = area.y + level
            canvas.draw(labels[level], x: area.x, y: y, maxWidth: area.width)
            let width = max(1, area.width - labelWidth)
            let perCell = (counts.count + width - 1) / width
            let cells = stride(from: 0, to: counts.count, by: perCell).map { counts[$0..<min(counts.count, $0 + perCell)].reduce(0, +) }
            let busiest = cells.max() ?? 0
            for (i, value) in cells.enumerated() where i < width {
                let marked = level < path.count && Int(path[level]) / perCell == i
                canvas.put(Glyph(Self.heat(value, busiest: busiest), width: 1), x: area.x + labelWidth + i, y: y,
                           style: marked ? Theme.selected : Theme.accent)
            }
        }
    }

    /// `·` for none, else ░ ▒ ▓ █ by quarters of log(1 + items) against the busiest cell's (on a linear
    /// scale one crowded code would leave every other cell the same shade).
    static func heat(_ value: Int, busiest: Int) -> String {
        guard value > 0, busiest > 0 else { return "·" }
        let f = log1p(Double(value)) / log1p(Double(busiest))
        return ["░", "▒", "▓", "█"][min(3, max(0, Int((f * 4).rounded(.up)) - 1))]
    }
}
