import RecCore

/// Why a dense solve failed.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// A pivot was not positive: the matrix is not (numerically) positive definite.
    case notPositiveDefinite(pivot: Int, value: Float)

    public var description: String {
        switch self {
        case let .notPositiveDefinite(pivot, value):
            return "matrix is not positive definite (pivot \(pivot) is \(value)); increase the regularisation"
        }
    }
}

/// Runs a RecCore Cholesky step, reporting a failed pivot as `LinearAlgebraError` (whose message tells a
/// model's user what to change: the regularisation).
@inline(__always)
func _positiveDefinite<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch CholeskyError.notPositiveDefinite(let pivot, let value) {
        throw LinearAlgebraError.notPositiveDefinite(pivot: pivot, value: value)
    }
}
