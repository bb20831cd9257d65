import Foundation
import RecCore
import Testing
@testable import RecEval

@Suite struct TRECWriterTests {
    let lists = RankedLists(
        users: [0, 2],
        lists: [[ScoredItem(item: 1, score: 0.5), ScoredItem(item: 0, score: 0.25)],
                [ScoredItem(item: 2, score: 1e-5)]],
        depth: 3, candidates: .fullRanking)
    let writer = try! TRECWriter(userIDs: ["u7", "u8", "u9"], itemIDs: ["i10", "i11", "i12"])

    @Test func runLinesAreQidQ0DocRankScoreTag() throws {
        #expect(try writer.run(lists, tag: "pop") == """
            u7 Q0 i11 1 3 pop
            u7 Q0 i10 2 2 pop
            u9 Q0 i12 1 3 pop

            """)
        #expect(try writer.run(lists, tag: "pop", score: .model) == """
            u7 Q0 i11 1 0.5 pop
            u7 Q0 i10 2 0.25 pop
            u9 Q0 i12 1 1e-05 pop

            """)
    }

    @Test func csvRunHasAHeaderAndTheModelScores() throws {
        #expect(writer.csv(lists) == """
            user,item,rank,score
            u7,i11,1,0.5
            u7,i10,2,0.25
            u9,i12,1,1e-05

            """)
        #expect(TRECWriter.csvField("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }

    @Test func qrelsListEveryHeldOutItem() {
        let truth = InteractionMatrix(userCount: 3, itemCount: 3, users: [2, 0, 0], items: [0, 2, 1])
        #expect(writer.qrels(truth) == "u7 0 i11 1\nu7 0 i12 1\nu9 0 i10 1\n")
    }

    @Test func writesRunAndQrelsFiles() throws {
        let path = NSTemporaryDirectory() + "receval-trec-\(getpid()).run"
        let truth = InteractionMatrix(userCount: 3, itemCount: 3, users: [0], items: [1])
        try writer.write(lists, truth: truth, tag: "x", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == (try writer.run(lists, tag: "x")))
        #expect(try String(contentsOfFile: path + ".qrels", encoding: .utf8) == "u7 0 i11 1\n")
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".qrels")
        #expect(throws: TRECExportError.self) {
            try writer.write(lists, truth: truth, tag: "x", to: "/nonexistent-dir/run")
        }
    }
}

@Suite struct TRECFieldTests {
    @Test func idsAndTagsWithWhitespaceAreRejectedWithTheirValue() throws {
        #expect(throws: TRECExportError.invalidField(kind: "item id", value: "a b")) {
            try TRECWriter(userIDs: ["u"], itemIDs: ["a b"])
        }
        let writer = try TRECWriter(userIDs: ["u"], itemIDs: ["i"])
        let lists = RankedLists(users: [], lists: [], depth: 1, candidates: .fullRanking)
        #expect(throws: TRECExportError.invalidField(kind: "run tag", value: "")) {
            try writer.run(lists, tag: "")
        }
        #expect(try writer.run(lists, tag: "ok") == "")
    }
}
