/// JSON string literals for hand-built JSON (imports' attributes, transcripts): one escaper for all of them.
public enum JSONEscaping {
    /// `s` as a JSON string literal: quotes and backslashes escaped, and every scalar `UnsafeScalar` flags
    /// (C0/C1 controls, DEL, bidi controls, U+2028/2029, unassigned scalars) as `\uXXXX` (a surrogate pair
    /// past U+FFFF, RFC 8259 §7), so the text is valid JSON and safe to print on one line.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if UnsafeScalar.contains(scalar) {
                    let v = scalar.value
                    if v > 0xFFFF {
                        let w = v - 0x10000
                        out += utf16Escape(0xD800 + (w >> 10)) + utf16Escape(0xDC00 + (w & 0x3FF))
                    } else {
                        out += utf16Escape(v)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `\uxxxx` for one UTF-16 code unit, lower-case hex.
    private static func utf16Escape(_ unit: UInt32) -> String {
        let hex = String(unit, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
