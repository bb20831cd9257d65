/// The one rule for which scalars must never reach a terminal or a one-line value unescaped.
///
/// Every escaper classifies through `kind(of:)` and keeps only its own rendering: `TerminalText` (`␛`,
/// `\n`, `<U+202E>`), TUIKit's glyphs (control pictures, `\u{202E}`) and `JSONEscaping` (`\u202e`). A
/// scalar with no kind is printable text, including wide, combining and invisible format characters
/// (those are a width question, not a safety one).
public enum UnsafeScalar {
    /// Why a scalar is unsafe.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// C0 controls, U+0000–U+001F (ESC starts terminal escape sequences).
        case c0Control
        /// DEL, U+007F.
        case delete
        /// C1 controls, U+0080–U+009F (U+009B is a one-byte CSI on some terminals).
        case c1Control
        /// Bidirectional embeddings, overrides, isolates and marks (U+202A–202E, U+2066–2069, U+200E,
        /// U+200F, U+061C): they reorder the text around them (the "Trojan Source" attack, CVE-2021-42574).
        case bidiControl
        /// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks that split one value.
        case separator
        /// Unassigned code points (noncharacters included) and surrogates: no glyph, and terminals disagree on width.
        case unassigned
    }

    /// The kind of `scalar` when it is unsafe, nil when it is printable text.
    /// - Complexity: O(1); printable ASCII returns at the first compare.
    @inlinable
    public static func kind(of scalar: Unicode.Scalar) -> Kind? {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return nil }
        switch v {
        case 0x00...0x1F: return .c0Control
        case 0x7F: return .delete
        case 0x80...0x9F: return .c1Control
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return .bidiControl
        case 0x2028, 0x2029: return .separator
        case 0xA0..<0x0378: return nil  // Latin-1 and the Latin, IPA and combining blocks: all assigned
        default:
            switch scalar.properties.generalCategory {
            case .unassigned, .surrogate: return .unassigned
            default: return nil
            }
        }
    }

    /// Whether `scalar` has a kind (see `kind(of:)`).
    @inlinable
    public static func contains(_ scalar: Unicode.Scalar) -> Bool { kind(of: scalar) != nil }

    /// `scalar`'s code as at least four upper-case hex digits (`202E`, `0378`, `E0080`).
    public static func hexCode(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
