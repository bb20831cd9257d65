/// Makes text from data safe to print on a terminal.
public enum TerminalText {
    /// Replaces every scalar that could control a terminal with a visible escape: C0 and C1 controls,
    /// DEL (ESC becomes `␛`, others `\u{…}`-style `<U+XXXX>`), bidi embeddings, overrides and isolates,
    /// and line/paragraph separators. Newlines and tabs in data are escaped too (`\n`, `\t`), so one
    /// value stays on one line. Printable text, including wide and combining characters, is kept.
    public static func sanitize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            if let replacement = escape(scalar) {
                out.append(contentsOf: replacement.unicodeScalars)
                changed = true
            } else {
                out.append(scalar)
            }
        }
        return changed ? String(out) : text
    }

    /// The visible replacement for a dangerous scalar, or nil when it is safe.
    public static func escape(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x1B: return "␛"
        case 0x0A: return "\\n"
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C,
             0x2028, 0x2029:
            let hex = String(s.value, radix: 16, uppercase: true)
            return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
        default:
            return nil
        }
    }
}
