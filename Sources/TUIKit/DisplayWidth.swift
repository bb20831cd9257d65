/// Terminal column widths of Unicode scalars, computed in pure Swift so they do not depend on
/// the locale or the C library.
///
/// Wide (2 columns): East Asian Wide and Fullwidth ranges (UAX #11) and scalars with
/// `Emoji_Presentation` (UTS #51), except regional indicators, which terminals count as 1 each.
/// Zero width: nonspacing and enclosing marks (Mn, Me), format characters (Cf) and the
/// conjoining Hangul vowels and finals. Everything else printable is 1.
public enum DisplayWidth {
    /// Width of one scalar: 0, 1 or 2. Control characters count 0 here; `Glyph` escapes them.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(scalar) { return 0 }
        return isWide(scalar) ? 2 : 1
    }

    /// Width of a string as `Canvas` draws it, after `sanitize`.
    /// - Complexity: O(n) in the length of the string.
    public static func of(_ text: String) -> Int {
        var total = 0
        for glyph in Glyphs(text) { total += glyph.width }
        return total
    }

    /// Whether the scalar occupies no column of its own (it combines with the one before).
    public static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    /// Whether the scalar is East Asian Wide/Fullwidth or an emoji shown as emoji by default.
    public static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x1100 { return false }
        if (0x1F1E6...0x1F1FF).contains(v) { return false }  // regional indicators
        if scalar.properties.isEmojiPresentation { return true }
        return wideRanges.contains(v)
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of UAX #11, without the emoji (covered by
    /// `Emoji_Presentation`), sorted and disjoint.
    static let wideRanges = RangeTable([
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5,
        0x2FF0...0x2FFF, 0x3000...0x303E, 0x3041...0x3096, 0x3099...0x30FF, 0x3105...0x312F,
        0x3131...0x318E, 0x3190...0x31E5, 0x31EF...0x321E, 0x3220...0x3247, 0x3250...0xA48C,
        0xA490...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5,
        0x18D00...0x18D08, 0x1AFF0...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132,
        0x1B150...0x1B152, 0x1B155...0x1B155, 0x1B164...0x1B167, 0x1B170...0x1B2FB,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
        0x1F260...0x1F265, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ])
}

/// A sorted list of disjoint closed ranges with a binary-search lookup.
struct RangeTable: Sendable {
    let lower: [UInt32]
    let upper: [UInt32]

    init(_ ranges: [ClosedRange<UInt32>]) {
        lower = ranges.map(\.lowerBound)
        upper = ranges.map(\.upperBound)
    }

    /// - Complexity: O(log n).
    func contains(_ v: UInt32) -> Bool {
        var lo = 0
        var hi = lower.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if upper[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo < lower.count && lower[lo] <= v
    }
}
