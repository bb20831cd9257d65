/// One cell of a `Canvas`: a glyph and its style. The right half of a wide glyph is a
/// continuation cell (`isContinuation`), which the terminal backend skips.
public struct Cell: Hashable, Sendable {
    public var glyph: Glyph
    public var style: Style

    public init(_ glyph: Glyph = .space, style: Style = .plain) {
        self.glyph = glyph
        self.style = style
    }

    public var isContinuation: Bool { glyph.width == 0 }

    static func continuation(_ style: Style) -> Cell { Cell(Glyph("", width: 0), style: style) }
}

/// A grid of cells that views draw into; a terminal backend only copies it to the screen.
///
/// Text goes through `Glyphs` (and therefore `sanitize`), so a canvas never holds a control
/// character, and a wide glyph always owns two cells.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// The text of each row, with wide glyphs once and trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width {
                let cell = cells[y * width + x]
                if !cell.isContinuation { line += cell.glyph.text }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// `lines` joined by newlines: the form snapshots are stored in.
    public var text: String { lines.joined(separator: "\n") }

    /// Puts one glyph at (x, y); a wide glyph that would not fit shows as a space instead.
    /// Overwriting half of a wide glyph blanks its other half.
    public mutating func put(_ glyph: Glyph, x: Int, y: Int, style: Style = .plain) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        if glyph.width == 2 && x + 1 >= width {
            put(.space, x: x, y: y, style: style)
            return
        }
        clearWideNeighbours(x: x, y: y)
        cells[y * width + x] = Cell(glyph, style: style)
        if glyph.width == 2 {
            clearWideNeighbours(x: x + 1, y: y)
            cells[y * width + x + 1] = .continuation(style)
        }
    }

    /// Before (x, y) is overwritten: a wide glyph whose half lies there loses its other half.
    private mutating func clearWideNeighbours(x: Int, y: Int) {
        let i = y * width + x
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(.space, style: cells[i - 1].style)
        } else if cells[i].glyph.width == 2, x + 1 < width {
            cells[i + 1] = Cell(.space, style: cells[i + 1].style)
        }
    }

    /// Sets the style of every cell of `rect`, keeping the glyphs.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.clipped(to: bounds)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = style }
        }
    }

    /// Fills `rect` with one glyph of width 1.
    public mutating func fill(_ rect: Rect, with glyph: Glyph = .space, style: Style = .plain) {
        let r = rect.clipped(to: bounds)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { put(glyph, x: x, y: y, style: style) }
        }
    }

    /// Draws `text` from (x, y) in at most `maxWidth` columns, truncating with `…`; returns
    /// the number of columns used. Never splits a grapheme; control characters show escaped.
    @discardableResult
    public mutating func draw(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style = .plain) -> Int {
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0, y >= 0, y < height else { return 0 }
        var column = x
        for glyph in Text.fit(text, width: limit) {
            put(glyph, x: column, y: y, style: style)
            column += glyph.width
        }
        return column - x
    }

    /// Draws `text` on the first row of `rect`, aligned, padding the row with the style.
    public mutating func draw(_ text: String, in rect: Rect, alignment: Alignment = .left, style: Style = .plain) {
        guard !rect.isEmpty else { return }
        fill(rect.row(0), style: style)
        let glyphs = Text.fit(text, width: rect.width)
        let used = glyphs.reduce(0) { $0 + $1.width }
        var column = rect.x + alignment.offset(used: used, width: rect.width)
        for glyph in glyphs {
            put(glyph, x: column, y: rect.y, style: style)
            column += glyph.width
        }
    }
}

/// Horizontal placement of text in a cell range.
public enum Alignment: Hashable, Sendable {
    case left, center, right

    func offset(used: Int, width: Int) -> Int {
        switch self {
        case .left: 0
        case .center: max(0, (width - used) / 2)
        case .right: max(0, width - used)
        }
    }
}

extension Rect {
    /// The part of the rectangle inside `other`.
    public func clipped(to other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
