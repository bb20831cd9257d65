import ArgumentParser
import Foundation
import RecCatalog
import RecCore
import RecModels
import RecWorkbench

/// `recscope sid show`: the code tree of a space, from a prefix down a few levels, and codebook usage.
struct SIDShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the semantic-ID tree: each prefix's items, top categories and example titles.",
        discussion: """
            Starts at --prefix (e.g. 12-7; the whole catalog without it) and prints --depth levels below it; \
            at a full path it lists the items and their disambiguation codes. Above the tree, a heat strip per \
            level shows how many items use each code (· none, then ░ ▒ ▓ █ on a log scale up to the busiest code).
            """)

    @OptionGroup var options: CatalogOptions
    @Option(help: "The space of semantic IDs (default: 'aligned' when stored, else the first by name).") var space: String?
    @Option(help: "The prefix to start from, codes joined by '-', e.g. 12-7.") var prefix: String?
    @Option(help: "Levels to print below the prefix.") var depth = 1
    @Flag(help: "Print one JSON document.") var json = false

    /// Items listed under a full path at most.
    static let itemLimit = 20

    func run() throws {
        try reportingModelErrors {
            guard depth >= 0 else { throw CommandError("--depth must be 0 or more, found \(depth)") }
            let catalog = try options.open()
            let spaces = try catalog.semanticIDSpaces()
            let name = try Self.chooseSpace(space, stored: spaces, catalog: catalog.path)
            guard let (tree, items) = try catalog.semanticTree(space: name) else {
                throw CommandError("space '\(name)' has no semantic IDs in \(catalog.path); run recscope sid build --space \(name) first")
            }
            let node = try Self.node(prefix ?? "", in: tree, space: name)
            if json {
                try printJSON(Self.document(tree, items, space: name, spaces: spaces, node: node, depth: depth))
            } else {
                let lines = Self.header(tree, space: name, spaces: spaces, catalog: catalog.path) + [""]
                    + Self.heatStrips(tree) + [""] + Self.subtree(tree, items, node: node, depth: depth)
                print(lines.map(TerminalText.sanitize).joined(separator: "\n"))
            }
        }
    }

    /// The space asked for, or 'aligned' when stored, or the first stored space by name.
    static func chooseSpace(_ asked: String?, stored: [String], catalog: String) throws -> String {
        if let asked { return asked }
        if stored.contains("aligned") { return "aligned" }
        guard let first = stored.first else {
            throw CommandError("no semantic IDs in \(catalog); run recscope sid build --space S first (e.g. --space aligned)")
        }
        return first
    }

    /// The node of `text`, or an error naming the nearest prefix that exists.
    static func node(_ text: String, in tree: SemanticTree, space: String) throws -> SemanticTree.NodeID {
        guard let codes = SemanticTree.parsePrefix(text) else {
            throw CommandError("--prefix '\(text)': expected codes joined by '-', e.g. 12-7")
        }
        guard codes.count <= tree.levels else {
            throw CommandError("--prefix \(text) has \(codes.count) codes; space '\(space)' has \(tree.levels) levels")
        }
        if let node = tree.node(codes: codes) { return node }
        let nearest = tree.nearest(to: codes)
        throw CommandError("no item has prefix \(text) in space '\(space)'; the nearest existing prefix is \(tree.prefix(of: nearest)) (\(tree.itemCount(of: nearest)) item\(tree.itemCount(of: nearest) == 1 ? "" : "s"))")
    }

    static func header(_ tree: SemanticTree, space: String, spaces: [String], catalog: String) -> [String] {
        let others = spaces.filter { $0 != space }
        let also = others.isEmpty ? "" : " (also stored: \(others.joined(separator: ", ")); pick with --space)"
        return ["space \(space) of \(catalog)\(also)",
                "\(tree.itemCount) items · \(tree.levels) levels of \(tree.codesPerLevel.map(String.init).joined(separator: "/")) codes"]
    }

    /// One strip per level: a cell per code, shaded by its share of the level's busiest code; 64 codes a line.
    static func heatStrips(_ tree: SemanticTree) -> [String] {
        var lines = ["codebook usage (items per code: · none, ░ ▒ ▓ █ on a log scale up to the busiest code)"]
        for (level, counts) in tree.usage.enumerated() {
            let busiest = counts.max() ?? 0
            let label = "level \(level + 1)  \(tree.usedCodes(level: level))/\(counts.count) used, busiest \(busiest)"
            lines.append("  " + label)
            let cells = counts.map { heatCell($0, busiest: busiest) }
            for start in stride(from: 0, to: cells.count, by: 64) {
                let end = min(cells.count, start + 64)
                lines.append("    " + rightAligned(String(start), 3) + " " + cells[start..<end].joined())
            }
        }
        return lines
    }

    /// `·` for an unused code, else ░ ▒ ▓ █ by quarters of log(1 + items) against the busiest code's (on a
    /// linear scale one crowded code would leave every other cell the same shade).
    static func heatCell(_ count: Int, busiest: Int) -> String {
        guard count > 0, busiest > 0 else { return "·" }
        let f = log1p(Double(count)) / log1p(Double(busiest))
        return ["░", "▒", "▓", "█"][min(3, max(0, Int((f * 4).rounded(.up)) - 1))]
    }

    /// The node and `depth` levels below it, indented two spaces a level; a full path lists its items.
    static func subtree(_ tree: SemanticTree, _ items: ItemListing, node: SemanticTree.NodeID, depth: Int) -> [String] {
        var rows: [(indent: Int, node: SemanticTree.NodeID)] = []
        func walk(_ n: SemanticTree.NodeID, _ level: Int) {
            rows.append((level, n))
            guard level < depth else { return }
            for child in tree.children(of: n) { walk(child, level + 1) }
        }
        walk(node, 0)
        let labels = rows.map { String(repeating: "  ", count: $0.indent) + label(tree, $0.node) }
        let labelWidth = max("prefix".count, labels.map(\.count).max() ?? 0)
        let counts = rows.map { String(tree.itemCount(of: $0.node)) }
        let countWidth = max(5, counts.map(\.count).max() ?? 0)
        let categories = rows.map { categoryText(tree.topCategories(of: $0.node)) }
        let categoryWidth = max("top categories".count, min(40, categories.map(\.count).max() ?? 0))
        var lines = [labelText("prefix", labelWidth) + "  " + rightAligned("items", countWidth) + "  "
                     + labelText("top categories", categoryWidth) + "  examples (most popular first)"]
        for (r, row) in rows.enumerated() {
            let examples = tree.exampleTitles(of: row.node).map { $0.isEmpty ? "(untitled)" : $0 }.joined(separator: " · ")
            lines.append(labelText(labels[r], labelWidth) + "  " + rightAligned(counts[r], countWidth) + "  "
                         + labelText(categories[r], categoryWidth) + "  " + examples)
            if tree.children(of: row.node).isEmpty && row.indent < depth {
                lines += members(tree, items, node: row.node, indent: row.indent + 1)
            }
        }
        return lines
    }

    static func label(_ tree: SemanticTree, _ node: SemanticTree.NodeID) -> String {
        node == tree.root ? "(all)" : tree.prefix(of: node)
    }

    /// `Drama 41% · Comedy 22%`.
    static func categoryText(_ shares: [SemanticTree.CategoryShare]) -> String {
        shares.map { "\($0.name) \(Int(($0.share * 100).rounded()))%" }.joined(separator: " · ")
    }

    /// The items of a full path: full code, id and title; at most `itemLimit`.
    static func members(_ tree: SemanticTree, _ items: ItemListing, node: SemanticTree.NodeID, indent: Int) -> [String] {
        let all = tree.items(of: node)
        var lines = all.prefix(itemLimit).map { item -> String in
            let i = Int(item)
            return String(repeating: "  ", count: indent) + tree.pathString(of: i) + "  item " + items.ids[i]
                + "  " + (items.titles[i].isEmpty ? "(untitled)" : items.titles[i])
        }
        if all.count > itemLimit { lines.append(String(repeating: "  ", count: indent) + "… \(all.count - itemLimit) more") }
        return lines
    }

    /// `text` with spaces before it up to `width` characters.
    static func rightAligned(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Pads or cuts `text` to `width` characters.
    static func labelText(_ text: String, _ width: Int) -> String {
        text.count > width ? String(text.prefix(max(0, width - 1))) + "…" : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    static func document(_ tree: SemanticTree, _ items: ItemListing, space: String, spaces: [String],
                         node: SemanticTree.NodeID, depth: Int) -> [String: Any] {
        func describe(_ n: SemanticTree.NodeID, _ level: Int) -> [String: Any] {
            var out: [String: Any] = [
                "prefix": tree.prefix(of: n), "depth": tree.depth(of: n), "items": tree.itemCount(of: n),
                "top_categories": tree.topCategories(of: n).map { ["name": $0.name, "items": $0.items, "share": $0.share] },
                "examples": tree.examples(of: n).map { ["item": items.ids[$0], "title": items.titles[$0], "popularity": items.popularity[$0]] },
            ]
            if level < depth {
                if tree.children(of: n).isEmpty {
                    out["members"] = tree.items(of: n).map { ["item": items.ids[Int($0)], "title": items.titles[Int($0)], "path": tree.pathString(of: Int($0))] }
                } else {
                    out["children"] = tree.children(of: n).map { describe($0, level + 1) }
                }
            }
            return out
        }
        return [
            "space": space, "spaces": spaces, "items": tree.itemCount, "levels": tree.levels,
            "codes_per_level": tree.codesPerLevel, "used_per_level": (0..<tree.levels).map { tree.usedCodes(level: $0) },
            "usage": tree.usage, "prefix": tree.prefix(of: node), "node": describe(node, 0),
        ]
    }
}
