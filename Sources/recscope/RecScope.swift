import ArgumentParser

@main
struct RecScope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recscope",
        abstract: "An interactive terminal explorer for recommender systems.",
        subcommands: [Bench.self])
}
