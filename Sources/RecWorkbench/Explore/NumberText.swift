/// Numbers as the explorer and the command line show them, without the locale, so output is reproducible.
public enum NumberText {
    /// `text` right-aligned in `width` columns (never cut).
    public static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// `412 µs`, `1.25 ms`, `2.1 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 1e-3 { return "\(Int((seconds * 1e6).rounded())) µs" }
        if seconds < 1 { return decimals(seconds * 1e3, 2) + " ms" }
        return decimals(seconds, 1) + " s"
    }

    /// `value` rounded to `digits` decimals, with trailing zeros kept (`0.10`); exponent form stays as is.
    public static func decimals(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (value * scale).rounded() / scale
        var text = "\(r)"
        if text.contains("e") { return text }
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: dot, to: text.endIndex) - 1
            if have < digits { text += String(repeating: "0", count: digits - have) }
        }
        return text
    }
}
