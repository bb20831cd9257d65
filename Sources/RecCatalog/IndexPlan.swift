import GRDB

/// Where a batch's users (or items) go: each token's catalog index, existing rows matched by external id,
/// new ones numbered from the table's next index in token order. Reads the table; writes nothing.
struct IndexPlan {
    var map: [Int32]
    var firstNew: Int32
    /// The tokens of the new rows, in index order (`firstNew`, `firstNew + 1`, ...).
    var newTokens: [Int32] = []
    let latin1: Bool

    init(_ db: Database, table: String, tokens: TokenInterner, latin1: Bool) throws {
        self.latin1 = latin1
        var existing: [String: Int32] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, external_id FROM \(table)")
        while let row = try rows.next() { existing[row[1]] = Int32(row[0] as Int64) }
        firstNew = Int32(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM \(table)") ?? 0)
        map = [Int32](repeating: 0, count: tokens.count)
        for t in 0..<tokens.count {
            let token = Int32(t)
            if !existing.isEmpty, let idx = existing[tokens.string(token, latin1: latin1)] {
                map[t] = idx
            } else {
                map[t] = firstNew + Int32(newTokens.count)
                newTokens.append(token)
            }
        }
    }

    /// Adds token `token`'s external id to `text` and returns its handle: UTF-8 ids copied from the token
    /// arena, Latin-1 ones (MovieLens) decoded first.
    func addID(_ token: Int32, _ tokens: TokenInterner, to text: inout TextArena) -> Int {
        if latin1 { return text.add(tokens.string(token, latin1: true)) }
        return tokens.withBytes(token) { text.add(bytes: $0) }
    }
}
