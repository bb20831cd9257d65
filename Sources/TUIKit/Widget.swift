/// Something that draws itself into an area of a canvas and nothing else: no terminal, no I/O.
public protocol Widget {
    func render(in area: Rect, on canvas: inout Canvas)
}

/// Which rows of a long list are visible.
public enum ScrollWindow {
    /// The first visible index that keeps `selected` on screen, near the middle when the list
    /// is longer than the view. Stateless, so rendering and mouse hit-testing agree.
    public static func offset(selected: Int?, count: Int, height: Int) -> Int {
        guard height > 0, count > height, let selected else { return 0 }
        return min(max(0, selected - height / 2), count - height)
    }

    /// The index of the list row drawn at screen row `y` of a table `area` (a header line, then the rows),
    /// for a list of `count` rows with `selected` selected; nil above, below or past the end.
    public static func row(atY y: Int, in area: Rect, selected: Int?, count: Int) -> Int? {
        let index = offset(selected: selected, count: count, height: area.height - 1) + (y - area.y - 1)
        return y > area.y && y < area.maxY && index < count ? index : nil
    }
}

/// A border with an optional title; `inner` is what is left for the contents.
public struct Box: Widget {
    public var title: String
    public var style: Style
    public var titleStyle: Style

    public init(title: String = "", style: Style = Theme.border, titleStyle: Style = Theme.title) {
        self.title = title
        self.style = style
        self.titleStyle = titleStyle
    }

    public static func inner(_ area: Rect) -> Rect { area.inset(dx: 1, dy: 1) }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard area.width >= 2, area.height >= 2 else { return }
        let right = area.maxX - 1, bottom = area.maxY - 1
        for x in area.x + 1..<right {
            canvas.put(Glyph("─", width: 1), x: x, y: area.y, style: style)
            canvas.put(Glyph("─", width: 1), x: x, y: bottom, style: style)
        }
        for y in area.y + 1..<bottom {
            canvas.put(Glyph("│", width: 1), x: area.x, y: y, style: style)
            canvas.put(Glyph("│", width: 1), x: right, y: y, style: style)
        }
        canvas.put(Glyph("┌", width: 1), x: area.x, y: area.y, style: style)
        canvas.put(Glyph("┐", width: 1), x: right, y: area.y, style: style)
        canvas.put(Glyph("└", width: 1), x: area.x, y: bottom, style: style)
        canvas.put(Glyph("┘", width: 1), x: right, y: bottom, style: style)
        if !title.isEmpty, area.width > 4 {
            canvas.draw(" " + title + " ", x: area.x + 1, y: area.y, maxWidth: area.width - 2, style: titleStyle)
        }
    }
}

/// A vertical list of one-line entries with a highlighted selection.
public struct ListView: Widget {
    public var items: [String]
    public var selected: Int?
    public var highlight: Style
    public var style: Style

    public init(items: [String], selected: Int? = nil, highlight: Style = Theme.selected, style: Style = .plain) {
        self.items = items
        self.selected = selected
        self.highlight = highlight
        self.style = style
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let offset = ScrollWindow.offset(selected: selected, count: items.count, height: area.height)
        for row in 0..<area.height {
            let index = offset + row
            guard index < items.count else { break }
            let isSelected = index == selected
            let marker = isSelected ? "▶ " : "  "
            canvas.draw(marker + items[index], in: area.row(row), style: isSelected ? highlight : style)
        }
    }
}

/// A column of a `TableView`.
public struct Column: Hashable, Sendable {
    public var title: String
    public var width: Constraint
    public var alignment: Alignment

