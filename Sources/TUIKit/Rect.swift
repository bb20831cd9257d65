/// A rectangle of cells: column `x`, row `y`, `width` columns by `height` rows.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The rectangle shrunk by `dx` columns on each side and `dy` rows top and bottom.
    public func inset(dx: Int = 1, dy: Int = 1) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// Row `i` of the rectangle as a one-row rectangle.
    public func row(_ i: Int) -> Rect { Rect(x: x, y: y + i, width: width, height: 1) }

    /// The first `n` rows, and the rest.
    public func splitTop(_ n: Int) -> (top: Rect, rest: Rect) {
        let n = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: n), Rect(x: x, y: y + n, width: width, height: height - n))
    }

    /// The last `n` rows, and the rest above them.
    public func splitBottom(_ n: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - n), Rect(x: x, y: maxY - n, width: width, height: n))
    }

    /// Splits into stacked rows sized by `constraints`.
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Constraint.solve(constraints, total: height, spacing: spacing).map {
            Rect(x: x, y: y + $0.offset, width: width, height: $0.size)
        }
    }

    /// Splits into side-by-side columns sized by `constraints`.
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Constraint.solve(constraints, total: width, spacing: spacing).map {
            Rect(x: x + $0.offset, y: y, width: $0.size, height: height)
        }
    }
}

/// How much of a split a part gets.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less when there is not enough room).
    case fixed(Int)
    /// This percentage of the whole (rounded down).
    case percent(Int)
    /// A share of what fixed and percent parts leave, in proportion to the weight.
    case fill(Int)

    public static let fill = Constraint.fill(1)

    /// Offsets and sizes along one axis; fixed and percent parts are served first, in order,
    /// fill parts share the rest with the remainder going to the earliest.
    static func solve(_ constraints: [Constraint], total: Int, spacing: Int) -> [(offset: Int, size: Int)] {
        guard !constraints.isEmpty else { return [] }
        var remaining = max(0, total - spacing * (constraints.count - 1))
        let available = remaining
        var sizes = [Int](repeating: 0, count: constraints.count)
        for (i, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n): sizes[i] = min(max(0, n), remaining)
            case .percent(let p): sizes[i] = min(available * max(0, p) / 100, remaining)
            case .fill: continue
            }
            remaining -= sizes[i]
        }
        let weights = constraints.map { if case .fill(let w) = $0 { return max(0, w) } else { return 0 } }
        let totalWeight = weights.reduce(0, +)
        if totalWeight > 0 {
            var given = 0
            for i in sizes.indices where weights[i] > 0 {
                sizes[i] = remaining * weights[i] / totalWeight
                given += sizes[i]
            }
            var extra = remaining - given
            for i in sizes.indices where weights[i] > 0 && extra > 0 {
                sizes[i] += 1
                extra -= 1
            }
        }
        var offset = 0
        return sizes.map { size in
            defer { offset += size + spacing }
            return (offset, size)
        }
    }
}
