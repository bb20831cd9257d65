import Foundation
import GRDB
import RecCore

/// A what-if user saved by name: items (external ids, oldest first) and how many of the latest count.
public struct StoredPersona: Sendable, Equatable {
    public let name: String
    public let items: [String]
    /// How many of the latest items the models read (0: all).
    public let recent: Int
    /// The catalog user it was started from, if any.
    public let sourceUser: String?
    public let createdAt: String
    public let updatedAt: String

    public init(name: String, items: [String], recent: Int, sourceUser: String?, createdAt: String, updatedAt: String) {
        self.name = name
        self.items = items
        self.recent = recent
        self.sourceUser = sourceUser
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Why `name` cannot name a persona (nil: it can): empty, over 64 characters, or holding a control,
    /// bidi or unassigned scalar.
    public static func problem(withName name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "a persona needs a name" }
        if name.count > 64 { return "a persona's name has at most 64 characters" }
        if name.unicodeScalars.contains(where: UnsafeScalar.contains) {
            return "a persona's name cannot hold control characters, bidi controls or unassigned characters"
        }
        return nil
    }
}

extension Catalog {
    /// Saves `items` as persona `name`, replacing one of that name (its creation time is kept).
    public func savePersona(name: String, items: [String], recent: Int, sourceUser: String?) throws {
        if let problem = StoredPersona.problem(withName: name) { throw CatalogError("\(path): \(problem)") }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: items), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO personas(name, items, recent, source_user, created_at, updated_at)
                VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                ON CONFLICT(name) DO UPDATE SET items = excluded.items, recent = excluded.recent,
                    source_user = excluded.source_user, updated_at = excluded.updated_at
                """, arguments: [name, json, max(0, recent), sourceUser])
        }
    }

    /// The persona `name`, or nil.
    public func loadPersona(name: String) throws -> StoredPersona? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM personas WHERE name = ?", arguments: [name]).map(Self.persona)
        }
    }

    /// Every persona, by name.
    public func listPersonas() throws -> [StoredPersona] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM personas ORDER BY name").map(Self.persona) }
    }

    /// Deletes persona `name`; false when there was none.
    @discardableResult
    public func deletePersona(name: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM personas WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    static func persona(_ row: Row) throws -> StoredPersona {
        let name: String = row["name"]
        let text: String = row["items"]
        guard let items = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] else {
            throw CatalogError("personas.items of '\(name)' is not a JSON array of item ids")
        }
        return StoredPersona(name: name, items: items, recent: row["recent"], sourceUser: row["source_user"],
                             createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
