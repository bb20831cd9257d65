import Foundation
import RecCatalog
import RecCore

/// What `recscope filter` wrote.
public struct FilterResult: Sendable {
    public var plan: FilterPlan
    /// The source's counts.
    public var sourceUsers: Int
    public var sourceItems: Int
    public var sourceInteractions: Int
    /// The derived catalog's counts, read back from it.
    public var users: Int
    public var items: Int
    public var interactions: Int
    public var sessions: Int
    /// The splits made in the derived catalog (the ones the source had stored).
    public var splits: [String]
    public var seconds: Double
}

/// Writes a derived catalog holding part of another: `recscope filter`.
///
/// The kept interactions (`InteractionFilter`) and the users and items they name are exported as RecBole atomic
/// files (`AtomicExporter`, users and items in catalog order, interactions in source order) and imported into a
/// new catalog, so its indices, kept counts, postings and search index are built the one way every import builds
/// them. Sessions are recomputed: labelled sessions keep their labels (minus the removed interactions), others are
/// split again at `sessionGap`. Each split the source had stored (`loo`, `temporal`, `ratio`, `cold-items`) is made
/// again with its strategy's settings. Models, runs, embeddings, semantic IDs, personas and simulations are not
/// carried over (they describe the source's data), nor user attributes and interaction extras, which atomic
/// exports do not write.
///
/// All or nothing: the catalog is built beside `out` under a temporary name and renamed into place when complete;
/// the source is only read.
public enum CatalogFilter {
    public static func write(from source: Catalog, to out: String, settings: FilterSettings, force: Bool = false,
                             sessionGap: Double = 30 * 60) throws -> FilterResult {
        let watch = Stopwatch()
        guard URL(fileURLWithPath: out).standardizedFileURL.path != URL(fileURLWithPath: source.path).standardizedFileURL.path else {
            throw WorkbenchError("--out \(out) is the source catalog; name a new file")
        }
        if FileManager.default.fileExists(atPath: out) && !force {
            throw WorkbenchError("\(out) already exists; pass --force to replace it, or name a new file")
        }
        let log = try source.interactionLog()
        guard log.count > 0 else { throw WorkbenchError("\(source.path) has no interactions to filter") }
        let plan = InteractionFilter.plan(users: log.users, items: log.items, timestamps: log.timestamps,
                                          userCount: log.userCount, itemCount: log.itemCount, settings: settings)
        guard plan.interactions > 0 else {
            throw WorkbenchError("the filters remove every interaction of \(source.path) (\(describe(plan.steps))); nothing was written")
        }
        let storedSplits = try ModelWorkbench.splitNames.filter { try source.loadSplit(name: $0) != nil }

        let temporary = out + ".filtering-\(ProcessInfo.processInfo.processIdentifier)"
        let files = temporary + ".d"
        let fm = FileManager.default
        for path in [temporary, temporary + "-wal", temporary + "-shm", files] { try? fm.removeItem(atPath: path) }
        var placed = false
        defer {
            try? fm.removeItem(atPath: files)
            if !placed { for path in [temporary, temporary + "-wal", temporary + "-shm"] { try? fm.removeItem(atPath: path) } }
        }
        var ids = Set<Int64>(minimumCapacity: plan.interactions)
        for r in 0..<log.count where plan.keep[r] { ids.insert(log.sequence[r]) }
        _ = try AtomicExporter.export(source, to: files, name: "filtered",
                                      subset: CatalogSubset(users: plan.keptUsers, items: plan.keptItems, interactions: ids))
        let (derived, _) = try Catalog.create(path: temporary, importing: ImportRequest(format: .recbole, paths: [files], sessionGap: sessionGap))
        let bench = try ModelWorkbench(catalog: derived)
        for name in storedSplits { _ = try bench.split(name) }
        let counts = try derived.counts()
        try derived.closeConnections()
        // Everything is in the file now; an empty WAL and its index must not stay behind under the temporary name.
        for path in [temporary + "-wal", temporary + "-shm"] { try? fm.removeItem(atPath: path) }
        if force {
            // A replaced catalog's leftover WAL would be applied to the new file: remove it first.
            for path in [out + "-wal", out + "-shm"] { try? fm.removeItem(atPath: path) }
        }
        guard rename(temporary, out) == 0 else {
            throw WorkbenchError("\(out): cannot move the new catalog into place: \(String(cString: strerror(errno)))")
        }
        placed = true
        return FilterResult(plan: plan, sourceUsers: log.userCount, sourceItems: log.itemCount, sourceInteractions: log.count,
                            users: counts.users, items: counts.items, interactions: counts.interactions, sessions: counts.sessions,
                            splits: storedSplits, seconds: watch.elapsed)
    }

    static func describe(_ steps: [FilterStep]) -> String {
        steps.map { "\($0.name): -\($0.interactions)" }.joined(separator: ", ")
    }
}
