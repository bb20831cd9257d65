import ArgumentParser
import Foundation
import RecCatalog
import RecCore

extension RecScope {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts, density, interactions per user and item, sessions and time span.")

        @OptionGroup var options: CatalogOptions
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingErrors {
                let stats = try options.open().stats()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                    print(String(decoding: try encoder.encode(stats), as: UTF8.self))
                } else {
                    print(Self.table(stats))
                }
            }
        }

        static func table(_ s: CatalogStats) -> String {
            func f(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d) }
            func dist(_ d: CountDistribution) -> String {
                "min \(f(d.min))  p25 \(f(d.p25))  median \(f(d.median))  p75 \(f(d.p75))  p90 \(f(d.p90))  max \(f(d.max))  mean \(String(format: "%.1f", d.mean))"
            }
            var lines = [
                "catalog        \(s.catalog)",
                "users          \(s.users)",
                "items          \(s.items)",
                "interactions   \(s.interactions)  (\(s.ratedInteractions) with a value)",
                "sessions       \(s.sessions)",
                "density        \(String(format: "%.5f", s.density))",
                "per user       \(dist(s.interactionsPerUser))",
                "per item       \(dist(s.interactionsPerItem))",
                "session length \(dist(s.sessionLength))",
                "long tail      top 20% of items get \(String(format: "%.1f", s.top20PercentItemShare * 100))% of interactions; \(s.itemsWithoutInteractions) items and \(s.usersWithoutInteractions) users have none",
            ]
            if let first = s.firstTime, let last = s.lastTime {
                lines.append("time span      \(first) .. \(last)  (\(String(format: "%.1f", s.spanDays)) days)")
            }
            if !s.topCategories.isEmpty {
                lines.append("categories     \(s.categories): " + s.topCategories.map { "\($0.category) \($0.items)" }.joined(separator: ", "))
            }
            return lines.map(TerminalText.sanitize).joined(separator: "\n")
        }
    }
}
