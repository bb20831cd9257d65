import RecCore

/// One named array of a stored model: `rows × cols` floats, row-major, unpadded.
public struct ArtifactArray: Sendable, Equatable, Codable {
    public let rows: Int
    public let cols: Int
    public let values: [Float]

    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "an artifact array of \(rows) × \(cols) needs \(rows * cols) values, got \(values.count)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    public init(_ matrix: DenseMatrix) {
        self.init(rows: matrix.rows, cols: matrix.cols, values: matrix.toArray())
    }

    /// A column of `values.count` rows.
    public init(column: [Float]) {
        self.init(rows: column.count, cols: 1, values: column)
    }

    public var matrix: DenseMatrix { DenseMatrix(rows: rows, cols: cols, values: values) }
}

/// Everything needed to rebuild a trained model exactly: its kind, parameters, sizes and named arrays.
///
/// The catalog stores it as one `models` row and one `model_arrays` row per array (little-endian
/// float32 BLOBs). Integer data (history lengths, item indices) is stored as exact floats, which holds
/// below 2²⁴ = 16,777,216; `ModelArtifact` refuses larger values rather than round them.
public struct ModelArtifact: Sendable, Equatable, Codable {
    public let kind: ModelKind
    /// The parameters the model was trained with, as the command line spells them (`factors=64`).
    public let params: [String: String]
    public let userCount: Int
    public let itemCount: Int
    public let arrays: [String: ArtifactArray]

    public init(kind: ModelKind, params: [String: String], userCount: Int, itemCount: Int,
                arrays: [String: ArtifactArray]) {
        self.kind = kind
        self.params = params
        self.userCount = userCount
        self.itemCount = itemCount
        self.arrays = arrays
    }

    /// The array `name`, checked to be `rows × cols` when those are given.
    public func array(_ name: String, rows: Int? = nil, cols: Int? = nil) throws -> ArtifactArray {
        guard let a = arrays[name] else {
            throw ModelError.corruptArtifact("the \(kind.rawValue) artifact has no array '\(name)' (has: \(arrays.keys.sorted().joined(separator: ", ")))")
        }
        if let rows, a.rows != rows {
            throw ModelError.corruptArtifact("array '\(name)' has \(a.rows) rows, expected \(rows)")
        }
        if let cols, a.cols != cols {
            throw ModelError.corruptArtifact("array '\(name)' has \(a.cols) columns, expected \(cols)")
        }
        return a
    }
}

/// The exact-float limit for integers stored in artifacts.
let _exactFloatLimit = 1 << 24

extension InteractionMatrix {
    /// The matrix as two artifact arrays: `PREFIX.lengths` (users × 1) and `PREFIX.items` (nnz × 1).
    /// Values are not kept: models store binary histories.
    func artifactArrays(prefix: String) -> [String: ArtifactArray] {
        precondition(itemCount <= _exactFloatLimit, "\(itemCount) items exceed the artifact limit of 2^24")
        let lengths = (0..<userCount).map { Float(rowLength($0)) }
        return [prefix + ".lengths": ArtifactArray(column: lengths),
                prefix + ".items": ArtifactArray(column: itemIndices.map { Float($0) })]
    }

    /// Rebuilds a binary matrix from `artifactArrays(prefix:)`.
    static func fromArtifact(_ artifact: ModelArtifact, prefix: String) throws -> InteractionMatrix {
        let lengths = try artifact.array(prefix + ".lengths", rows: artifact.userCount, cols: 1).values
        let items = try artifact.array(prefix + ".items", cols: 1).values
        var start = [Int](repeating: 0, count: lengths.count + 1)
        for (u, l) in lengths.enumerated() { start[u + 1] = start[u] + Int(l) }
        guard start.last == items.count else {
            throw ModelError.corruptArtifact("\(prefix) lengths sum to \(start.last!), but there are \(items.count) items")
        }
        let indices = items.map { Int32($0) }
        for u in 0..<lengths.count {
            for n in start[u]..<start[u + 1] {
                let i = indices[n]
                guard i >= 0 && Int(i) < artifact.itemCount, n == start[u] || indices[n - 1] < i else {
                    throw ModelError.corruptArtifact("\(prefix) row \(u) is not a sorted list of items below \(artifact.itemCount)")
                }
            }
        }
        return InteractionMatrix(userCount: artifact.userCount, itemCount: artifact.itemCount, rowStart: start,
                                 itemIndices: indices, values: [Float](repeating: 1, count: indices.count))
    }
}
