import RecCatalog
import RecCore
import RecEval
import RecModels

/// What `import-run` stored.
public struct ExternalRunImport: Sendable {
    public var model: ModelKind
    public var path: String
    public var format: RunFormat
    public var scoreSource: RunScoreSource
    /// Run lines read (each one user's item).
    public var lines: Int
    /// Catalog users the run lists, and those it does not (they get empty lists).
    public var listedUsers: Int
    public var unlistedUsers: Int
    /// The longest and the median list.
    public var maxDepth: Int
    public var medianDepth: Int
    /// Scores lowered to the next float below to keep the file's order (see `RunReader`).
    public var nudgedScores: Int
    /// Whether a run of the same name was replaced.
    public var replaced: Bool
    public var parseSeconds: Double
    public var storeSeconds: Double
    /// The stored arrays' size in bytes.
    public var storedBytes: Int
}

/// Runs from other tools (RecBole, Elliot, LensKit, trec tools) stored as models `ext:NAME`.
public enum ExternalRuns {
    /// Reads the run at `path`, maps its ids through `catalog`, and stores it as `ext:NAME` in one transaction.
    ///
    /// Nothing is written unless the whole file is read and every user and item is known. A run named like a
    /// stored one is refused unless `replace`.
    public static func importRun(into catalog: Catalog, name: String, path: String, format: RunFormat = .auto,
                                 replace: Bool = false) throws -> ExternalRunImport {
        if let problem = ModelKind.problem(withRunName: name) { throw WorkbenchError("--name \(name): \(problem)") }
        let kind = ModelKind.external(name)
        let exists = try catalog.listModels().contains { $0.name == kind.rawValue }
        if exists && !replace {
            throw WorkbenchError("\(catalog.path) already holds a run named \(kind.rawValue); pass --replace to replace it, or pick another --name")
        }
        let watch = Stopwatch()
        let ids = try catalog.denseIDs()
        guard !ids.users.isEmpty, !ids.items.isEmpty else {
            throw WorkbenchError("\(catalog.path) has no users or items (import the data set the run was made on first: recscope import --catalog \(catalog.path) ...)")
        }
        guard ids.items.count <= 1 << 24 else {
            throw WorkbenchError("\(catalog.path) has \(ids.items.count) items; stored runs hold item indices as exact floats, up to 2^24")
        }
        let run = try RunReader.read(path: path, format: format, users: Vocabulary(ids: ids.users), items: Vocabulary(ids: ids.items))
        let params = ["source": path.split(separator: "/").last.map(String.init) ?? path, "format": run.format.rawValue,
                      "score": run.scoreSource.rawValue, "lines": String(run.lines)]
        let model = try ExternalRun(name: name, userCount: ids.users.count, itemCount: ids.items.count, listStart: run.listStart,
                                    items: run.items, scores: run.scores, params: params)
        let parsed = watch.elapsed
        let a = model.artifact()
        try catalog.saveModel(name: kind.rawValue, kind: "external", split: nil, params: a.params,
                              artifact: StoredArtifact(userCount: a.userCount, itemCount: a.itemCount,
                                                       arrays: a.arrays.mapValues { StoredArray(rows: $0.rows, cols: $0.cols, values: $0.values) }),
                              fitSeconds: 0)
        var depths = (0..<ids.users.count).map { run.listStart[$0 + 1] - run.listStart[$0] }.filter { $0 > 0 }
        depths.sort()
        return ExternalRunImport(model: kind, path: path, format: run.format, scoreSource: run.scoreSource, lines: run.lines,
                                 listedUsers: run.listedUsers, unlistedUsers: ids.users.count - run.listedUsers,
                                 maxDepth: depths.last ?? 0, medianDepth: depths.isEmpty ? 0 : depths[depths.count / 2],
                                 nudgedScores: run.nudgedScores, replaced: exists, parseSeconds: parsed,
                                 storeSeconds: watch.elapsed - parsed, storedBytes: a.arrays.values.reduce(0) { $0 + $1.values.count * 4 })
    }
}
