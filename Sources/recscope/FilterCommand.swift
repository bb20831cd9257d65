import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecWorkbench

extension RecScope {
    struct Filter: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a derived catalog: a time window, a sample of users, k-core or minimum counts.",
            discussion: """
                Steps run in this order: --since/--until (interactions at or after SINCE and before UNTIL;
                seconds since 1970 or an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z, UTC), --sample-users
                (a seeded sample of that fraction of the users left, the same for the same --seed), then
                --min-user/--min-item/--k-core. Counts are interactions (repeats included), as RecBole counts
                them, and they iterate as RecBole's user_inter_num_interval/item_inter_num_interval do: each round
                removes every user and item below its minimum at once, until a round removes nothing, so with
                --k-core N every kept user and item has at least N interactions.

                The derived catalog holds the kept interactions in source order and the users and items they name
                (titles, years, categories, descriptions); sessions are recomputed (labelled sessions keep their
                labels; others are split at --session-gap); every split the source had stored is made again with
                the same strategy and settings. Models, imported runs, embeddings, semantic IDs, personas,
                simulations, user attributes and interaction extras are not carried over. --out must not exist
                (or pass --force); it is built under a temporary name and renamed into place when complete, and
                the source catalog is only read. Prints what each step removed and the result.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "The derived catalog to write (must not exist unless --force).") var out: String
        @Option(help: "Keep users with at least N interactions (iterated with --min-item).") var minUser: Int?
        @Option(help: "Keep items with at least N interactions (iterated with --min-user).") var minItem: Int?
        @Option(help: "Keep the N-core: users and items with at least N interactions each, iterated.") var kCore: Int?
        @Option(help: "Keep interactions at or after this time (seconds since 1970 or ISO date, UTC).") var since: String?
        @Option(help: "Keep interactions before this time (seconds since 1970 or ISO date, UTC).") var until: String?
        @Option(help: "Keep this fraction (0 < F <= 1) of the users, drawn with --seed.") var sampleUsers: Double?
        @Option(help: "The seed of --sample-users.") var seed: UInt64 = 1
        @Option(help: "Minutes of inactivity that start a new session (for sessions without labels).") var sessionGap: Double = 30
        @Flag(help: "Replace --out if it exists.") var force = false
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingModelErrors {
                for (flag, value) in [("--min-user", minUser), ("--min-item", minItem), ("--k-core", kCore)] {
                    if let value, value < 1 { throw CommandError("\(flag) must be at least 1, found \(value)") }
                }
                if let f = sampleUsers, !(f > 0 && f <= 1) { throw CommandError("--sample-users must be in (0, 1], found \(f)") }
                guard sessionGap > 0 else { throw CommandError("--session-gap must be a positive number of minutes") }
                let settings = FilterSettings(since: try since.map { try Self.time($0, flag: "--since") },
                                              until: try until.map { try Self.time($0, flag: "--until") },
                                              sampleUsers: sampleUsers, seed: seed, minUser: minUser ?? 0, minItem: minItem ?? 0,
                                              kCore: kCore)
                if let s = settings.since, let u = settings.until, s >= u {
                    throw CommandError("--since \(since!) is not before --until \(until!)")
                }
                let source = try options.open()
                let r = try CatalogFilter.write(from: source, to: out, settings: settings, force: force, sessionGap: sessionGap * 60)
                if json {
                    try printJSON([
                        "source": ["catalog": source.path, "users": r.sourceUsers, "items": r.sourceItems, "interactions": r.sourceInteractions],
                        "steps": r.plan.steps.map { ["step": $0.name, "users_removed": $0.users, "items_removed": $0.items,
                                                     "interactions_removed": $0.interactions] as [String: Any] },
                        "result": ["catalog": out, "users": r.users, "items": r.items, "interactions": r.interactions,
                                   "sessions": r.sessions, "splits": r.splits] as [String: Any],
                        "seconds": r.seconds,
                    ] as [String: Any])
                    return
                }
                print(Self.report(r, source: source.path, out: out))
            }
        }

        static func report(_ r: FilterResult, source: String, out: String) -> String {
            var lines = ["\(source): \(r.sourceUsers) users, \(r.sourceItems) items, \(r.sourceInteractions) interactions"]
            let width = max(20, (r.plan.steps.map(\.name.count).max() ?? 0) + 2)
            lines.append("step".padding(toLength: width, withPad: " ", startingAt: 0) + "users".leftPadded(9) + "items".leftPadded(9)
                         + "interactions".leftPadded(14) + "  removed")
            for s in r.plan.steps {
                lines.append(s.name.padding(toLength: width, withPad: " ", startingAt: 0) + "-\(s.users)".leftPadded(9)
                             + "-\(s.items)".leftPadded(9) + "-\(s.interactions)".leftPadded(14))
            }
            if r.plan.steps.isEmpty { lines.append("(no filter removed anything)") }
            lines.append("wrote \(out): \(r.users) users, \(r.items) items, \(r.interactions) interactions, \(r.sessions) sessions"
                         + (r.splits.isEmpty ? "" : "; splits \(r.splits.joined(separator: ", ")) remade")
                         + String(format: " in %.2f s", r.seconds))
            return lines.map(TerminalText.sanitize).joined(separator: "\n")
        }

        /// Seconds since 1970 (UTC) from a number or an ISO 8601 date or date-time.
        static func time(_ text: String, flag: String) throws -> Double {
            if let seconds = Double(text), seconds.isFinite { return seconds }
            let full = ISO8601DateFormatter()
            if let date = full.date(from: text) { return date.timeIntervalSince1970 }
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            if let date = day.date(from: text) { return date.timeIntervalSince1970 }
            throw CommandError("\(flag) \(text): expected seconds since 1970 or an ISO date, e.g. 2024-01-31 or 2024-01-31T12:00:00Z")
        }
    }
}
