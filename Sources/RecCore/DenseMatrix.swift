/// A row-major matrix of `Float`, 64-byte aligned, each row padded with zeros to a multiple of 16.
///
/// The padding lets every kernel read whole `SIMD16<Float>` chunks with no tail: `stride` (the distance
/// between rows, in floats) is `cols` rounded up to 16, and the padded lanes are always zero. The struct
/// has value semantics (copy on write); `row(_:)` pointers stay valid while the matrix is alive and
/// unmodified, so keep it alive with `withExtendedLifetime` around raw-pointer loops.
public struct DenseMatrix: Sendable {
    public let rows: Int
    public let cols: Int
    /// Floats between the starts of consecutive rows: `cols` rounded up to a multiple of 16.
    public let stride: Int
    @usableFromInline var storage: _DenseStorage

    /// The padded width for `cols` columns.
    @inlinable
    public static func paddedStride(_ cols: Int) -> Int { (cols &+ 15) & ~15 }

    /// A zero matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "DenseMatrix needs non-negative sizes, got \(rows) × \(cols)")
        self.rows = rows
        self.cols = cols
        self.stride = DenseMatrix.paddedStride(cols)
        self.storage = _DenseStorage(count: rows * stride)
    }

    /// A matrix from unpadded row-major values (`values.count == rows * cols`).
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols,
                     "DenseMatrix(rows: \(rows), cols: \(cols)) needs \(rows * cols) values, got \(values.count)")
        self.init(rows: rows, cols: cols)
        if values.isEmpty { return }
        let base = storage.base
        values.withUnsafeBufferPointer { src in
            for r in 0..<rows {
                (base + r * stride).update(from: src.baseAddress! + r * cols, count: cols)
            }
        }
    }

    /// A matrix whose entry (r, c) is `entry(r, c)`.
    public init(rows: Int, cols: Int, entry: (Int, Int) -> Float) {
        self.init(rows: rows, cols: cols)
        let base = storage.base
        for r in 0..<rows {
            for c in 0..<cols { base[r * stride + c] = entry(r, c) }
        }
    }

    /// A matrix of independent uniform values in [lower, upper), drawn row by row from `generator`.
    public static func random(rows: Int, cols: Int, in range: Range<Float> = -1..<1,
                              using generator: inout SeededGenerator) -> DenseMatrix {
        let m = DenseMatrix(rows: rows, cols: cols)
        let width = range.upperBound - range.lowerBound
        for r in 0..<rows {
            let p = m.storage.base + r * m.stride
            for c in 0..<cols { p[c] = range.lowerBound + width * generator.nextUnitFloat() }
        }
        return m
    }

    /// The start of row `i` (`stride` floats, the last `stride - cols` of them zero).
    @inlinable
    public func row(_ i: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage.base + i &* stride)
    }

    /// The first float of row 0; rows follow every `stride` floats.
    @inlinable
    public var baseAddress: UnsafePointer<Float> { UnsafePointer(storage.base) }

    /// A writable pointer to row `i`; copies the storage first when it is shared. Keep the padding zero.
    @inlinable
    public mutating func mutableRow(_ i: Int) -> UnsafeMutablePointer<Float> {
        makeUnique()
        return storage.base + i &* stride
    }

    /// A writable pointer to row 0 (see `mutableRow(_:)`).
    @inlinable
    public mutating func mutableBaseAddress() -> UnsafeMutablePointer<Float> {
        makeUnique()
        return storage.base
    }

    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get {
            precondition(r >= 0 && r < rows && c >= 0 && c < cols, "index (\(r), \(c)) outside \(rows) × \(cols)")
            return storage.base[r &* stride &+ c]
        }
        set {
            precondition(r >= 0 && r < rows && c >= 0 && c < cols, "index (\(r), \(c)) outside \(rows) × \(cols)")
            makeUnique()
            storage.base[r &* stride &+ c] = newValue
        }
    }

    @usableFromInline
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Row `i` as an array of `cols` values.
    public func rowArray(_ i: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: row(i), count: cols))
    }

    /// All values, unpadded, row-major.
    public func toArray() -> [Float] {
        var out = [Float]()
        out.reserveCapacity(rows * cols)
        for r in 0..<rows { out.append(contentsOf: UnsafeBufferPointer(start: row(r), count: cols)) }
        return out
    }

    /// A view of rows `range` that shares this matrix's storage (no copy).
    public func rows(_ range: Range<Int>) -> DenseMatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        return DenseMatrixView(owner: storage, base: row(range.lowerBound), rows: range.count,
                               cols: cols, stride: stride, firstRow: range.lowerBound)
    }

    /// The whole matrix as a view.
    public var view: DenseMatrixView { rows(0..<rows) }

    /// The transpose, `cols × rows`.
    /// - Complexity: O(rows · cols), blocked 16 × 16 so both sides stay in cache.
    public func transposed() -> DenseMatrix {
        var t = DenseMatrix(rows: cols, cols: rows)
        let src = baseAddress, dst = t.mutableBaseAddress()
        let ss = stride, ds = t.stride
        var r0 = 0
        while r0 < rows {
            let r1 = Swift.min(r0 + 16, rows)
            var c0 = 0
            while c0 < cols {
                let c1 = Swift.min(c0 + 16, cols)
                for r in r0..<r1 {
                    for c in c0..<c1 { dst[c &* ds &+ r] = src[r &* ss &+ c] }
                }
                c0 = c1
            }
            r0 = r1
        }
        return t
    }

    /// Whether every entry is finite (no NaN or ±∞).
    public func allFinite() -> Bool {
        for r in 0..<rows {
            let p = row(r)
            for c in 0..<cols where !p[c].isFinite { return false }
        }
        return true
    }
}

