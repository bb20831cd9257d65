import Testing
import RecCore
@testable import RecWorkbench

@Suite struct PresenterTests {
    @Test func durationsAndDecimals() {
        #expect(NumberText.duration(412e-6) == "412 µs")
        #expect(NumberText.duration(0.00125) == "1.25 ms")
        #expect(NumberText.duration(2.1) == "2.1 s")
        #expect(NumberText.decimals(0.1, 2) == "0.10")
        #expect(NumberText.pad("7", 3) == "  7" && NumberText.pad("1234", 3) == "1234")
    }

    @Test func theRankedListIsOneTableWithSanitisedTitles() {
        let lines = StagePresenter.rankedList([ScoredItem(item: 3, score: 1.5), ScoredItem(item: 1, score: 0.25)],
                                              itemID: { "i\($0)" }, title: { $0 == 3 ? "Evil \u{1B}[2J" : "Fine" })
        #expect(lines == ["rank  item      score       title",
                          "   1  i3             1.5  Evil ␛[2J",
                          "   2  i1            0.25  Fine"])
    }
}
