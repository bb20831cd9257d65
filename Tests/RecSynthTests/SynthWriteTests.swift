import Testing
@testable import RecSynth

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, or nil if it cannot be read.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// A fresh empty directory under /tmp.
func temporaryDirectory() -> String {
    var template = Array("/tmp/recsynth-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    return path
}

func removeTree(_ path: String, files: [String]) {
    for f in files { unlink(path + "/" + f) }
    rmdir(path)
}

@Suite struct SynthWriteTests {
    @Test func smallRunWritesThreeFilesThatMatchTheRenderedText() throws {
        let dataset = try SyntheticDataset.generate(smallParameters)
        #expect(dataset.users.count == 60 && dataset.items.count == 120)
        #expect(dataset.interactions.count >= 60 * SynthParameters.minimumPerUser)
        let dir = temporaryDirectory() + "/out"
        let paths = try dataset.write(to: dir, name: "tiny", force: false)
        defer { removeTree(dir, files: ["tiny.inter", "tiny.item", "tiny.user"]) }
        #expect(paths == [dir + "/tiny.inter", dir + "/tiny.item", dir + "/tiny.user"])
        let files = dataset.atomicFiles()
        #expect(readFile(paths[0]) == Array(files.inter.utf8))
        #expect(readFile(paths[1]) == Array(files.item.utf8))
        #expect(readFile(paths[2]) == Array(files.user.utf8))
    }

    @Test func refusesANonEmptyDirectoryUnlessForced() throws {
        let dataset = try SyntheticDataset.generate(smallParameters)
        let dir = temporaryDirectory()
        defer { removeTree(dir, files: ["a.inter", "a.item", "a.user"]) }
        try dataset.write(to: dir, name: "a", force: false)
        #expect(throws: SynthError.outputNotEmpty(path: dir)) { try dataset.write(to: dir, name: "a", force: false) }
        #expect(try dataset.write(to: dir, name: "a", force: true).count == 3)
    }

    @Test func crowdedTimelinesStillStayInsideTheTimeline() throws {
        let p = SynthParameters(seed: 3, users: 20, items: 2000, categories: 8, meanInteractionsPerUser: 400, days: 7)
        let d = try SyntheticDataset.generate(p)
        #expect(d.interactions.allSatisfy { $0.timestamp >= p.startTimestamp && $0.timestamp < p.endTimestamp })
        #expect(zip(d.interactions, d.interactions.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }

    @Test func rejectsBadParametersWithTheOptionName() {
        let bad: [(SynthParameters, String)] = [
            (SynthParameters(users: 0), "--users"),
            (SynthParameters(items: 10), "--items"),
            (SynthParameters(categories: 99), "--categories"),
            (SynthParameters(meanInteractionsPerUser: 3), "--interactions-per-user"),
            (SynthParameters(items: 100, meanInteractionsPerUser: 80), "--interactions-per-user"),
            (SynthParameters(days: 1), "--days"),
        ]
        for (parameters, option) in bad {
            do {
                _ = try SyntheticDataset.generate(parameters)
                Issue.record("\(option) was accepted")
            } catch {
                #expect(error.description.contains(option))
            }
        }
    }

    @Test func civilTimeRoundTrips() {
        #expect(CivilTime.unixSeconds(year: 2023) == 1_672_531_200)
        #expect(CivilTime.unixSeconds(year: 1970) == 0)
        #expect(CivilTime.year(ofUnixSeconds: 1_672_531_199) == 2022)
        #expect(CivilTime.year(ofUnixSeconds: 1_672_531_200) == 2023)
        #expect(CivilTime.year(ofUnixSeconds: -1) == 1969)
        #expect(CivilTime.unixSeconds(year: 2024, month: 3, day: 1) - CivilTime.unixSeconds(year: 2024, month: 2, day: 1)
            == 29 * 86_400)
    }
}
