/// Why a BLOB could not become a `DenseMatrix`.
public enum DenseMatrixBlobError: Error, CustomStringConvertible, Equatable {
    case wrongLength(expected: Int, got: Int, rows: Int, cols: Int)

    public var description: String {
        switch self {
        case let .wrongLength(expected, got, rows, cols):
            return "a \(rows) × \(cols) float32 BLOB needs \(expected) bytes, got \(got); "
                + "check that rows and cols match the stored vectors"
        }
    }
}

extension DenseMatrix {
    /// The values as a BLOB for the catalog: little-endian float32, row-major, unpadded (`rows·cols·4` bytes).
    public func blob() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rows * cols * 4)
        out.withUnsafeMutableBytes { dst in
            var o = 0
            for r in 0..<rows {
                let p = row(r)
                for c in 0..<cols {
                    let bits = p[c].bitPattern.littleEndian
                    dst.storeBytes(of: bits, toByteOffset: o, as: UInt32.self)
                    o += 4
                }
            }
        }
        return out
    }

    /// Reads a BLOB written by `blob()`; the caller knows `rows` and `cols`.
    public init(blob: some Collection<UInt8>, rows: Int, cols: Int) throws {
        let bytes = Array(blob)
        guard bytes.count == rows * cols * 4 else {
            throw DenseMatrixBlobError.wrongLength(expected: rows * cols * 4, got: bytes.count, rows: rows, cols: cols)
        }
        self.init(rows: rows, cols: cols)
        let base = storage.base
        let s = stride
        bytes.withUnsafeBytes { src in
            var o = 0
            for r in 0..<rows {
                for c in 0..<cols {
                    let bits = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: o, as: UInt32.self))
                    base[r * s + c] = Float(bitPattern: bits)
                    o += 4
                }
            }
        }
    }
}
