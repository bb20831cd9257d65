import Foundation
import Testing

/// `recscope tui --play KEYS --cast FILE` writes an asciinema v2 recording, and `recscope personas` lists,
/// saves and deletes what-if users.
@Suite struct CastAndPersonaTests {
    /// Checks a recording against the asciicast v2 format and returns its frames' output.
    static func frames(of cast: String, width: Int, height: Int) throws -> [String] {
        let lines = cast.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "a recording ends with a newline")
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["version"] as? Int == 2 && header["width"] as? Int == width && header["height"] as? Int == height, "\(header)")
        #expect(header["timestamp"] is Int && header["env"] is [String: String])
        var outputs: [String] = [], last = -1.0
        for line in lines.dropFirst().dropLast() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], "not an event line: \(line.prefix(80))")
            #expect(event.count == 3)
            let time = try #require(event[0] as? Double), code = try #require(event[1] as? String), data = try #require(event[2] as? String)
            #expect(code == "o" && time >= last, "events go forward in time: \(time) after \(last)")
            last = time
            outputs.append(data)
        }
        if let duration = header["duration"] as? Double { #expect(duration >= last) }
        return outputs
    }

    @Test func aReplayIsRecordedAsAnAsciicastWithHostileTitlesInert() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Compare for user 49, whose item 216 has escape sequences and a bidi override in its title.
        try "4 : \"user 49\" Enter x j\n".write(toFile: dir + "/keys.txt", atomically: true, encoding: .utf8)
        let r = try Binary.run(["tui", "--demo", "--play", dir + "/keys.txt", "--cast", dir + "/demo.cast", "--size", "100x30",
                                "--cast-interval", "0.5"])
        #expect(r.status == 0, "\(r.stderr)")
        let cast = try String(contentsOfFile: dir + "/demo.cast", encoding: .utf8)
        let outputs = try Self.frames(of: cast, width: 100, height: 30)
        #expect(outputs.count >= 5, "one frame per key that changed the screen")
        for output in outputs {
            // Only the recording's own sequences: cursor home, clear, SGR colours.
            let stripped = output.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[HJm]", with: "", options: .regularExpression)
            #expect(!stripped.unicodeScalars.contains { $0.value < 0x20 && $0 != "\r" && $0 != "\n" }, "a control character from data")
            #expect(!stripped.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
            #expect(stripped.split(separator: "\r\n", omittingEmptySubsequences: false).count == 30)
        }
        #expect(outputs.contains { $0.contains("user 49") })
        #expect(try Binary.run(["tui", "--demo", "--cast", dir + "/x.cast"]).status != 0, "--cast needs --play")
    }

    @Test func personasAreSavedListedAndDeleted() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let synth = try Binary.run(["synth", "--seed", "2", "--users", "20", "--items", "60", "--interactions-per-user", "6", "--out", dir + "/s"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let catalog = dir + "/c.sqlite"
        #expect(try Binary.run(["import", "--catalog", catalog, "--format", "recbole", dir + "/s"]).status == 0)
        let empty = try Binary.run(["personas", "--catalog", catalog])
        #expect(empty.status == 0 && empty.stdout.contains("no personas"))
        let ids = try Binary.shell("sqlite3 '\(catalog)' 'SELECT external_id FROM items ORDER BY idx LIMIT 3'")
            .split(separator: "\n").map(String.init)
        let saved = try Binary.run(["personas", "--catalog", catalog, "--save", "fan", "--items", ids.joined(separator: ","), "--recent", "2", "--json"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(saved.stdout.utf8)) as? [String: Any])
        let personas = try #require(doc["personas"] as? [[String: Any]])
        #expect(personas.count == 1 && personas[0]["name"] as? String == "fan" && personas[0]["items"] as? [String] == ids)
        #expect(personas[0]["recent"] as? Int == 2)
        let listed = try Binary.run(["personas", "--catalog", catalog])
        #expect(listed.stdout.contains("fan") && listed.stdout.contains("latest items"), "\(listed.stdout)")
        let bad = try Binary.run(["personas", "--catalog", catalog, "--save", "x", "--items", "no-such-item"])
        #expect(bad.status != 0 && bad.stderr.contains("no item 'no-such-item'"))
        #expect(try Binary.run(["personas", "--catalog", catalog, "--delete", "fan"]).status == 0)
        #expect(try Binary.run(["personas", "--catalog", catalog, "--delete", "fan"]).status != 0)
    }
}
