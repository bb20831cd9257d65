import Foundation
import GRDB
import GRDBSQLite

/// One named array of a stored model: `rows × cols` floats, row-major.
public struct StoredArray: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public let values: [Float]
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "a \(rows) × \(cols) array needs \(rows * cols) values, got \(values.count)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }
}

/// A model's stored form, independent of the models library: sizes and named arrays.
public struct StoredArtifact: Sendable, Equatable {
    public let userCount: Int
    public let itemCount: Int
    public let arrays: [String: StoredArray]
    public init(userCount: Int, itemCount: Int, arrays: [String: StoredArray]) {
        self.userCount = userCount
        self.itemCount = itemCount
        self.arrays = arrays
    }
}

/// A row of `models`; `artifact` is nil when listed without its arrays.
public struct StoredModel: Sendable {
    public let id: Int64
    public let name: String
    public let kind: String
    /// The name of the split it was trained on (its training part), or nil when trained on everything.
    public let split: String?
    public let params: [String: String]
    public let trainedAt: String
    public let fitSeconds: Double?
    /// The JSON of the latest evaluation, when one was saved.
    public let metrics: String?
    public let artifact: StoredArtifact?
}

extension Catalog {
    /// Stores a trained model, replacing any model of the same name on the same split, in one transaction.
    ///
    /// The `params` column holds the model's parameters as a JSON object of strings, plus `user_count`
    /// and `item_count`; each array is one `model_arrays` row, its BLOB little-endian float32, row-major.
    /// - Returns: the new `models.id`.
    @discardableResult
    public func saveModel(name: String, kind: String, split: String?, params: [String: String],
                          artifact: StoredArtifact, fitSeconds: Double) throws -> Int64 {
        var stored = params
        stored["user_count"] = String(artifact.userCount)
        stored["item_count"] = String(artifact.itemCount)
        let paramsJSON = try _jsonObject(stored)
        return try pool.write { db in
            let splitID = try split.map { try Self.splitID(db, name: $0) }
            try db.execute(sql: "DELETE FROM models WHERE name = ? AND split IS ?", arguments: [name, splitID])
            try db.execute(sql: """
                INSERT INTO models(name, kind, split, params, trained_at, fit_seconds)
                VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)
                """, arguments: [name, kind, splitID, paramsJSON, fitSeconds])
            let modelID = db.lastInsertedRowID
            let insert = try SQLiteStatement(db, "INSERT INTO model_arrays(model, name, rows, cols, data) VALUES (?, ?, ?, ?, ?)")
            for key in artifact.arrays.keys.sorted() {
                let a = artifact.arrays[key]!
                insert.bind(1, modelID)
                insert.bind(2, key)
                insert.bind(3, Int64(a.rows))
                insert.bind(4, Int64(a.cols))
                insert.bind(5, blob: _littleEndianBlob(a.values))
                try insert.step()
            }
            return modelID
        }
    }

    /// The model `name` trained on `split` (nil: on everything), with its arrays; nil when there is none.
    public func loadModel(name: String, split: String?) throws -> StoredModel? {
        try pool.read { db in
            let splitID: Int64?
            if let split {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM splits WHERE name = ?", arguments: [split]) else { return nil }
                splitID = id
            } else {
                splitID = nil
            }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT m.id, m.name, m.kind, s.name AS split, m.params, m.trained_at, m.fit_seconds, m.metrics
                FROM models m LEFT JOIN splits s ON s.id = m.split WHERE m.name = ? AND m.split IS ?
                """, arguments: [name, splitID]) else { return nil }
            return try Self.storedModel(db, row, withArrays: true)
        }
    }

    /// Every stored model, without arrays, by split then name.
    public func listModels() throws -> [StoredModel] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.id, m.name, m.kind, s.name AS split, m.params, m.trained_at, m.fit_seconds, m.metrics
                FROM models m LEFT JOIN splits s ON s.id = m.split ORDER BY s.name, m.name
                """).map { try Self.storedModel(db, $0, withArrays: false) }
        }
    }

    /// Records the JSON of a model's latest evaluation.
    public func saveModelMetrics(modelID: Int64, json: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE models SET metrics = ? WHERE id = ?", arguments: [json, modelID])
        }
    }

    static func splitID(_ db: Database, name: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM splits WHERE name = ?", arguments: [name]) else {
            throw CatalogError("no split named '\(name)' in the catalog (save it first; recscope eval --split \(name) does)")
        }
        return id
    }

    static func storedModel(_ db: Database, _ row: Row, withArrays: Bool) throws -> StoredModel {
        let id: Int64 = row["id"]
        let name: String = row["name"]
        var params = try _parseJSONObject(row["params"], what: "models.params of model '\(name)'")
        guard let users = params.removeValue(forKey: "user_count").flatMap({ Int($0) }),
              let items = params.removeValue(forKey: "item_count").flatMap({ Int($0) }) else {
            throw CatalogError("models.params of model '\(name)' lacks user_count/item_count; retrain it with recscope train")
        }
        var artifact: StoredArtifact?
        if withArrays {
            var arrays: [String: StoredArray] = [:]
            for a in try Row.fetchAll(db, sql: "SELECT name, rows, cols, data FROM model_arrays WHERE model = ?", arguments: [id]) {
                let key: String = a["name"], rows: Int = a["rows"], cols: Int = a["cols"]
                let data: Data = a["data"] ?? Data()
                guard data.count == rows * cols * 4 else {
                    throw CatalogError("model_arrays '\(key)' of model '\(name)' has \(data.count) bytes, expected \(rows) × \(cols) × 4; retrain it")
                }
                arrays[key] = StoredArray(rows: rows, cols: cols, values: _floats(fromLittleEndian: data))
            }
            artifact = StoredArtifact(userCount: users, itemCount: items, arrays: arrays)
        }
        return StoredModel(id: id, name: name, kind: row["kind"], split: row["split"], params: params,
                           trainedAt: row["trained_at"], fitSeconds: row["fit_seconds"], metrics: row["metrics"],
                           artifact: artifact)
    }
}

/// Little-endian float32 bytes of `values`.
func _littleEndianBlob(_ values: [Float]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: values.count * 4)
    out.withUnsafeMutableBytes { dst in
        for (n, v) in values.enumerated() {
            dst.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: n * 4, as: UInt32.self)
        }
    }
    return out
}

func _floats(fromLittleEndian data: Data) -> [Float] {
    let n = data.count / 4
    var out = [Float](repeating: 0, count: n)
    data.withUnsafeBytes { src in
        for i in 0..<n {
            out[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
        }
    }
    return out
}

func _jsonObject(_ dict: [String: String]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

func _parseJSONObject(_ text: String?, what: String) throws -> [String: String] {
    guard let text, let data = text.data(using: .utf8),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CatalogError("\(what) is not a JSON object")
    }
    var out: [String: String] = [:]
    for (k, v) in object { out[k] = "\(v)" }
    return out
}
