import Testing
@testable import RecSynth

/// The default dataset (the committed sample data), generated once for all tests that need its size.
let defaultDataset: SyntheticDataset = try! SyntheticDataset.generate(SynthParameters())

/// Its rendered atomic files.
let defaultFiles: AtomicFiles = defaultDataset.atomicFiles()

let smallParameters = SynthParameters(seed: 11, users: 60, items: 120, categories: 12, meanInteractionsPerUser: 12)

/// Splits an atomic file into its header and rows of fields.
func table(_ text: String) -> (header: [Substring], rows: [[Substring]]) {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.last == "", "file must end with a newline")
    lines.removeLast()
    let rows = lines.dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    return (lines[0].split(separator: "\t", omittingEmptySubsequences: false), rows)
}

@Suite struct SyntheticDatasetDeterminismTests {
    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try SyntheticDataset.generate(smallParameters).atomicFiles()
        let b = try SyntheticDataset.generate(smallParameters).atomicFiles()
        #expect(a == b)
    }

    @Test func differentSeedsDiffer() throws {
        var other = smallParameters
        other.seed = 12
        let a = try SyntheticDataset.generate(smallParameters).atomicFiles()
        let b = try SyntheticDataset.generate(other).atomicFiles()
        #expect(a.inter != b.inter)
        #expect(a.item != b.item)
        #expect(a.user != b.user)
    }

    @Test func moreUsersKeepTheCatalogAndTheFirstUsers() throws {
        // Sub-streams: adding users must not change the items or the users already there.
        var more = smallParameters
        more.users += 10
        let a = try SyntheticDataset.generate(smallParameters)
        let b = try SyntheticDataset.generate(more)
        #expect(a.items == b.items)
        #expect(Array(b.users.prefix(a.users.count)) == a.users)
        let firstUsers = b.interactions.filter { Int($0.user) < a.users.count }
        #expect(firstUsers.map(\.item) == a.interactions.map(\.item))
        #expect(firstUsers.map(\.timestamp) == a.interactions.map(\.timestamp))
    }

    @Test func committedSampleDataMatchesTheDefaultCommand() throws {
        // sample-data/README.md says: recscope synth --seed 7 --users 2000 --items 3000 --out sample-data
        let directory = String(#filePath.split(separator: "/", omittingEmptySubsequences: false)
            .dropLast(3).joined(separator: "/")) + "/sample-data"
        let files = defaultFiles
        for (suffix, contents) in files.named {
            let path = directory + "/sample." + suffix
            let committed = try #require(readFile(path), "cannot read \(path)")
            #expect(committed == Array(contents.utf8), "\(path) differs from what the default command generates")
        }
    }
}

@Suite struct SyntheticDatasetFormatTests {
    @Test func headersAreRecBoleTypedHeaders() {
        let files = defaultFiles
        #expect(table(files.inter).header.joined(separator: "\t")
            == "user_id:token\titem_id:token\trating:float\ttimestamp:float\tsession_id:token")
        #expect(table(files.item).header.joined(separator: "\t")
            == "item_id:token\ttitle:token_seq\trelease_year:token\tclass:token_seq\tdescription:token_seq")
        #expect(table(files.user).header.joined(separator: "\t") == "user_id:token\tage:token\tgender:token\tcountry:token")
    }

    @Test func everyRowHasItsFieldsAndNoControlCharacters() {
        let files = defaultFiles
        for (text, width) in [(files.inter, 5), (files.item, 5), (files.user, 4)] {
            let t = table(text)
            #expect(t.rows.allSatisfy { $0.count == width && $0.allSatisfy { !$0.isEmpty } })
            let control = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F }
            #expect(control.isEmpty)
        }
    }

    @Test func itemsHaveUniqueTitlesTokenCategoriesAndSomeWideLetters() {
        let items = defaultDataset.items
        #expect(Set(items.map(\.title)).count == items.count)
        #expect(items.allSatisfy { (1...3).contains($0.categories.count) && Set($0.categories).count == $0.categories.count })
        #expect(items.allSatisfy { $0.categories.allSatisfy { !$0.contains(" ") } })
        let genres = Set(items.flatMap(\.categories))
        #expect((18...24).contains(genres.count))
        #expect(items.contains { $0.title.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
        #expect(items.contains { $0.title.unicodeScalars.contains { $0.properties.isEmojiPresentation } })
        #expect(items.contains { $0.title.contains("é") })
        #expect(items.allSatisfy { $0.description.hasSuffix(".") && !$0.description.contains("  ") })
    }

    @Test func recentYearsAreMoreNumerous() {
        let years = defaultDataset.items.map(\.year)
        let last = years.max()!
        #expect(last == 2024)
        #expect(years.filter { $0 > last - 10 }.count > years.filter { $0 <= last - 10 && $0 > last - 20 }.count)
        #expect(years.filter { $0 < 1970 }.count > 0)
    }
}

