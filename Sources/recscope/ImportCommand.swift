import ArgumentParser
import Foundation
import RecCatalog

extension RecScope {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import interactions, items and users into the catalog (all or nothing).",
            discussion: """
                Formats:
                  recbole    RecBole atomic files: NAME.inter [NAME.item NAME.user], or the folder holding them.
                  movielens  ml-100k (u.data [u.item u.user u.genre]) or ml-latest/ml-25m (ratings.csv [movies.csv]).
                  csv        A CSV/TSV of interactions with a header; name its columns with --user-col etc.
                An .inter row naming an item (user) missing from a given .item (.user) file is refused; without
                such a file, items and users are created from the ids. Importing the same files again changes
                nothing. Without a session column, each user's history is split into sessions at gaps longer
                than --session-gap minutes.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "recbole, movielens or csv.") var format: String
        @Argument(help: "Files, or a folder holding them.") var paths: [String]
        @Option(help: "Minutes of inactivity that start a new session.") var sessionGap: Double = 30
        @Option(help: "CSV: the user id column.") var userCol = "user_id"
        @Option(help: "CSV: the item id column.") var itemCol = "item_id"
        @Option(help: "CSV: the time column (seconds since 1970 or ISO 8601).") var timeCol: String?
        @Option(help: "CSV: the rating/weight column.") var valueCol: String?
        @Option(help: "CSV: the session id column.") var sessionCol: String?
        @Option(help: "CSV: the event type column.") var eventCol: String?
        @Option(help: "CSV: field delimiter (default: tab for .tsv, comma otherwise).") var delimiter: String?
        @Option(help: "CSV: unit of a numeric time column: s or ms.") var timeUnit = "s"
        @Option(help: "CSV: an items file (item_id, title, year, categories/genres, description, ...).") var items: String?
        @Flag(help: "Print the summary as JSON.") var json = false

        func run() throws {
            try reportingErrors {
                guard let kind = ImportRequest.Format(rawValue: format) else {
                    throw CatalogError("unknown format '\(format)' (expected recbole, movielens or csv)")
                }
                guard sessionGap > 0 else { throw CatalogError("--session-gap must be a positive number of minutes") }
                var mapping = CSVMapping()
                mapping.userColumn = userCol
                mapping.itemColumn = itemCol
                if let timeCol { mapping.timeColumn = timeCol }
                if let valueCol { mapping.valueColumn = valueCol }
                if let sessionCol { mapping.sessionColumn = sessionCol }
                if let eventCol { mapping.eventColumn = eventCol }
                if let delimiter {
                    let d = delimiter == "\\t" || delimiter == "tab" ? "\t" : delimiter
                    guard d.utf8.count == 1 else { throw CatalogError("--delimiter must be one character, found '\(delimiter)'") }
                    mapping.delimiter = d.utf8.first
                }
                switch timeUnit {
                case "s": mapping.timeScale = 1
                case "ms": mapping.timeScale = 0.001
                default: throw CatalogError("--time-unit must be s or ms, found '\(timeUnit)'")
                }
                mapping.itemsPath = items
                let request = ImportRequest(format: kind, paths: paths, sessionGap: sessionGap * 60, csv: mapping)
                let catalog: Catalog, summary: ImportSummary
                if let path = options.catalog {
                    (catalog, summary) = try Catalog.create(path: path, importing: request)
                } else {
                    catalog = try options.open(create: true)
                    summary = try catalog.importFiles(request)
                }
                if json {
                    let encoder = JSONEncoder()
                    encoder.keyEncodingStrategy = .convertToSnakeCase
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(summary), as: UTF8.self))
                } else if summary.alreadyImported {
                    print("Already imported (import #\(summary.importID)); the catalog is unchanged.")
                } else {
                    let rate = Double(summary.interactionsAdded) / max(summary.seconds, 1e-9)
                    print("Imported \(summary.interactionsAdded) interactions, \(summary.usersAdded) new users, \(summary.itemsAdded) new items (\(summary.itemsUpdated) updated), \(summary.sessionsAdded) sessions in \(String(format: "%.2f", summary.seconds)) s (\(Int(rate)) rows/s) into \(catalog.path).")
                }
            }
        }
    }
}
