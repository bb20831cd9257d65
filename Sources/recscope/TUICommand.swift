import ArgumentParser
import ExplorerApp
import Foundation
import RecCatalog
import TUIKit
import TUINcurses

extension RecScope {
    /// `recscope tui`: the interactive explorer, or a headless replay of a key script.
    struct Tui: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Open the interactive explorer on the catalog (the bundled sample by default).",
            discussion: """
                With --play FILE, no terminal is used: the key names in FILE (e.g. j Down Enter C-c Esc \
                "text" Resize:100x30 Click:10,5; # starts a comment) and command names from the help (e.g. \
                show-compare cycle-model-a) are replayed and every screen is written to --dump DIR as \
                screen-000.txt (before the first key), screen-001.txt, ... With --cast FILE the replay is also written
                as an asciinema v2 recording (one frame per key, --cast-interval seconds apart, with colours), which
                asciinema play or any asciinema player plays without RecScope.
                """)

        @Option(name: .customLong("play"), help: ArgumentHelp("Replay the keys in this file headlessly.", valueName: "FILE"))
        var playFile: String?

        @Option(help: ArgumentHelp("With --play: write the screens into this directory (default: print them).", valueName: "DIR"))
        var dump: String?

        @Option(help: ArgumentHelp("With --play: the screen size.", valueName: "WxH"))
        var size: String = "80x24"

        @Option(help: ArgumentHelp("With --play: write the replay as an asciinema v2 recording.", valueName: "FILE"))
        var cast: String?

        @Option(help: "With --cast: seconds between two frames.")
        var castInterval: Double = 1.0

        @OptionGroup var options: CatalogOptions

        @Flag(help: "Explore a small generated in-memory catalog instead (for demos of the UI itself).")
        var demo = false

        @Option(help: "With --demo: the seed of the generated catalog.")
        var seed: UInt64 = 7

        func validate() throws {
            if dump != nil && playFile == nil { throw ValidationError("--dump needs --play FILE") }
            if cast != nil && playFile == nil { throw ValidationError("--cast needs --play FILE") }
            if !(castInterval > 0 && castInterval <= 60) { throw ValidationError("--cast-interval must be between 0 and 60 seconds") }
            guard case .resize? = Key(name: "Resize:" + size) else {
                throw ValidationError("--size must look like 80x24, got '\(size)'")
            }
        }

        func run() throws {
            let dataSource: any ExplorerDataSource
            let recommendations: any RecommendationSource
            if demo {
                let data = InMemoryDataSource.demo(seed: seed)
                dataSource = data
                recommendations = InMemoryRecommendationSource(data: data)
            } else {
                let catalog = try reportingErrors { try options.open() }
                dataSource = CatalogDataSource(catalog: catalog)
                recommendations = CatalogRecommendationSource(catalog: catalog)
            }
            if let playFile {
                try replay(playFile, dataSource: dataSource, recommendations: recommendations)
                return
            }
            let terminal = try Terminal()
            defer { terminal.close() }
            let (width, height) = terminal.size
            var session = ExplorerSession(dataSource: dataSource, recommendations: recommendations, width: width, height: height)
            terminal.run(&session)
        }

        func replay(_ file: String, dataSource: any ExplorerDataSource, recommendations: any RecommendationSource) throws {
            let script: String
            do { script = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw TuiError(description: "cannot read the key script \(file): \(error.localizedDescription)")
            }
            let steps: [ScriptStep<AppCommand>]
            do { steps = try Explorer.parseScript(script) } catch {
                throw TuiError(description: "\(file): key script line \(error.line): '\(error.token)' is neither a key name (e.g. j, Down, "
                    + "Enter, C-c, Esc, Space, F1, Click:10,5, Resize:100x30, or \"text\") nor a command name (e.g. show-compare, "
                    + "next-user: the command column of ? in the explorer)")
            }
            guard case .resize(let width, let height)? = Key(name: "Resize:" + size) else { return }
            let frames = playFrames(steps, width: width, height: height, dataSource: dataSource, recommendations: recommendations)
            let screens = frames.map(\.text)
            if let cast {
                let recording = Asciicast.recording(frames, interval: castInterval, timestamp: Int(Date().timeIntervalSince1970),
                                                    title: "recscope tui --play " + (file as NSString).lastPathComponent)
                do { try recording.write(toFile: cast, atomically: true, encoding: .utf8) } catch {
                    throw TuiError(description: "cannot write the recording \(cast): \(error.localizedDescription)")
                }
                if dump == nil { return }
            }
            guard let dump else {
                for (i, screen) in screens.enumerated() { print("--- screen \(i)\n" + screen) }
                return
            }
            try FileManager.default.createDirectory(atPath: dump, withIntermediateDirectories: true)
            for (i, screen) in screens.enumerated() {
                let name = "screen-" + String(repeating: "0", count: max(0, 3 - String(i).count)) + String(i) + ".txt"
                try (screen + "\n").write(toFile: (dump as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
    }
}

/// A failure of `recscope tui` that is not about its arguments.
struct TuiError: Error, CustomStringConvertible {
    let description: String
}
