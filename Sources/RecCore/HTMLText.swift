/// Text from data made inert inside HTML: the report's one escaper.
public enum HTMLText {
    /// `text` as HTML character data that is also safe inside a double- or single-quoted attribute: `&`, `<`,
    /// `>`, `"` and `'` become entities, and every scalar `UnsafeScalar` flags is shown as a visible escape
    /// (ESC as `␛`, line breaks and tabs as `\n`, `\t`, others as `<U+XXXX>`, itself escaped), so no markup,
    /// no script, no bidi reordering and no line break can come from data. With `limit`, text longer than
    /// `limit` characters is cut there and ends with `…` (a 10 kB title stays one short line).
    public static func escape(_ text: String, limit: Int? = nil) -> String {
        var source = Substring(text)
        var cut = false
        if let limit, text.count > limit {
            source = text.prefix(max(0, limit))
            cut = true
        }
        var out = ""
        out.reserveCapacity(source.utf8.count + 8)
        for scalar in source.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if let visible = TerminalText.escape(scalar) {
                    for v in visible.unicodeScalars {
                        switch v {
                        case "<": out += "&lt;"
                        case ">": out += "&gt;"
                        default: out.unicodeScalars.append(v)
                        }
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return cut ? out + "…" : out
    }
}