extension DenseMatrix: Equatable {
    /// Equal sizes and bitwise-equal values (so NaN ≠ NaN, as for `Float`).
    public static func == (a: DenseMatrix, b: DenseMatrix) -> Bool {
        guard a.rows == b.rows && a.cols == b.cols else { return false }
        for r in 0..<a.rows {
            let p = a.row(r), q = b.row(r)
            for c in 0..<a.cols where p[c] != q[c] { return false }
        }
        return true
    }
}

/// A contiguous range of a `DenseMatrix`'s rows, sharing its storage.
public struct DenseMatrixView: @unchecked Sendable {
    @usableFromInline let owner: _DenseStorage
    /// The first float of the view's row 0.
    public let baseAddress: UnsafePointer<Float>
    public let rows: Int
    public let cols: Int
    public let stride: Int
    /// The index of the view's row 0 in the matrix it came from.
    public let firstRow: Int

    @usableFromInline
    init(owner: _DenseStorage, base: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int, firstRow: Int) {
        self.owner = owner
        self.baseAddress = base
        self.rows = rows
        self.cols = cols
        self.stride = stride
        self.firstRow = firstRow
    }

    @inlinable
    public func row(_ i: Int) -> UnsafePointer<Float> { baseAddress + i &* stride }

    /// A view of rows `range` of this view.
    public func rows(_ range: Range<Int>) -> DenseMatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        return DenseMatrixView(owner: owner, base: row(range.lowerBound), rows: range.count, cols: cols,
                               stride: stride, firstRow: firstRow + range.lowerBound)
    }

    /// Runs `body` while the underlying storage is guaranteed alive.
    public func withExtendedLifetime<R>(_ body: () throws -> R) rethrows -> R {
        try Swift.withExtendedLifetime(owner) { try body() }
    }
}

/// The 64-byte aligned buffer behind a `DenseMatrix`.
@usableFromInline
final class _DenseStorage: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Float>
    @usableFromInline let count: Int

    @usableFromInline
    init(count: Int) {
        self.count = count
        let bytes = Swift.max(count, 16) * 4
        // Large matrices get 2 MiB alignment and a transparent-huge-page hint: a scan over 256 MB
        // otherwise spends a visible share of its time on TLB misses (THP is often `madvise`-only).
        let huge = bytes >= HugePages.size * 2
        let alignment = huge ? HugePages.size : 64
        let rounded = huge ? (bytes + alignment - 1) / alignment * alignment : bytes
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: alignment)
        if huge { HugePages.advise(raw, bytes: rounded) }
        base = raw.bindMemory(to: Float.self, capacity: rounded / 4)
        base.initialize(repeating: 0, count: rounded / 4)
    }

    @usableFromInline
    func copy() -> _DenseStorage {
        let c = _DenseStorage(count: count)
        c.base.update(from: base, count: count)
        return c
    }

    deinit { base.deallocate() }
}
