import RecCore

/// A replay as an asciinema v2 recording (asciicast v2: a JSON header line, then one `[time, "o", data]`
/// event line per frame), so a scripted demo plays back in any standard asciinema player without RecScope.
///
/// Each frame is a whole screen: home, clear, then every row with its colours as SGR sequences. Those are the
/// only escape sequences in the output; the text itself comes from canvases, whose glyphs are already
/// sanitised (`Glyphs`: no control, bidi or unassigned scalar reaches a cell), and is written through
/// `JSONEscaping`, so a hostile title cannot address the player's terminal.
public enum Asciicast {
    /// The header line: `{"version": 2, "width": W, "height": H, ...}`.
    public static func header(width: Int, height: Int, timestamp: Int? = nil, title: String? = nil, duration: Double? = nil) -> String {
        var fields = ["\"version\": 2", "\"width\": \(width)", "\"height\": \(height)"]
        if let timestamp { fields.append("\"timestamp\": \(timestamp)") }
        if let duration { fields.append("\"duration\": \(number(duration))") }
        if let title { fields.append("\"title\": \(JSONEscaping.quote(title))") }
        fields.append("\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \"/bin/sh\"}")
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// One output event line: `[1.500000, "o", "…"]`.
    public static func event(time: Double, output: String) -> String {
        "[\(number(time)), \"o\", \(JSONEscaping.quote(output))]"
    }

    /// The whole recording of `frames`, `interval` seconds apart (the first at 0), ending with a newline.
    public static func recording(_ frames: [Canvas], interval: Double, timestamp: Int? = nil, title: String? = nil) -> String {
        guard let first = frames.first else { return header(width: 80, height: 24, timestamp: timestamp, title: title) + "\n" }
        var lines = [header(width: first.width, height: first.height, timestamp: timestamp, title: title,
                            duration: Double(max(0, frames.count - 1)) * interval)]
        var previous: Canvas?
        for (n, frame) in frames.enumerated() {
            if frame == previous { continue }
            lines.append(event(time: Double(n) * interval, output: ansi(frame)))
            previous = frame
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A canvas as terminal output: cursor home, clear, rows with SGR colours, attributes reset at the end.
    public static func ansi(_ canvas: Canvas) -> String {
        var out = "\u{1B}[H\u{1B}[2J"
        var current = Style.plain
        for y in 0..<canvas.height {
            if y > 0 { out += "\r\n" }
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                if cell.style != current {
                    out += sgr(cell.style)
                    current = cell.style
                }
                out += cell.glyph.text
            }
        }
        return out + "\u{1B}[0m"
    }

    /// `ESC [ 0 ; … m` for a style: attributes, then 30–37 / 40–47 colours.
    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        if style.foreground != .default { codes.append(String(29 + Int(style.foreground.rawValue))) }
        if style.background != .default { codes.append(String(39 + Int(style.background.rawValue))) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static func number(_ x: Double) -> String {
        let micro = Int((x * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
