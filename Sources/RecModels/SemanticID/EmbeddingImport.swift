import RecCore

/// Why an embeddings file could not be read; names the file, the line where there is one, and the fix.
public struct EmbeddingImportError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// Reads item vectors made elsewhere: NumPy `.npy` (float32) and CSV/TSV `item_id,v1,…,vd`.
///
/// Rows become the catalogue's dense item order. In a CSV the first field is the item's external id; a
/// first line whose second field is not a number is a header. An `.npy` file has no ids: its rows are
/// either the catalogue's items in index order (as many rows as items) or, with `ids`, the items listed
/// there, one external id per row. Missing items are an error unless `fillMissing` is set, in which case
/// they get a zero vector and are listed in `missing` (k-means then puts them together in one code).
public enum EmbeddingImport {
    /// Vectors in catalogue order and the items that had none.
    public struct Result: Sendable {
        public var embeddings: DenseMatrix
        public var missing: [Int]
    }

    /// Parses `bytes` of the file at `path` (its extension picks the format: `.npy`, `.tsv`, else CSV).
    /// - Parameters:
    ///   - itemIndex: external item id → dense index; `itemCount` items in all.
    ///   - ids: for `.npy`, the external id of each row (nil: rows are the items in index order).
    public static func read(_ bytes: [UInt8], path: String, itemIndex: Vocabulary, itemCount: Int,
                            ids: [String]? = nil, fillMissing: Bool = false) throws -> Result {
        if path.lowercased().hasSuffix(".npy") {
            let array = try NumpyArray(bytes, path: path)
            if let ids {
                guard ids.count == array.rows else {
                    throw EmbeddingImportError("\(path) has \(array.rows) rows but the id list has \(ids.count) ids; they must match one to one")
                }
                var rowOf = [Int](repeating: -1, count: itemCount)
                for (row, id) in ids.enumerated() {
                    guard let item = itemIndex.lookup(id).map(Int.init) else {
                        throw EmbeddingImportError("id list line \(row + 1): unknown item id '\(id)' (not in the catalog)")
                    }
                    guard rowOf[item] < 0 else {
                        throw EmbeddingImportError("id list line \(row + 1): item id '\(id)' repeats line \(rowOf[item] + 1)")
                    }
                    rowOf[item] = row
                }
                return try assemble(path: path, dimension: array.cols, itemCount: itemCount, itemIndex: itemIndex,
                                    fillMissing: fillMissing, rowOf: rowOf) { array.values[$0 * array.cols + $1] }
            }
            guard array.rows == itemCount else {
                throw EmbeddingImportError("\(path) has \(array.rows) rows but the catalog has \(itemCount) items; give one row per item in catalog order, or pass the row ids with --ids FILE")
            }
            let m = DenseMatrix(rows: array.rows, cols: array.cols, values: array.values)
            try checkFinite(m, path: path)
            return Result(embeddings: m, missing: [])
        }
        let delimiter: UInt8 = path.lowercased().hasSuffix(".tsv") ? 9 : 44
        return try delimited(bytes, path: path, delimiter: delimiter, itemIndex: itemIndex, itemCount: itemCount,
                             fillMissing: fillMissing)
    }

    /// CSV/TSV rows `item_id, v1, …, vd`.
    static func delimited(_ bytes: [UInt8], path: String, delimiter: UInt8, itemIndex: Vocabulary, itemCount: Int,
                          fillMissing: Bool) throws -> Result {
        var values: [Float] = []
        var rowOf = [Int](repeating: -1, count: itemCount)
        var lineOf = [Int](repeating: 0, count: itemCount)
        var dimension = -1
        var rows = 0
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            defer { start = end + 1 }
            if lineEnd == start { continue }
            let fields = bytes[start..<lineEnd].split(separator: delimiter, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
            if lineNumber == 1 && fields.count > 1 && Float(fields[1]) == nil { continue }  // header
            guard fields.count >= 2 else {
                throw EmbeddingImportError("\(path):\(lineNumber): expected item_id followed by at least one value, found \(fields.count) field(s)")
            }
            let d = fields.count - 1
            if dimension < 0 { dimension = d }
            guard d == dimension else {
                throw EmbeddingImportError("\(path):\(lineNumber): expected \(dimension) values after the item id (as on the first row), found \(d)")
            }
            guard let item = itemIndex.lookup(fields[0]).map(Int.init) else {
                throw EmbeddingImportError("\(path):\(lineNumber): unknown item id '\(fields[0])' (not in the catalog)")
            }
            guard rowOf[item] < 0 else {
                throw EmbeddingImportError("\(path):\(lineNumber): item id '\(fields[0])' already given on line \(lineOf[item])")
            }
            for (column, text) in fields.dropFirst().enumerated() {
                guard let v = Float(text), v.isFinite else {
                    throw EmbeddingImportError("\(path):\(lineNumber): value \(column + 1) expected a finite number, found '\(text)'")
                }
                values.append(v)
            }
            rowOf[item] = rows
            lineOf[item] = lineNumber
            rows += 1
        }
        guard dimension > 0 else { throw EmbeddingImportError("\(path): no vectors found (expected lines item_id,v1,...,vd)") }
        let width = dimension
        return try assemble(path: path, dimension: width, itemCount: itemCount, itemIndex: itemIndex,
                            fillMissing: fillMissing, rowOf: rowOf) { values[$0 * width + $1] }
    }

