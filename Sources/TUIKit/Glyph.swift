import RecCore

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

/// Makes text safe to show: of the scalars `UnsafeScalar` flags, C0 controls and DEL become visible
/// pictures (`␛` for ESC), and C1 controls, bidirectional controls, line separators and unassigned
/// scalars are shown as `\u{202E}`; the invisible rest (zero-width spaces, joiners outside emoji,
/// variation selectors, skin-tone modifiers) is dropped so the terminal and `Canvas` agree on widths.
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

    /// The visible replacement of a scalar that must never reach the terminal (`UnsafeScalar`), or nil:
    /// C0 controls and DEL as control pictures (`␛`, `␡`), everything else as `\u{202E}`.
    static func escape(_ scalar: Unicode.Scalar) -> [Glyph]? {
        guard let kind = UnsafeScalar.kind(of: scalar) else { return nil }
        switch kind {
        case .c0Control: return [Glyph(String(Unicode.Scalar(0x2400 + scalar.value)!), width: 1)]
        case .delete: return [Glyph("\u{2421}", width: 1)]
        case .c1Control, .bidiControl, .separator, .unassigned:
            let code = "\\u{" + UnsafeScalar.hexCode(scalar) + "}"
            return code.unicodeScalars.map { Glyph(String($0), width: 1) }
        }
    }
}
