import GRDB

/// The held-out part an interaction belongs to in a stored split (anything not held out is training data).
public enum HoldoutRole: String, Sendable {
    case valid, test
}

/// One held-out interaction of a split.
public struct HoldoutRow: Sendable, Equatable {
    /// `interactions.id`.
    public let interaction: Int64
    public let user: Int32
    public let item: Int32
    public let role: HoldoutRole
    public init(interaction: Int64, user: Int32, item: Int32, role: HoldoutRole) {
        self.interaction = interaction
        self.user = user
        self.item = item
        self.role = role
    }
}

/// A stored split: its name, how it was made, and its held-out rows.
public struct StoredSplit: Sendable {
    public let id: Int64
    public let name: String
    public let kind: String
    public let params: [String: String]
    public let createdAt: String
    public let holdout: [HoldoutRow]
}

extension Catalog {
    /// Stores a split under `name`, replacing an older split of that name (and, by cascade, the models
    /// trained on it), in one transaction.
    /// - Returns: the new `splits.id`.
    @discardableResult
    public func saveSplit(name: String, kind: String, params: [String: String], holdout: [HoldoutRow]) throws -> Int64 {
        let paramsJSON = try _jsonObject(params)
        return try pool.write { db in
            try db.execute(sql: "DELETE FROM splits WHERE name = ?", arguments: [name])
            try db.execute(sql: """
                INSERT INTO splits(name, kind, params, created_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                """, arguments: [name, kind, paramsJSON])
            let splitID = db.lastInsertedRowID
            let insert = try SQLiteStatement(db, "INSERT INTO split_holdout(split, interaction, user, item, role) VALUES (?, ?, ?, ?, ?)")
            for row in holdout {
                insert.bind(1, splitID)
                insert.bind(2, row.interaction)
                insert.bind(3, Int64(row.user))
                insert.bind(4, Int64(row.item))
                insert.bind(5, row.role.rawValue)
                try insert.step()
            }
            return splitID
        }
    }

    /// The split `name` with its held-out rows (by interaction id), or nil when there is none.
    public func loadSplit(name: String) throws -> StoredSplit? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, kind, params, created_at FROM splits WHERE name = ?",
                                             arguments: [name]) else { return nil }
            let id: Int64 = row["id"]
            var holdout: [HoldoutRow] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT interaction, user, item, role FROM split_holdout WHERE split = ? ORDER BY interaction
                """, arguments: [id])
            while let r = try rows.next() {
                let text: String = r["role"]
                guard let role = HoldoutRole(rawValue: text) else {
                    throw CatalogError("split_holdout of split '\(name)' has role '\(text)' (expected valid or test)")
                }
                holdout.append(HoldoutRow(interaction: r["interaction"], user: Int32(r["user"] as Int64),
                                          item: Int32(r["item"] as Int64), role: role))
            }
            return StoredSplit(id: id, name: name, kind: row["kind"],
                               params: try _parseJSONObject(row["params"], what: "splits.params of split '\(name)'"),
                               createdAt: row["created_at"], holdout: holdout)
        }
    }
}