    /// Places each source row at its item, checking coverage.
    static func assemble(path: String, dimension: Int, itemCount: Int, itemIndex: Vocabulary, fillMissing: Bool,
                         rowOf: [Int], value: (Int, Int) -> Float) throws -> Result {
        let missing = rowOf.indices.filter { rowOf[$0] < 0 }
        if !missing.isEmpty && !fillMissing {
            let shown = missing.prefix(5).map { "'\($0 < itemIndex.count ? itemIndex.id(at: Int32($0)) : "")'" }.joined(separator: ", ")
            throw EmbeddingImportError("\(path) has no vector for \(missing.count) of \(itemCount) catalog items (\(shown)\(missing.count > 5 ? ", ..." : "")); add them, or pass --missing zero to give them zero vectors")
        }
        var m = DenseMatrix(rows: itemCount, cols: dimension)
        for item in 0..<itemCount where rowOf[item] >= 0 {
            let row = m.mutableRow(item)
            for j in 0..<dimension { row[j] = value(rowOf[item], j) }
        }
        try checkFinite(m, path: path)
        return Result(embeddings: m, missing: missing)
    }

    static func checkFinite(_ m: DenseMatrix, path: String) throws {
        for r in 0..<m.rows {
            let p = m.row(r)
            for c in 0..<m.cols where !p[c].isFinite {
                throw EmbeddingImportError("\(path): row \(r + 1), value \(c + 1) is \(p[c]); vectors must be finite")
            }
        }
    }
}

/// A 2-D float32 array read from NumPy's `.npy` format (versions 1.0, 2.0 and 3.0).
///
/// The header is a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`.
/// Only little- or big-endian float32 in C order is accepted; anything else is refused with the NumPy
/// call that converts it.
public struct NumpyArray: Sendable {
    public let rows: Int
    public let cols: Int
    /// Row-major values.
    public let values: [Float]

    public init(_ bytes: [UInt8], path: String) throws {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw EmbeddingImportError("\(path): not a .npy file (it does not start with \\x93NUMPY); save it with numpy.save")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw EmbeddingImportError("\(path): truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw EmbeddingImportError("\(path): .npy format version \(major).\(bytes[7]) is not supported (expected 1.0, 2.0 or 3.0)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw EmbeddingImportError("\(path): the .npy header claims \(headerLength) bytes but the file ends first")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = Self.value(of: "descr", in: header),
              let fortran = Self.value(of: "fortran_order", in: header),
              let shapeText = Self.value(of: "shape", in: header) else {
            throw EmbeddingImportError("\(path): the .npy header '\(header.trimmingSpaces())' lacks descr, fortran_order or shape")
        }
        let dtype = descr.trimming("'\"")
        let bigEndian: Bool
        switch dtype {
        case "<f4", "=f4": bigEndian = false
        case ">f4": bigEndian = true
        default:
            throw EmbeddingImportError("\(path): dtype '\(dtype)' is not float32; convert with numpy.save(path, array.astype(numpy.float32))")
        }
        guard fortran == "False" else {
            throw EmbeddingImportError("\(path): the array is in Fortran (column-major) order; save numpy.ascontiguousarray(array) instead")
        }
        let dims = shapeText.trimming("()").split(separator: ",")
            .map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        guard dims.count == 2, let n = Int(dims[0]), let d = Int(dims[1]), n > 0, d > 0 else {
            throw EmbeddingImportError("\(path): shape \(shapeText) is not a 2-D items × dimensions array with both sizes positive")
        }
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart == n * d * 4 else {
            throw EmbeddingImportError("\(path): shape (\(n), \(d)) needs \(n * d * 4) bytes of float32 data, the file has \(bytes.count - dataStart)")
        }
        var values = [Float](repeating: 0, count: n * d)
        bytes.withUnsafeBytes { raw in
            for i in 0..<(n * d) {
                let bits = raw.loadUnaligned(fromByteOffset: dataStart + i * 4, as: UInt32.self)
                values[i] = Float(bitPattern: bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits))
            }
        }
        rows = n
        cols = d
        self.values = values
    }

    /// The text after `'key':` up to the next top-level comma (a tuple counts as one value).
    static func value(of key: String, in header: String) -> String? {
        let chars = Array(header)
        var found: Int?
        for quote in ["'", "\""] {
            let needle = Array(quote + key + quote)
            if needle.count <= chars.count, found == nil {
                found = (0...(chars.count - needle.count)).first { Array(chars[$0..<($0 + needle.count)]) == needle }
                    .map { $0 + needle.count }
            }
        }
        guard let after = found else { return nil }
        var rest = Substring(String(chars[after...])).drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        var depth = 0
        var out = ""
        for ch in rest {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if (ch == "," && depth == 0) || ch == "}" { break }
            out.append(ch)
        }
        return out.trimmingSpaces()
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String { trimming(" \t") }

    /// Without leading and trailing characters from `set`.
    fileprivate func trimming(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
