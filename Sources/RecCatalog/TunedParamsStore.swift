import Foundation
import GRDB

/// The parameters `recscope tune` chose for a model on a catalog, and how they were chosen.
public struct TunedParameters: Sendable, Equatable {
    public let model: String
    public let params: [String: String]
    /// The split whose valid rows judged the grid, the metric and its value there.
    public let split: String
    public let metric: String
    public let value: Double
    public let grid: String
    public let tunedAt: String

    public init(model: String, params: [String: String], split: String, metric: String, value: Double, grid: String, tunedAt: String = "") {
        self.model = model
        self.params = params
        self.split = split
        self.metric = metric
        self.value = value
        self.grid = grid
        self.tunedAt = tunedAt
    }
}

extension Catalog {
    /// Saves the tuned parameters of `t.model`, replacing earlier ones.
    public func saveTunedParameters(_ t: TunedParameters) throws {
        let json = try _jsonObject(t.params)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO tuned_params(model, params, split, metric, value, grid, tuned_at)
                VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                ON CONFLICT(model) DO UPDATE SET params = excluded.params, split = excluded.split, metric = excluded.metric,
                    value = excluded.value, grid = excluded.grid, tuned_at = excluded.tuned_at
                """, arguments: [t.model, json, t.split, t.metric, t.value, t.grid])
        }
    }

    /// The tuned parameters of `model`, or nil when it was never tuned on this catalog.
    public func loadTunedParameters(model: String) throws -> TunedParameters? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tuned_params WHERE model = ?", arguments: [model]) else { return nil }
            let object = try _parseJSONObject(row["params"], what: "\(path): the tuned parameters of \(model)")
            return TunedParameters(model: model, params: object, split: row["split"], metric: row["metric"], value: row["value"],
                                   grid: row["grid"], tunedAt: row["tuned_at"])
        }
    }

    /// Forgets the tuned parameters of `model`; false when there were none.
    public func deleteTunedParameters(model: String) throws -> Bool {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM tuned_params WHERE model = ?", arguments: [model])
            return db.changesCount > 0
        }
    }
}
