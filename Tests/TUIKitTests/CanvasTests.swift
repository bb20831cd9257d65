import Testing
@testable import TUIKit

@Suite struct CanvasTests {
    @Test func wideGlyphTakesTwoCells() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.draw("漢a", x: 0, y: 0)
        #expect(canvas[0, 0].glyph.text == "漢")
        #expect(canvas[1, 0].isContinuation)
        #expect(canvas[2, 0].glyph.text == "a")
        #expect(canvas.lines == ["漢a"])
    }

    @Test func overwritingHalfAWideGlyphBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.draw("漢字", x: 0, y: 0)
        canvas.put(Glyph("x", width: 1), x: 1, y: 0)
        #expect(canvas.lines == [" x字"])
        canvas.put(Glyph("y", width: 1), x: 2, y: 0)
        #expect(canvas.lines == [" xy"])
        #expect(!canvas[3, 0].isContinuation)
    }

    @Test func wideGlyphAtTheLastColumnBecomesASpace() {
        var canvas = Canvas(width: 3, height: 1)
        canvas.draw("ab漢", x: 0, y: 0, maxWidth: 4)
        #expect(canvas.lines == ["ab…"])
        canvas.put(Glyph("漢", width: 2), x: 2, y: 0)
        #expect(canvas.lines == ["ab"])
    }

    @Test func drawingOutsideIsIgnored() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.draw("abc", x: 5, y: 0)
        canvas.draw("abc", x: 0, y: 7)
        canvas.put(Glyph("z", width: 1), x: -1, y: 0)
        #expect(canvas.lines == ["", ""])
    }

    @Test func alignedDrawsPadTheRowWithTheStyle() {
        var canvas = Canvas(width: 8, height: 1)
        canvas.draw("ab", in: Rect(x: 1, y: 0, width: 6, height: 1), alignment: .right, style: .reverse)
        #expect(canvas.lines == ["     ab"])
        #expect(canvas[1, 0].style == .reverse)
        #expect(canvas[0, 0].style == .plain)
    }

    @Test func monochromeKeepsHighlightsVisible() {
        #expect(Theme.selected.monochrome == Style(attributes: .reverse))
        #expect(Style(foreground: .red, attributes: .bold).monochrome == .bold)
    }
}

@Suite struct LayoutTests {
    @Test func fixedPercentAndFill() {
        let r = Rect(x: 0, y: 0, width: 100, height: 10)
        #expect(r.columns([.fixed(10), .percent(50), .fill]).map(\.width) == [10, 50, 40])
        #expect(r.columns([.fixed(10), .percent(50), .fill]).map(\.x) == [0, 10, 60])
        #expect(r.columns([.fill(1), .fill(2)]).map(\.width) == [34, 66])
        #expect(r.columns([.fill, .fill, .fill], spacing: 1).map(\.width) == [33, 33, 32])
        #expect(r.rows([.fixed(3), .fill]).map(\.height) == [3, 7])
    }

    @Test func fixedPartsShrinkWhenThereIsNoRoom() {
        let r = Rect(x: 0, y: 0, width: 12, height: 1)
        #expect(r.columns([.fixed(10), .fixed(10), .fill]).map(\.width) == [10, 2, 0])
    }

    @Test func insetAndSplits() {
        let r = Rect(x: 2, y: 3, width: 10, height: 6)
        #expect(r.inset() == Rect(x: 3, y: 4, width: 8, height: 4))
        #expect(r.splitTop(2).rest == Rect(x: 2, y: 5, width: 10, height: 4))
        #expect(r.splitBottom(1).bottom == Rect(x: 2, y: 8, width: 10, height: 1))
        #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset().isEmpty)
    }
}
