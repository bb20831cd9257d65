/// The process heap.
public enum Heap {
    /// Hands the heap's free pages back to the system (glibc's `malloc_trim`). Freed memory otherwise stays
    /// resident in the allocator's arenas: after the explorer reads a 24M-row log, makes its per-user view
    /// and drops the log, about 150 MB of freed pages stayed counted against the process. A hint: returns at once
    /// elsewhere, and costs a few milliseconds (call it after a large load, not per key).
    public static func releaseFreePages() {
        #if os(Linux)
        _ = _mallocTrim(0)
        #endif
    }
}

#if os(Linux)
@_silgen_name("malloc_trim")
private func _mallocTrim(_ pad: Int) -> Int32
#endif
