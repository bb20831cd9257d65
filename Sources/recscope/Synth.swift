import ArgumentParser
import RecSynth

extension RecScope {
    /// `recscope synth`: writes the deterministic sample data as RecBole atomic files.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the synthetic sample data (RecBole atomic files).",
            discussion: """
                The same seed and options always give byte-identical files. The bundled sample-data/ \
                was made with: recscope synth --seed 7 --users 2000 --items 3000 --out sample-data
                """)

        @Option(help: "Random seed.") var seed: UInt64 = 7
        @Option(help: "Number of users.") var users: Int = 2000
        @Option(help: "Number of items (films).") var items: Int = 3000
        @Option(help: "Number of genres, 4...\(RecSynth.Genre.all.count) (the most common first).")
        var categories: Int = RecSynth.Genre.all.count
        @Option(name: .customLong("interactions-per-user"), help: "Mean interactions per user (at least 5 each).")
        var interactionsPerUser: Double = 50
        @Option(help: "Length of the timeline in days, from 2023-01-01 UTC.") var days: Int = 730
        @Option(help: "Taste clusters (0: one per two genres).") var clusters: Int = 0
        @Option(help: "Output directory (created if missing).") var out: String = "sample-data"
        @Option(help: "File name stem: writes NAME.inter, NAME.item, NAME.user.") var name: String = "sample"
        @Flag(help: "Write into a non-empty output directory, replacing the three files.") var force = false

        mutating func run() throws {
            let parameters = SynthParameters(
                seed: seed, users: users, items: items, categories: categories,
                meanInteractionsPerUser: interactionsPerUser, days: days, clusters: clusters)
            guard !name.isEmpty, !name.contains("/") else {
                throw ValidationError("--name must be a plain file name stem without '/' (got '\(name)')")
            }
            let dataset = try SyntheticDataset.generate(parameters)
            let paths = try dataset.write(to: out, name: name, force: force)
            print("synth: \(dataset.users.count) users, \(dataset.items.count) items, "
                  + "\(dataset.interactions.count) interactions, \(dataset.sessionCount) sessions, "
                  + "\(dataset.timestampTies) timestamp ties -> \(paths.joined(separator: ", "))")
        }
    }
}
