import Testing
import TUIKit

@Suite struct HorizontalBarTests {
    @Test func barsAreEighthsOfTheWidth() {
        #expect(horizontalBar(fraction: 1, width: 5) == "█████")
        #expect(horizontalBar(fraction: 0.5, width: 5) == "██▌")
        #expect(horizontalBar(fraction: 1.0 / 40, width: 5) == "▏")
        #expect(horizontalBar(fraction: 0, width: 5) == "")
    }

    @Test func fractionsOutsideZeroToOneAreClamped() {
        #expect(horizontalBar(fraction: 3, width: 4) == "████")
        #expect(horizontalBar(fraction: -1, width: 4) == "")
        #expect(horizontalBar(fraction: .nan, width: 4) == "")
    }
}

@Suite struct ColumnChartTests {
    @Test func columnsRiseFromTheBottomInEighths() {
        var canvas = Canvas(width: 3, height: 2)
        ColumnChart(values: [4, 1, 0]).render(in: Rect(x: 0, y: 0, width: 3, height: 2), on: &canvas)
        // 4 is the top (16 eighths); 1 is 4 eighths; 0 draws nothing.
        #expect(canvas.text == "█\n█▄")
    }

    @Test func barsThatDoNotFitAreNotDrawn() {
        var canvas = Canvas(width: 3, height: 1)
        ColumnChart(values: [1, 1], columnWidth: 2).render(in: Rect(x: 0, y: 0, width: 3, height: 1), on: &canvas)
        #expect(canvas.text == "██")
    }
}
