import ArgumentParser

/// `recscope sid …`: semantic IDs. (Placeholder parent for `sid show`; the full command adds build and stats.)
struct SID: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sid",
        abstract: "Semantic IDs: build them, print the code tree or its statistics.",
        subcommands: [SIDShow.self])
}
