import Foundation
import Testing
import RecCore

@Suite struct UnsafeScalarTests {
    /// The rule as the Unicode properties state it, to check the fast paths of `kind(of:)` against.
    static func reference(_ s: Unicode.Scalar) -> UnsafeScalar.Kind? {
        let v = s.value
        if v < 0x20 { return .c0Control }
        if v == 0x7F { return .delete }
        if (0x80...0x9F).contains(v) { return .c1Control }
        if [0x061C, 0x200E, 0x200F].contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
            return .bidiControl
        }
        if v == 0x2028 || v == 0x2029 { return .separator }
        switch s.properties.generalCategory {
        case .unassigned, .surrogate: return .unassigned
        case .control, .lineSeparator, .paragraphSeparator: Issue.record("U+\(UnsafeScalar.hexCode(s)) escaped the list"); return nil
        default: return nil
        }
    }

    @Test func everyScalarIsClassifiedAsItsPropertiesSay() {
        var flagged = 0
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            let kind = UnsafeScalar.kind(of: s)
            if kind != Self.reference(s) {
                Issue.record("U+\(UnsafeScalar.hexCode(s)): \(String(describing: kind)), expected \(String(describing: Self.reference(s)))")
                return
            }
            if kind != nil { flagged += 1 }
        }
        #expect(flagged > 800_000)  // most of the code space is unassigned
    }

    @Test func kindsOfTheUsualSuspects() {
        #expect(UnsafeScalar.kind(of: "\u{1B}") == .c0Control)
        #expect(UnsafeScalar.kind(of: "\u{7F}") == .delete)
        #expect(UnsafeScalar.kind(of: "\u{9B}") == .c1Control)
        #expect(UnsafeScalar.kind(of: "\u{202E}") == .bidiControl)
        #expect(UnsafeScalar.kind(of: "\u{2069}") == .bidiControl)
        #expect(UnsafeScalar.kind(of: "\u{061C}") == .bidiControl)
        #expect(UnsafeScalar.kind(of: "\u{2029}") == .separator)
        #expect(UnsafeScalar.kind(of: "\u{0378}") == .unassigned)
        #expect(UnsafeScalar.kind(of: "\u{FFFF}") == .unassigned)
        for safe: Unicode.Scalar in ["a", " ", "~", "é", "漢", "😀", "\u{301}", "\u{200B}", "\u{E000}"] {
            #expect(UnsafeScalar.kind(of: safe) == nil, "U+\(UnsafeScalar.hexCode(safe))")
        }
        #expect(UnsafeScalar.hexCode("\u{9B}") == "009B" && UnsafeScalar.hexCode("\u{40000}") == "40000")
    }

    @Test func terminalTextEscapesEveryFlaggedScalar() {
        #expect(TerminalText.sanitize("a\u{1B}[2J\u{202E}b\nc\t\u{0378}\u{2028}") == "a␛[2J<U+202E>b\\nc\\t<U+0378><U+2028>")
        #expect(TerminalText.sanitize("Amélie 漢字 😀") == "Amélie 漢字 😀")
        for v in [UInt32(0x00), 0x1B, 0x7F, 0x85, 0x061C, 0x200F, 0x202A, 0x2066, 0x2028, 0x0378, 0xFFFF, 0x40000] {
            let s = Unicode.Scalar(v)!
            #expect(TerminalText.escape(s) != nil, "U+\(UnsafeScalar.hexCode(s))")
        }
    }

    @Test func jsonQuoteEscapesEveryFlaggedScalarAndStaysValid() throws {
        let text = "say \"hi\"\\ \u{1B}[2J \u{202E}rev\u{2069} line\u{2028} \u{0378} \u{40000} \u{85} tab\t 漢😀"
        let quoted = JSONEscaping.quote(text)
        #expect(quoted == "\"say \\\"hi\\\"\\\\ \\u001b[2J \\u202erev\\u2069 line\\u2028 \\u0378 \\ud8c0\\udc00 \\u0085 tab\\t 漢😀\"")
        #expect(!quoted.unicodeScalars.contains { UnsafeScalar.contains($0) })
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == [text])
    }
}

@Suite struct HTMLTextTests {
    @Test func markupQuotesAndUnsafeScalarsBecomeInertText() {
        #expect(HTMLText.escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        #expect(HTMLText.escape("a\u{1B}[31mred\u{202E}txt\nb") == "a␛[31mred&lt;U+202E&gt;txt\\nb")
        #expect(HTMLText.escape("Crème 기생충") == "Crème 기생충")
        for scalar in (0..<0x3000).compactMap(Unicode.Scalar.init) where UnsafeScalar.contains(scalar) {
            #expect(!HTMLText.escape(String(scalar)).unicodeScalars.contains(where: UnsafeScalar.contains), "U+\(UnsafeScalar.hexCode(scalar))")
        }
    }

    @Test func longTextIsCutAtTheLimit() {
        let long = String(repeating: "<b>", count: 4000)
        let out = HTMLText.escape(long, limit: 100)
        #expect(out.hasSuffix("…") && !out.contains("<") && out.count < 400)
        #expect(HTMLText.escape("short", limit: 100) == "short")
    }
}