    public init(_ title: String, _ width: Constraint, _ alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// Rows of cells under a header, columns sized by constraints and separated by one space.
public struct TableView: Widget {
    public var columns: [Column]
    public var rows: [[String]]
    public var selected: Int?
    public var highlight: Style
    public var headerStyle: Style

    public init(columns: [Column], rows: [[String]], selected: Int? = nil,
                highlight: Style = Theme.selected, headerStyle: Style = Theme.header) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.highlight = highlight
        self.headerStyle = headerStyle
    }

    /// The row index shown at screen row `y` of `area`, for mouse clicks.
    public func rowIndex(atY y: Int, in area: Rect) -> Int? {
        ScrollWindow.row(atY: y, in: area, selected: selected, count: rows.count)
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let cells = area.columns(columns.map(\.width), spacing: 1)
        drawRow(columns.map(\.title), cells: cells, y: area.y, style: headerStyle, canvas: &canvas, width: area)
        let body = area.height - 1
        let offset = ScrollWindow.offset(selected: selected, count: rows.count, height: body)
        for line in 0..<max(0, body) {
            let index = offset + line
            guard index < rows.count else { break }
            let style = index == selected ? highlight : .plain
            drawRow(rows[index], cells: cells, y: area.y + 1 + line, style: style, canvas: &canvas, width: area)
        }
    }

    private func drawRow(_ values: [String], cells: [Rect], y: Int, style: Style, canvas: inout Canvas, width: Rect) {
        canvas.fill(Rect(x: width.x, y: y, width: width.width, height: 1), style: style)
        for (i, cell) in cells.enumerated() where i < values.count {
            canvas.draw(values[i], in: Rect(x: cell.x, y: y, width: cell.width, height: 1),
                        alignment: columns[i].alignment, style: style)
        }
    }
}

/// A node of a tree shown by `TreeView`.
public struct TreeNode<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    public var label: String
    public var children: [TreeNode]

    public init(id: ID, label: String, children: [TreeNode] = []) {
        self.id = id
        self.label = label
        self.children = children
    }

    /// The visible rows, depth first, descending only into expanded nodes.
    public func flatten(expanded: Set<ID>, depth: Int = 0) -> [TreeRow<ID>] {
        let isOpen = expanded.contains(id)
        let state: TreeRow<ID>.State = children.isEmpty ? .leaf : (isOpen ? .expanded : .collapsed)
        var rows = [TreeRow(id: id, depth: depth, label: label, state: state)]
        if isOpen {
            for child in children { rows += child.flatten(expanded: expanded, depth: depth + 1) }
        }
        return rows
    }
}

/// One visible line of a tree.
public struct TreeRow<ID: Hashable & Sendable>: Hashable, Sendable {
    public enum State: Hashable, Sendable { case leaf, collapsed, expanded }
    public var id: ID
    public var depth: Int
    public var label: String
    public var state: State
}

/// Indented tree rows with `▸` (collapsed) and `▾` (expanded) markers.
public struct TreeView<ID: Hashable & Sendable>: Widget {
    public var rows: [TreeRow<ID>]
    public var selected: Int?

    public init(rows: [TreeRow<ID>], selected: Int? = nil) {
        self.rows = rows
        self.selected = selected
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        let lines = rows.map { row -> String in
            let marker = switch row.state { case .leaf: "  "; case .collapsed: "▸ "; case .expanded: "▾ " }
            return String(repeating: "  ", count: row.depth) + marker + row.label
        }
        ListView(items: lines, selected: selected).render(in: area, on: &canvas)
    }
}

/// Lines of text, wrapped to the width or cut with `…`, from a first line on.
public struct TextBlock: Widget {
    public var text: String
    public var wrap: Bool
    public var firstLine: Int
    public var style: Style

    public init(_ text: String, wrap: Bool = true, firstLine: Int = 0, style: Style = .plain) {
        self.text = text
        self.wrap = wrap
        self.firstLine = firstLine
        self.style = style
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let lines = wrap ? Text.wrap(text, width: area.width)
                         : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (row, line) in lines.dropFirst(max(0, firstLine)).prefix(area.height).enumerated() {
            canvas.draw(line, x: area.x, y: area.y + row, maxWidth: area.width, style: style)
        }
    }
}

/// A one-row bar: text on the left, text on the right, the left cut first when both do not fit.
public struct StatusBar: Widget {
    public var left: String
    public var right: String
    public var style: Style

    public init(left: String, right: String = "", style: Style = Theme.statusBar) {
        self.left = left
        self.right = right
        self.style = style
    }

    public func render(in area: Rect, on canvas: inout Canvas) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        canvas.fill(row, style: style)
        let rightText = Text.truncate(right, toWidth: max(0, area.width / 2))
        let rightWidth = DisplayWidth.of(rightText)
        canvas.draw(rightText, in: row, alignment: .right, style: style)
        canvas.draw(left, x: row.x, y: row.y, maxWidth: max(0, area.width - rightWidth - 1), style: style)
    }
}
