import ArgumentParser
import Foundation
import RecCatalog
import RecCore

extension RecScope {
    /// `recscope personas`: the what-if users saved by name.
    struct Personas: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, save or delete what-if users saved by name (personas).",
            discussion: """
                A persona is a list of items (oldest first) and how many of the latest ones the models read, saved
                from the explorer's What-if pane (s) or here with --save NAME --items ID,ID,...; Simulate plays one
                with p @NAME.
                """)

        @OptionGroup var options: CatalogOptions
        @Option(help: ArgumentHelp("Save a persona under this name (with --items).", valueName: "NAME")) var save: String?
        @Option(help: ArgumentHelp("With --save: item ids, oldest first, comma-separated.", valueName: "IDS")) var items: String?
        @Option(help: "With --save: how many of the latest items count (0: all).") var recent = 0
        @Option(help: ArgumentHelp("Delete the persona of this name.", valueName: "NAME")) var delete: String?
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            try reportingErrors {
                let catalog = try options.open()
                if let name = save {
                    let ids = (items ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    guard !ids.isEmpty else { throw CatalogError("--save \(name): expected --items ID,ID,... (item ids, oldest first)") }
                    let titles = try catalog.itemIndices(ids)
                    if let missing = ids.first(where: { titles[$0] == nil }) {
                        throw CatalogError("--items: no item '\(missing)' in \(catalog.path)")
                    }
                    try catalog.savePersona(name: name, items: ids, recent: recent, sourceUser: nil)
                }
                if let name = delete, !(try catalog.deletePersona(name: name)) {
                    throw CatalogError("no persona named '\(name)' in \(catalog.path) (recscope personas lists them)")
                }
                let personas = try catalog.listPersonas()
                if json {
                    try printJSON(["personas": personas.map { p -> [String: Any] in
                        ["name": p.name, "items": p.items, "recent": p.recent, "source_user": p.sourceUser ?? NSNull(),
                         "created_at": p.createdAt, "updated_at": p.updatedAt]
                    }])
                    return
                }
                if personas.isEmpty {
                    print("no personas in \(TerminalText.sanitize(catalog.path)) (save one in the explorer's What-if pane with s)")
                    return
                }
                let indices = try catalog.itemIndices(Array(Set(personas.flatMap { $0.items.suffix(3) })))
                let titles = try catalog.itemTitles(Array(Set(indices.values)))
                print("name                  items  recent  from user  updated               latest items")
                for p in personas {
                    let latest = p.items.suffix(3).reversed().map { id in indices[id].flatMap { titles[$0] } ?? id }.joined(separator: " · ")
                    print(TerminalText.sanitize(p.name.padding(toLength: 20, withPad: " ", startingAt: 0) + "  "
                        + String(p.items.count).padding(toLength: 5, withPad: " ", startingAt: 0) + "  "
                        + (p.recent == 0 ? "all" : String(p.recent)).padding(toLength: 6, withPad: " ", startingAt: 0) + "  "
                        + (p.sourceUser ?? "–").padding(toLength: 9, withPad: " ", startingAt: 0) + "  "
                        + p.updatedAt.padding(toLength: 20, withPad: " ", startingAt: 0) + "  " + latest))
                }
            }
        }
    }
}
