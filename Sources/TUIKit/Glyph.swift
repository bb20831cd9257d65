/// What one terminal cell write shows: one spacing scalar plus at most four combining marks,
/// with its display width (1 or 2). Never contains a control character.
public struct Glyph: Hashable, Sendable {
    public var text: String
    public var width: Int

    public init(_ text: String, width: Int) {
        self.text = text
        self.width = width
    }

    public static let space = Glyph(" ", width: 1)
    public static let ellipsis = Glyph("…", width: 1)
}

/// Makes text safe to show: control characters (C0, C1, DEL) become visible pictures
/// (`␛` for ESC), bidirectional controls, line separators and unassigned scalars are shown as
/// `\u{202E}`, and the invisible rest (zero-width spaces, joiners outside emoji, variation
/// selectors, skin-tone modifiers) is dropped so the terminal and `Canvas` agree on widths.
/// Every text draw of `Canvas` goes through this.
public func sanitize(_ text: String) -> String {
    var out = ""
    for glyph in Glyphs(text) { out += glyph.text }
    return out
}

/// The glyphs of a string, produced lazily so drawing a 10 kB title stops where the space ends.
public struct Glyphs: Sequence {
    let text: String

    public init(_ text: String) { self.text = text }

    public func makeIterator() -> Iterator { Iterator(characters: text.makeIterator()) }

    public struct Iterator: IteratorProtocol {
        var characters: String.Iterator
        var pending: [Glyph] = []
        var pendingIndex = 0

        public mutating func next() -> Glyph? {
            while pendingIndex >= pending.count {
                guard let character = characters.next() else { return nil }
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
                Glyphs.split(character, into: &pending)
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
    }

    /// How many combining marks a glyph keeps (ncurses `CCHARW_MAX` is 5 including the base).
    static let maxMarks = 4

    /// Splits one grapheme cluster into terminal-safe glyphs.
    static func split(_ character: Character, into glyphs: inout [Glyph]) {
        var base: String? = nil
        var baseWidth = 0
        var marks = 0
        var baseIsEmoji = false
        var skipRest = false
        func flush() {
            if let b = base { glyphs.append(Glyph(b, width: baseWidth)) }
            base = nil
            marks = 0
        }
        for scalar in character.unicodeScalars {
            if skipRest { break }
            if let escaped = escape(scalar) {
                flush()
                glyphs.append(contentsOf: escaped)
                continue
            }
            let v = scalar.value
            let properties = scalar.properties
            if v == 0xFE0E || v == 0xFE0F || properties.isEmojiModifier {
                continue  // presentation hints: dropped so widths stay those of the base
            }
            if DisplayWidth.isZeroWidth(scalar) {
                if properties.generalCategory == .format {
                    if v == 0x200D && baseIsEmoji { skipRest = true }  // keep the first emoji of a ZWJ sequence
                    continue
                }
                if base == nil {
                    base = "\u{25CC}"  // dotted circle: a mark with nothing to sit on
                    baseWidth = 1
                }
                if marks < maxMarks {
                    base!.unicodeScalars.append(scalar)
                    marks += 1
                }
                continue
            }
            flush()
            base = String(scalar)
            baseWidth = DisplayWidth.isWide(scalar) ? 2 : 1
            baseIsEmoji = properties.isEmoji && v > 0xFF
        }
        flush()
    }

    /// The visible replacement of a scalar that must never reach the terminal, or nil.
    static func escape(_ scalar: Unicode.Scalar) -> [Glyph]? {
        let v = scalar.value
        if v < 0x20 { return [Glyph(String(Unicode.Scalar(0x2400 + v)!), width: 1)] }
        if v == 0x7F { return [Glyph("\u{2421}", width: 1)] }
        let visible: Bool
        switch v {
        case 0x80...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            visible = false
        default:
            switch scalar.properties.generalCategory {
            case .unassigned, .surrogate, .control, .lineSeparator, .paragraphSeparator: visible = false
            default: visible = true
            }
        }
        if visible { return nil }
        let hex = String(v, radix: 16, uppercase: true)
        let code = "\\u{" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex + "}"
        return code.unicodeScalars.map { Glyph(String($0), width: 1) }
    }
}
