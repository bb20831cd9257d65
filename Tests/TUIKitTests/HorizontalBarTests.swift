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
