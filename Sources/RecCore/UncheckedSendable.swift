/// A value its user promises to share safely across threads: workers write disjoint parts of a buffer,
/// or only read. The promise is the caller's; the compiler no longer checks it.
///
/// The one box for handing raw pointers, buffers and non-escaping closures to `Parallel` workers.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}
