import RecCore
import Testing
@testable import TUIKit

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("漢", 2), ("ｱ", 1), ("Ａ", 2), ("한", 2), ("😀", 2), ("🍿", 2), ("❤", 1), ("é", 1),
        ("e\u{301}", 1), ("…", 1), ("─", 1), ("\u{3000}", 2),
    ])
    func graphemeWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func mixedStrings() {
        #expect(DisplayWidth.of("日本語abc") == 9)
        #expect(DisplayWidth.of("기생충 Parasite") == 15)
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func zeroWidthScalars() {
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)   // combining acute (Mn)
        #expect(DisplayWidth.of(Unicode.Scalar(0x20DD)!) == 0)  // enclosing circle (Me)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200B)!) == 0)  // zero-width space (Cf)
        #expect(DisplayWidth.of(Unicode.Scalar(0x1160)!) == 0)  // Hangul medial filler
    }

    @Test func emojiSequencesKeepTheFirstEmoji() {
        let family = "👨\u{200D}👩\u{200D}👧"
        #expect(sanitize(family) == "👨")
        #expect(DisplayWidth.of(family) == 2)
        #expect(sanitize("👍🏽") == "👍")              // skin tone dropped: ncurses would count it as 2 more
        #expect(sanitize("❤\u{FE0F}") == "❤")          // presentation selector dropped, width of the base
        #expect(DisplayWidth.of("🇫🇷") == 2)           // two regional indicators, one column each
    }

    @Test func loneCombiningMarkGetsADottedCircle() {
        #expect(sanitize("\u{301}x") == "\u{25CC}\u{301}x")
        #expect(DisplayWidth.of("\u{301}x") == 2)
    }

    @Test func zalgoKeepsFourMarks() {
        let text = "a" + String(repeating: "\u{301}", count: 30)
        let glyphs = Array(Glyphs(text))
        #expect(glyphs.count == 1)
        #expect(glyphs[0].text.unicodeScalars.count == 5)
        #expect(glyphs[0].width == 1)
    }
}

@Suite struct TruncationTests {
    @Test func truncatesByDisplayWidthWithEllipsis() {
        #expect(Text.truncate("日本語テキスト", toWidth: 7) == "日本語…")
        #expect(Text.truncate("日本語テキスト", toWidth: 6) == "日本…")
        #expect(Text.truncate("日本語テキスト", toWidth: 14) == "日本語テキスト")
        #expect(Text.truncate("abcdef", toWidth: 1) == "…")
        #expect(Text.truncate("abcdef", toWidth: 0) == "")
    }

    @Test func neverSplitsAGrapheme() {
        let accented = String(repeating: "e\u{301}", count: 5)
        #expect(Text.truncate(accented, toWidth: 3) == "e\u{301}e\u{301}…")
        #expect(Text.truncate("😀😀😀", toWidth: 5) == "😀😀…")
        #expect(Text.truncate("😀😀😀", toWidth: 4) == "😀…")
    }

    @Test func padAligns() {
        #expect(Text.pad("漢a", toWidth: 5, alignment: .right) == "  漢a")
        #expect(Text.pad("ab", toWidth: 6, alignment: .center) == "  ab  ")
        #expect(Text.pad("abcdef", toWidth: 4) == "abc…")
    }

    @Test func wrapsAtSpacesByWidth() {
        #expect(Text.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
        #expect(Text.wrap("漢字漢字漢字", width: 5) == ["漢字", "漢字", "漢字"])
        #expect(Text.wrap("a\nb", width: 5) == ["a", "b"])
        #expect(Text.wrap("abcdefgh", width: 3) == ["abc", "def", "gh"])
    }
}

@Suite struct SanitizeTests {
    static let hostile: [String] = [
        "\u{1B}[2J\u{1B}[H clear screen",
        "\u{1B}]52;c;cHduZWQ=\u{07} clipboard",
        "\u{9B}31m C1 CSI \u{85} NEL \u{90}DCS\u{9C}",
        "\u{202E}txet desrever\u{202C} \u{2066}isolate\u{2069}",
        "zero\u{200B}width\u{200D}joiner\u{FEFF}",
        "tab\tnew\nline\rcr\u{7F}del\u{0}nul",
        "line\u{2028}sep\u{2029}para",
        "unassigned \u{0378} nonchar \u{FFFF}",
        String(repeating: "\u{1B}[31m漢字😀", count: 1500),
    ]

    @Test func controlsBecomePictures() {
        #expect(sanitize("\u{1B}[2J") == "␛[2J")
        #expect(sanitize("\u{1B}]52;c;aGk=\u{07}") == "␛]52;c;aGk=␇")
        #expect(sanitize("a\tb\nc\u{7F}\u{0}") == "a␉b␊c␡␀")
    }

    @Test func c1BidiAndSeparatorsShowTheirCode() {
        #expect(sanitize("\u{9B}31m") == "\\u{009B}31m")
        #expect(sanitize("\u{202E}abc") == "\\u{202E}abc")
        #expect(sanitize("\u{2066}x\u{2069}") == "\\u{2066}x\\u{2069}")
        #expect(sanitize("a\u{2028}b") == "a\\u{2028}b")
        #expect(sanitize("\u{0378}") == "\\u{0378}")
    }

    @Test func invisibleFormatCharactersAreDropped() {
        #expect(sanitize("zero\u{200B}width\u{FEFF}") == "zerowidth")
        #expect(sanitize("a\u{200D}b") == "ab")
    }

    @Test(arguments: hostile)
    func canvasNeverHoldsAControlOrBidiScalar(text: String) {
        var canvas = Canvas(width: 80, height: 3)
        canvas.draw(text, x: 0, y: 0)
        canvas.draw(text, in: Rect(x: 10, y: 1, width: 30, height: 1), alignment: .right)
        TextBlock(text).render(in: Rect(x: 0, y: 2, width: 80, height: 1), on: &canvas)
        for cell in canvas.cells {
            for scalar in cell.glyph.text.unicodeScalars {
                #expect(!SanitizeTests.isUnsafe(scalar), "unsafe U+\(String(scalar.value, radix: 16)) in \(text.prefix(20).debugDescription)")
            }
        }
        for line in canvas.lines { #expect(DisplayWidth.of(line) <= 80) }
    }

    @Test func tenKilobyteTitleIsCutAtTheWidth() {
        let title = String(repeating: "long title ", count: 1000)
        var canvas = Canvas(width: 40, height: 1)
        let used = canvas.draw(title, x: 0, y: 0)
        #expect(used == 40)
        #expect(canvas.lines[0].hasSuffix("…"))
    }

    static func isUnsafe(_ s: Unicode.Scalar) -> Bool { UnsafeScalar.contains(s) }
}
