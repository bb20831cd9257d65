/// Laying out text by display width.
public enum Text {
    /// The glyphs of `text` that fit in `width` columns; when the text is longer, the last
    /// column shows `…`. Reads only as much of the text as it needs.
    /// - Complexity: O(width) glyphs read.
    public static func fit(_ text: String, width: Int) -> [Glyph] {
        guard width > 0 else { return [] }
        var glyphs: [Glyph] = []
        var used = 0
        var overflow = false
        for glyph in Glyphs(text) {
            if used + glyph.width > width {
                overflow = true
                break
            }
            glyphs.append(glyph)
            used += glyph.width
        }
        guard overflow else { return glyphs }
        while used > width - 1, let last = glyphs.popLast() { used -= last.width }
        glyphs.append(.ellipsis)
        return glyphs
    }

    /// `text` sanitized and cut to `width` columns with `…`.
    public static func truncate(_ text: String, toWidth width: Int) -> String {
        fit(text, width: width).map(\.text).joined()
    }

    /// `text` truncated or padded with spaces to exactly `width` columns.
    public static func pad(_ text: String, toWidth width: Int, alignment: Alignment = .left) -> String {
        let glyphs = fit(text, width: width)
        let used = glyphs.reduce(0) { $0 + $1.width }
        let left = alignment.offset(used: used, width: width)
        return String(repeating: " ", count: left) + glyphs.map(\.text).joined()
            + String(repeating: " ", count: max(0, width - used - left))
    }

    /// Wraps `text` into lines of at most `width` columns, breaking at spaces when a word fits
    /// and inside words otherwise; newlines in the text start new lines.
    /// - Complexity: O(n) in the text length.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line: [Glyph] = []
            var used = 0
            var lastSpace: Int? = nil
            for glyph in Glyphs(String(paragraph)) {
                if used + glyph.width > width {
                    if let s = lastSpace, s > 0 {
                        lines.append(line[..<s].map(\.text).joined())
                        line = Array(line[(s + 1)...])
                    } else {
                        lines.append(line.map(\.text).joined())
                        line = []
                    }
                    used = line.reduce(0) { $0 + $1.width }
                    lastSpace = line.lastIndex(of: .space)
                    if glyph == .space && line.isEmpty { continue }
                }
                if glyph == .space { lastSpace = line.count }
                line.append(glyph)
                used += glyph.width
            }
            lines.append(line.map(\.text).joined())
        }
        return lines
    }
}
