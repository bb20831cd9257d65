import ArgumentParser
import Foundation
import RecCatalog

extension RecScope {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the catalog as RecBole atomic files (NAME.user, NAME.item, NAME.inter).",
            discussion: """
                The inverse of `import --format recbole`: importing the three files into an empty catalog gives
                the same users, items (ids, titles, years, categories, descriptions), interactions in the same
                order and the same sessions. Every user and item is written, also those without interactions.
                Atomic files have no quoting, so tabs and line breaks in titles become spaces and spaces inside a
                category become underscores (the counts are printed). Attributes are not written.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: "Output format (recbole).") var format = "recbole"
        @Option(help: "Directory to write into (created if missing).") var out: String
        @Option(help: "Base name of the files (default: the catalog's file name without extension).") var name: String?
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingErrors {
                guard format == "recbole" else { throw CatalogError("unknown export format '\(format)' (expected recbole)") }
                let catalog = try options.open()
                let base = name ?? Self.baseName(catalog.path)
                let s = try AtomicExporter.export(catalog, to: out, name: base)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                    print(String(decoding: try encoder.encode(s), as: UTF8.self))
                    return
                }
                print("wrote \(s.users) users, \(s.items) items and \(s.interactions) interactions to \(s.files.joined(separator: ", "))")
                if s.textFieldsFlattened > 0 { print("\(s.textFieldsFlattened) titles or descriptions held tabs or line breaks: written with spaces") }
                if s.categoriesJoined > 0 { print("\(s.categoriesJoined) categories held spaces: written with underscores") }
                if s.interactions == 0 { print("note: the catalog has no interactions, so \(base).inter holds only its header (import refuses such a file)") }
            }
        }

        static func baseName(_ path: String) -> String {
            let file = path.split(separator: "/").last.map(String.init) ?? "catalog"
            guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
            return String(file[..<dot])
        }
    }
}
