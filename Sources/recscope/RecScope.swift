import ArgumentParser
import RecCatalog

@main
struct RecScope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recscope",
        abstract: "An interactive terminal explorer for recommender systems.",
        discussion: """
            Without a subcommand, opens the explorer on the catalog (the bundled sample by default).
            Every command takes --catalog FILE; errors name the file, line and what was expected.
            """,
        subcommands: [Tui.self, Import.self, Export.self, Stats.self, Train.self, Eval.self, Recommend.self, ExportRun.self, ImportRun.self,
                      Filter.self, Tune.self, Synth.self, Bench.self, Embeddings.self, SID.self, Simulate.self, Report.self, Personas.self],
        defaultSubcommand: Tui.self)
}

/// The `--catalog` option every command shares.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "The catalog file (default: the sample catalog, built from sample-data/ on first use).")
    var catalog: String?

    /// Opens the named catalog; it must exist unless `create` is set.
    func open(create: Bool = false) throws -> Catalog {
        guard let path = catalog else { return try SampleCatalog.openDefault() }
        if !create && !FileSystem.exists(path) {
            throw CatalogError("\(path): no such catalog (import data into it first: recscope import --catalog \(path) ...)")
        }
        return try Catalog(path: path)
    }
}

/// Runs a command body, turning the engine's errors into one clear line on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ImportError {
        FileSystem.printError("recscope: error: \(error)")
        throw ExitCode(1)
    } catch let error as CatalogError {
        FileSystem.printError("recscope: error: \(error)")
        throw ExitCode(1)
    }
}
