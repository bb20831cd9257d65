import RecCore

/// Progress of a long import on stderr (rows/s, percent), shown only when stderr is a terminal.
final class ImportProgress {
    let label: String
    let totalBytes: Int
    let enabled: Bool
    let started = Monotonic.now()
    var lastShown = 0.0
    /// Bytes and rows done before the range being read (a file read in pieces), added to every update.
    var base = (bytes: 0, rows: 0)

    init(label: String, totalBytes: Int) {
        self.label = label
        self.totalBytes = totalBytes
        enabled = FileSystem.isTerminal(2) && totalBytes > 4 << 20
    }

    func update(bytes: Int, rows: Int) {
        guard enabled else { return }
        let t = Monotonic.now()
        if t - lastShown < 0.2 { return }
        lastShown = t
        let bytes = bytes + base.bytes, rows = rows + base.rows
        let pct = Double(bytes) / Double(max(totalBytes, 1)) * 100
        let rate = Double(rows) / max(t - started, 1e-9)
        FileSystem.writeError("\r\(label): \(Int(pct))%  \(rows) rows  \(Int(rate)) rows/s   ")
    }

    func finish(rows: Int) {
        guard enabled, lastShown > 0 else { return }
        let rate = Double(rows) / max(Monotonic.now() - started, 1e-9)
        FileSystem.writeError("\r\(label): 100%  \(rows) rows  \(Int(rate)) rows/s   \n")
    }
}