@Suite struct SyntheticDatasetStructureTests {
    @Test func rowsReferenceExistingUsersItemsAndSessions() {
        let d = defaultDataset
        #expect(d.interactions.allSatisfy { Int($0.user) < d.users.count && Int($0.item) < d.items.count })
        #expect(d.interactions.allSatisfy { Int($0.session) < d.sessionCount })
        var owner = [Int32](repeating: -1, count: d.sessionCount)
        for r in d.interactions {
            #expect(owner[Int(r.session)] == -1 || owner[Int(r.session)] == r.user)
            owner[Int(r.session)] = r.user
        }
        #expect(!owner.contains(-1))
    }

    @Test func eachUserHasAtLeastFiveDistinctItems() {
        var seen = [Set<Int32>](repeating: [], count: defaultDataset.users.count)
        for r in defaultDataset.interactions {
            #expect(seen[Int(r.user)].insert(r.item).inserted, "user \(r.user + 1) has item \(r.item + 1) twice")
        }
        #expect(seen.allSatisfy { $0.count >= SynthParameters.minimumPerUser })
    }

    @Test func sizeAndTimestampsAreInRangeAndInFileOrder() {
        let d = defaultDataset
        let p = d.parameters
        #expect((80_000...150_000).contains(d.interactions.count))
        #expect(d.interactions.allSatisfy { $0.timestamp >= p.startTimestamp && $0.timestamp < p.endTimestamp })
        #expect(zip(d.interactions, d.interactions.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        // Sessions are numbered in order of their first row.
        var next: Int32 = 0
        for r in d.interactions where r.session >= next {
            #expect(r.session == next)
            next += 1
        }
    }

    @Test func nothingIsConsumedBeforeItsReleaseYear() {
        let d = defaultDataset
        #expect(d.interactions.allSatisfy {
            $0.timestamp >= CivilTime.unixSeconds(year: d.items[Int($0.item)].year)
        })
    }

    @Test func sessionsAreBurstsAndSessionsAreHoursApart() {
        let d = defaultDataset
        var lastOfUser = [Int: SyntheticDataset.Interaction]()
        var sessionLength = [Int](repeating: 0, count: d.sessionCount)
        var ties = 0
        for r in d.interactions {
            sessionLength[Int(r.session)] += 1
            guard let prev = lastOfUser[Int(r.user)] else { lastOfUser[Int(r.user)] = r; continue }
            let gap = r.timestamp - prev.timestamp
            if prev.session == r.session {
                #expect((0...1800).contains(gap))
                if gap == 0 { ties += 1 }
            } else {
                #expect(r.session > prev.session)
                #expect(gap >= 4 * 3600)
            }
            lastOfUser[Int(r.user)] = r
        }
        #expect(sessionLength.allSatisfy { (1...15).contains($0) })
        #expect(ties == d.timestampTies)
        #expect(ties > d.interactions.count / 50)
    }

    @Test func popularityIsLongTailed() {
        var counts = [Int](repeating: 0, count: defaultDataset.items.count)
        for r in defaultDataset.interactions { counts[Int(r.item)] += 1 }
        counts.sort(by: >)
        let head = counts.prefix(counts.count / 10).reduce(0, +)
        #expect(Double(head) > 0.4 * Double(defaultDataset.interactions.count))
        #expect(Double(head) < 0.8 * Double(defaultDataset.interactions.count))
    }

    @Test func userActivityIsLongTailed() {
        var counts = [Int](repeating: 0, count: defaultDataset.users.count)
        for r in defaultDataset.interactions { counts[Int(r.user)] += 1 }
        counts.sort()
        let median = counts[counts.count / 2]
        let mean = Double(counts.reduce(0, +)) / Double(counts.count)
        #expect(Double(median) < 0.8 * mean)
        #expect(counts.last! > 8 * median)
    }

    @Test func consecutiveItemsInASessionShareGenresMoreThanChance() {
        let d = defaultDataset
        func share(_ a: Int32, _ b: Int32) -> Bool {
            !Set(d.items[Int(a)].categories).isDisjoint(with: d.items[Int(b)].categories)
        }
        var lastOfUser = [Int32: SyntheticDataset.Interaction]()
        var sameSession = (shared: 0, total: 0), otherSession = (shared: 0, total: 0)
        for r in d.interactions {
            if let prev = lastOfUser[r.user] {
                if prev.session == r.session {
                    sameSession.total += 1
                    if share(prev.item, r.item) { sameSession.shared += 1 }
                } else {
                    otherSession.total += 1
                    if share(prev.item, r.item) { otherSession.shared += 1 }
                }
            }
            lastOfUser[r.user] = r
        }
        let within = Double(sameSession.shared) / Double(sameSession.total)
        let across = Double(otherSession.shared) / Double(otherSession.total)
        #expect(within > across + 0.15)
    }

    @Test func ratingsSpanOneToFiveAroundThreeAndAHalf() {
        let ratings = defaultDataset.interactions.map { Int($0.rating) }
        #expect(Set(ratings) == [1, 2, 3, 4, 5])
        let mean = Double(ratings.reduce(0, +)) / Double(ratings.count)
        #expect((3.2...3.8).contains(mean))
    }
}
