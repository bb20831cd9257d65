/// Makes text from data safe to print on a terminal.
public enum TerminalText {
    /// Replaces every scalar `UnsafeScalar` flags with a visible escape: C0 and C1 controls and DEL (ESC
    /// becomes `␛`, others `<U+XXXX>`), bidi embeddings, overrides, isolates and marks, line/paragraph
    /// separators and unassigned scalars. Newlines and tabs in data are escaped too (`\n`, `\t`), so one
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
        guard UnsafeScalar.contains(s) else { return nil }
        switch s.value {
        case 0x1B: return "␛"
        case 0x0A: return "\\n"
        case 0x09: return "\\t"
        case 0x0D: return "\\r"
        default: return "<U+" + UnsafeScalar.hexCode(s) + ">"
        }
    }
}
