import Foundation
import RecCore
import Testing
@testable import RecEval

/// Reading runs from other tools: formats, headers, ordering, and errors that name the file and line.
@Suite struct RunReaderTests {
    let users = Vocabulary(ids: ["u1", "u2", "u3"])
    let items = Vocabulary(ids: ["a", "b", "c", "d"])

    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "run-\(UUID().uuidString).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func read(_ text: String, format: RunFormat = .auto) throws -> ParsedRun {
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RunReader.read(path: path, format: format, users: users, items: items)
    }

    /// (user, [(item, score)]) of every listed user.
    func lists(_ run: ParsedRun) -> [[String]] {
        (0..<users.count).map { u in
            (run.listStart[u]..<run.listStart[u + 1]).map { items.id(at: run.items[$0]) }
        }
    }

    func error(_ text: String, format: RunFormat = .auto) throws -> String {
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try RunReader.read(path: path, format: format, users: users, items: items)
        } catch let e as RunFileError {
            #expect(e.description.hasPrefix(path), "the message names the file: \(e)")
            return String(e.description.dropFirst(path.count))
        }
        Issue.record("no error for \(text.debugDescription)")
        return ""
    }

    @Test func trecRunIsDetectedAndOrderedByScore() throws {
        let run = try read("u1 Q0 b 2 0.5 x\nu1 Q0 c 1 0.9 x\n\nu3 Q0 a 1 3 x\r\n")
        #expect(run.format == .trec && run.scoreSource == .file && run.lines == 3 && run.listedUsers == 2)
        #expect(lists(run) == [["c", "b"], [], ["a"]])
        #expect(run.scores == [0.9, 0.5, 3])
    }

    @Test func csvHeadersAreRecognisedWhateverTheirSpellingAndOrder() throws {
        // LensKit's column order, RecBole's typed names, quoted ids.
        let lenskit = try read("item,score,user,rank\nb,0.1,u2,2\n\"a\",0.7,\"u2\",1\n")
        #expect(lenskit.format == .csv && lists(lenskit) == [[], ["a", "b"], []])
        let recbole = try read("user_id:token\titem_id:token\tscore:float\nu1\td\t2.5\n", format: .auto)
        #expect(recbole.format == .tsv && lists(recbole) == [["d"], [], []])
        // Elliot writes `user item score` with tabs and no header.
        let elliot = try read("u3\tc\t0.2\nu3\ta\t0.4\n")
        #expect(lists(elliot) == [[], [], ["a", "c"]] && elliot.scores == [0.4, 0.2])
    }

    @Test func ranksOnlyGiveReciprocalRankScores() throws {
        let run = try read("user,item,rank\nu1,c,2\nu1,a,1\nu1,d,3\n")
        #expect(run.scoreSource == .reciprocalRank && lists(run) == [["a", "c", "d"], [], []])
        #expect(run.scores == [1, 0.5, Float(1.0 / 3)])
    }

    @Test func tiedScoresKeepTheFilesRankThenItemIndexAndStayScoreDescending() throws {
        // d and a tie at 0.5; the file ranks d first, so a's score goes one float below.
        let run = try read("u1 Q0 a 3 0.5 x\nu1 Q0 d 2 0.5 x\nu1 Q0 b 1 0.9 x\nu2 Q0 c 1 0.5 x\nu2 Q0 b 1 0.5 x\n")
        #expect(lists(run) == [["b", "d", "a"], ["b", "c"], []])
        #expect(run.scores[2] == Float(0.5).nextDown && run.nudgedScores == 1)
        for u in 0..<3 {
            let list = (run.listStart[u]..<run.listStart[u + 1]).map { ScoredItem(item: run.items[$0], score: run.scores[$0]) }
            #expect(zip(list, list.dropFirst()).allSatisfy { ScoredItem.ranksBefore($0, $1) })
        }
        // Distinct doubles that round to one float keep their file order too.
        let close = try read("u1,d,0.30000000000000004\nu1,b,0.3\n")
        #expect(lists(close)[0] == ["d", "b"] && close.scores[1] == Float(0.3).nextDown && close.nudgedScores == 1)
    }

    @Test func unknownIdsAreCountedOverTheWholeFileWithLineNumbers() throws {
        let message = try error("u1 Q0 a 1 1 x\nu9 Q0 a 1 1 x\nu9 Q0 b 2 0.5 x\nu1 Q0 zz 2 0.5 x\nu8 Q0 yy 1 1 x\n")
        #expect(message == ": 2 unknown users on 3 lines, e.g. 'u9' (line 2), 'u8' (line 5); 2 unknown items on 2 lines, "
                + "e.g. 'zz' (line 4), 'yy' (line 5) (expected the catalog's own user and item ids; nothing was imported: "
                + "import the run into the catalog its tool was trained on)")
    }

    @Test func malformedLinesNameTheirLineAndWhatWasExpected() throws {
        #expect(try error("u1 Q0 a 1 1 x\nu1 Q0 b 2 x\n") == ":2: found 5 fields, expected 6 whitespace-separated fields `qid Q0 docid rank score tag`")
        #expect(try error("u1 Q0 a 1 1 x\nu1 Q0 b two 0.5 x\n", format: .trec) == ":2: rank 'two' is not a whole number ≥ 1")
        #expect(try error("user,item,score\nu1,a,0.5\nu1,b,high\n") == ":3: score 'high' is not a finite number")
        #expect(try error("user,item,score\nu1,a,nan\n") == ":2: score 'nan' is not a finite number")
        #expect(try error("user,item,score\nu1,\"a,0.5\n") == ":2: a quote is not closed (expected 3 comma-separated fields)")
        #expect(try error("user,item,rating\nu1,a,5\n").hasPrefix(":1: the header names no score or rank column"))
        #expect(try error("u1,a,0.5,1\n").hasPrefix(":1: found 4 columns and no header"))
        #expect(try error("u1 a 0.5\n").hasPrefix(":1: cannot tell the format"))
    }

    @Test func anItemTwiceForOneUserIsAnError() throws {
        #expect(try error("u1 Q0 a 1 1 x\nu2 Q0 a 1 1 x\nu1 Q0 a 2 0.5 x\n")
                == ":3: item 'a' is listed twice for user 'u1' (first on line 1); expected each item once per user")
    }

    @Test func emptyFilesAndHeaderOnlyFilesAreErrors() throws {
        #expect(try error("").hasPrefix(": no run lines"))
        #expect(try error("\n  \n").hasPrefix(": no run lines"))
        #expect(try error("user,item,score\n") == ": only a header, no run lines")
    }
}
