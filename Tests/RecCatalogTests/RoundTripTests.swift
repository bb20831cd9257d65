import Foundation
import GRDB
import Testing
@testable import RecCatalog
import RecCore

/// Random valid files → import → export (RecBole atomic files) → re-import gives the same catalog.
@Suite struct RoundTripTests {
    /// One generated data set, written as RecBole atomic files or as CSV.
    struct Generated {
        var users: [String] = []
        var items: [(id: String, title: String?, year: Int?, categories: [String])] = []
        var interactions: [(user: String, item: String, ts: Double, rating: Double?, session: String?)] = []
        var withSessions = false
    }

    static let titlePieces = ["The", "Silent", "Harbor", "東京の夜", "café", "naïve", "🎬", "\"Quoted\"", "O'Brien",
                              "a,b", "  two  spaces", "Ωmega", "ﬁ", "שָׁלוֹם", "x|y", ";", "Ä", "(1999)"]
    static let categoryNames = ["Drama", "Sci-Fi", "Film-Noir", "Children's", "Comedy", "Музыка"]

    /// A seeded data set: users with and without interactions, untouched items, tied and fractional times.
    static func generate(seed: UInt64, tabsInTitles: Bool) -> Generated {
        var rng = SeededGenerator(seed: seed)
        var g = Generated()
        let userCount = Int.random(in: 1...25, using: &rng)
        let itemCount = Int.random(in: 1...30, using: &rng)
        g.users = (0..<userCount).map { "u\($0)-\(Int.random(in: 0...999, using: &rng))" }
        for n in 0..<itemCount {
            var title: String? = nil
            if Int.random(in: 0..<5, using: &rng) > 0 {
                title = (0..<Int.random(in: 1...4, using: &rng)).map { _ in titlePieces.randomElement(using: &rng)! }
                    .joined(separator: " ")
                if tabsInTitles && Bool.random(using: &rng) { title! += "\tand\ttabs" }
            }
            let year = Bool.random(using: &rng) ? Int.random(in: 1920...2025, using: &rng) : nil
            let categories = Array(categoryNames.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
            g.items.append(("i\(n)", title, year, categories))
        }
        g.withSessions = !tabsInTitles && Bool.random(using: &rng)
        let active = g.users.filter { _ in Int.random(in: 0..<4, using: &rng) > 0 }
        let touched = g.items.filter { _ in Int.random(in: 0..<4, using: &rng) > 0 }.map(\.id)
        guard !active.isEmpty, !touched.isEmpty else { return generate(seed: seed &+ 1_000_003, tabsInTitles: tabsInTitles) }
        let times = (0..<6).map { _ in 1_600_000_000 + Double(Int.random(in: 0..<20_000, using: &rng)) }
        for _ in 0..<Int.random(in: 1...120, using: &rng) {
            var ts = times.randomElement(using: &rng)!   // few distinct times: many ties
            // Fractional times with 17 significant digits: the export must write them back exactly.
            if Int.random(in: 0..<4, using: &rng) == 0 { ts += Double.random(in: 0..<100_000, using: &rng) }
            let rating: Double? = Int.random(in: 0..<5, using: &rng) == 0 ? nil : Double(Int.random(in: 1...10, using: &rng)) / 2
            let session = g.withSessions && Bool.random(using: &rng) ? "s\(Int.random(in: 0..<4, using: &rng))" : nil
            g.interactions.append((active.randomElement(using: &rng)!, touched.randomElement(using: &rng)!, ts, rating, session))
        }
        return g
    }

    static func number(_ d: Double) -> String { d == d.rounded() ? String(Int64(d)) : "\(d)" }

    static func writeAtomic(_ g: Generated, to dir: TempDir) -> [String] {
        var user = "user_id:token\n"
        for u in g.users { user += u + "\n" }
        var item = "item_id:token\ttitle:token_seq\trelease_year:token\tclass:token_seq\n"
        for i in g.items { item += "\(i.id)\t\(i.title ?? "")\t\(i.year.map(String.init) ?? "")\t\(i.categories.joined(separator: " "))\n" }
        var inter = "user_id:token\titem_id:token\ttimestamp:float\trating:float" + (g.withSessions ? "\tsession_id:token" : "") + "\n"
        for x in g.interactions {
            inter += "\(x.user)\t\(x.item)\t\(number(x.ts))\t\(x.rating.map(number) ?? "")"
            if g.withSessions { inter += "\t\(x.session ?? "")" }
            inter += "\n"
        }
        return [dir.write("gen.user", user), dir.write("gen.item", item), dir.write("gen.inter", inter)]
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\t" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// CSV interactions plus an items CSV (quoted titles with commas, quotes and tabs).
    static func writeCSV(_ g: Generated, to dir: TempDir) -> (String, CSVMapping) {
        var items = "item_id,title,year,genres\n"
        for i in g.items {
            items += [i.id, csvField(i.title ?? ""), i.year.map(String.init) ?? "", i.categories.joined(separator: "|")].joined(separator: ",") + "\n"
        }
        var inter = "user_id,item_id,timestamp,rating\n"
        for x in g.interactions { inter += "\(x.user),\(x.item),\(number(x.ts)),\(x.rating.map(number) ?? "")\n" }
        var mapping = CSVMapping()
        mapping.itemsPath = dir.write("items.csv", items)
        return (dir.write("inter.csv", inter), mapping)
    }

    /// Everything the round trip must keep, as comparable text.
    static func contents(_ catalog: Catalog) throws -> [String: [String]] {
        try catalog.pool.read { (db: Database) throws -> [String: [String]] in
            [
                "users": try String.fetchAll(db, sql: "SELECT idx || '|' || external_id || '|' || interactions || '|' || sessions || '|' || COALESCE(first_ts, '') || '|' || COALESCE(last_ts, '') FROM users ORDER BY idx"),
                "items": try String.fetchAll(db, sql: "SELECT idx || '|' || external_id || '|' || COALESCE(title, '<nil>') || '|' || COALESCE(year, '') || '|' || categories || '|' || interactions FROM items ORDER BY idx"),
                "categories": try String.fetchAll(db, sql: "SELECT category || '|' || item FROM item_categories ORDER BY category, item"),
                "interactions": try String.fetchAll(db, sql: "SELECT user || '|' || item || '|' || printf('%.17g', ts) || '|' || COALESCE(printf('%.17g', value), '') || '|' || COALESCE(event, '') FROM interactions ORDER BY id"),
                "sessions": try String.fetchAll(db, sql: "SELECT user || '|' || printf('%.17g', start_ts) || '|' || printf('%.17g', end_ts) || '|' || length FROM sessions ORDER BY user, start_ts, id"),
                "session-of": try String.fetchAll(db, sql: "SELECT COALESCE(s.user || '|' || printf('%.17g', s.start_ts), '') FROM interactions i LEFT JOIN sessions s ON s.id = i.session ORDER BY i.id"),
                "daily": try String.fetchAll(db, sql: "SELECT day || '|' || interactions FROM daily_activity ORDER BY day"),
            ]
        }
    }

    static func reimport(_ catalog: Catalog, in dir: TempDir) throws -> (Catalog, AtomicExportSummary) {
        let out = dir.path + "/export"
        let summary = try AtomicExporter.export(catalog, to: out, name: "rt")
        let again = try dir.catalog("again.sqlite")
        _ = try again.importFiles(ImportRequest(format: .recbole, paths: [out]))
        return (again, summary)
    }

    @Test(arguments: 0..<24)
    func atomicFilesRoundTrip(seed: Int) throws {
        let g = Self.generate(seed: UInt64(seed), tabsInTitles: false)
        let dir = TempDir()
        let first = try dir.catalog()
        _ = try first.importFiles(ImportRequest(format: .recbole, paths: Self.writeAtomic(g, to: dir)))
        let (again, summary) = try Self.reimport(first, in: dir)
        #expect(summary.users == g.users.count && summary.items == g.items.count && summary.interactions == g.interactions.count)
        #expect(summary.textFieldsFlattened == 0 && summary.categoriesJoined == 0)
        let a = try Self.contents(first), b = try Self.contents(again)
        for key in a.keys.sorted() { #expect(a[key] == b[key], "seed \(seed): \(key) differs") }
        // A second export of the re-imported catalog is byte-identical to the first.
        let second = try AtomicExporter.export(again, to: dir.path + "/export2", name: "rt")
        for (x, y) in zip(summary.files, second.files) {
            #expect(FileManager.default.contents(atPath: x) == FileManager.default.contents(atPath: y), "\(x) vs \(y)")
        }
    }

    @Test(arguments: 0..<12)
    func csvWithQuotedTabsRoundTripsWithTabsAsSpaces(seed: Int) throws {
        let g = Self.generate(seed: UInt64(1000 + seed), tabsInTitles: true)
        let dir = TempDir()
        let first = try dir.catalog()
        let (path, mapping) = Self.writeCSV(g, to: dir)
        _ = try first.importFiles(ImportRequest(format: .csv, paths: [path], csv: mapping))
        let (again, summary) = try Self.reimport(first, in: dir)
        let withTabs = g.items.filter { $0.title?.contains("\t") == true }.count
        #expect(summary.textFieldsFlattened == withTabs)
        var a = try Self.contents(first)
        a["items"] = a["items"]!.map { $0.replacingOccurrences(of: "\t", with: " ") }
        let b = try Self.contents(again)
        for key in a.keys.sorted() where key != "users" {
            #expect(a[key] == b[key], "seed \(seed): \(key) differs")
        }
        // CSV users carry no file of their own, so only the users that interacted exist in both.
        #expect(a["users"] == b["users"])
    }
}
