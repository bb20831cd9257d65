import Foundation
import Testing

/// Degenerate catalogs: every command gives a result or a clear message (non-zero exit where it cannot
/// compute), never a crash.
@Suite struct LimitsTests {
    /// Writes RecBole files into `dir` and imports them into `dir/NAME.sqlite` (nil `inter`: an import that
    /// is refused, leaving an empty catalog).
    static func catalog(_ name: String, in dir: String, users: [String]? = nil, items: [String]? = nil,
                        inter: [(String, String)]?) throws -> String {
        let folder = dir + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if let users { try (["user_id:token"] + users).joined(separator: "\n").write(toFile: folder + "/d.user", atomically: true, encoding: .utf8) }
        if let items {
            try (["item_id:token\ttitle:token_seq"] + items.map { "\($0)\tTitle of \($0)" }).joined(separator: "\n")
                .write(toFile: folder + "/d.item", atomically: true, encoding: .utf8)
        }
        let rows = (inter ?? []).enumerated().map { "\($0.element.0)\t\($0.element.1)\t\(1_600_000_000 + $0.offset * 60)" }
        try (["user_id:token\titem_id:token\ttimestamp:float"] + rows).joined(separator: "\n")
            .write(toFile: folder + "/d.inter", atomically: true, encoding: .utf8)
        let path = dir + "/" + name + ".sqlite"
        let imported = try Binary.run(["import", "--catalog", path, "--format", "recbole", folder])
        #expect((imported.status == 0) == (inter != nil), "\(name): \(imported.stderr)")
        return path
    }

    static func commands(_ catalog: String, user: String, out: String) -> [[String]] {
        var commands: [[String]] = [["stats"], ["stats", "--json"]]
        for model in ["pop", "itemknn", "als", "bpr", "ease"] {
            commands.append(["train", "--model", model, "--param", "als.iterations=2", "--param", "bpr.epochs=2"])
            commands.append(["recommend", "--model", model, "--user", user, "--k", "5"])
        }
        commands += [
            ["recommend", "--model", "pop", "--user", "no-such-user"],
            ["eval", "--models", "pop,itemknn,als,bpr,ease", "--split", "loo", "--param", "als.iterations=2", "--param", "bpr.epochs=2"],
            ["eval", "--models", "pop", "--split", "temporal", "--json"],
            ["eval", "--models", "pop", "--split", "ratio"],
            ["export-run", "--model", "pop", "--split", "loo", "--k", "10", "--out", out + "/run.txt"],
            ["export", "--format", "recbole", "--out", out + "/export"],
        ]
        return commands.map { [$0[0], "--catalog", catalog] + $0.dropFirst() }
    }

    @Test(arguments: ["empty", "one-item", "untouched"])
    func everyCommandCopes(with shape: String) throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog: String, user: String
        switch shape {
        case "empty":
            // A refused import leaves a catalog with the schema and nothing in it.
            catalog = try Self.catalog("empty", in: dir, inter: nil)
            user = "u1"
        case "one-item":
            catalog = try Self.catalog("one", in: dir, inter: [("u1", "i1"), ("u2", "i1"), ("u2", "i1")])
            user = "u1"
        default:
            // Users with no interactions and items nobody touched, beside a few that have them.
            catalog = try Self.catalog("untouched", in: dir, users: ["u1", "u2", "lonely1", "lonely2"],
                                       items: ["i1", "i2", "i3", "dusty1", "dusty2"],
                                       inter: [("u1", "i1"), ("u1", "i2"), ("u2", "i2"), ("u2", "i3"), ("u1", "i3")])
            user = "lonely1"
        }
        var report: [String] = []
        for command in Self.commands(catalog, user: user, out: dir) {
            let result = try Binary.run(command)
            let name = command.filter { !$0.hasPrefix(dir) }.joined(separator: " ")
            report.append("\(result.status) \(name)")
            #expect(!result.crashed, "\(shape): `\(name)` crashed: \(result.stderr.suffix(400))")
            #expect(!result.stderr.contains("Fatal error"), "\(shape): `\(name)`: \(result.stderr.suffix(400))")
            if result.status != 0 {
                // A clear message: one line naming the problem, not a stack trace or a raw SQLite code.
                #expect(result.stderr.contains("error:"), "\(shape): `\(name)` exited \(result.status) with: \(result.stderr.suffix(400))")
                #expect(!result.stderr.contains("SQLite error"), "\(shape): `\(name)`: \(result.stderr.suffix(400))")
            }
            if command.contains("--json") && result.status == 0 {
                #expect((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) != nil, "\(shape): `\(name)`: \(result.stdout)")
            }
        }
        print("limits (\(shape)): \(report)")
    }
}
