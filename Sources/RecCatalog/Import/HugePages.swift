#if canImport(Glibc)
import Glibc
#endif

/// Asks for transparent huge pages behind large import buffers. A 1M-row file and its columns are written
/// into fresh memory, where each 4 KiB page costs a fault; a 2 MiB page is one fault for 512 of them (THP
/// is often `madvise`-only, so it has to be asked for).
enum HugePages {
    /// Advises the whole 2 MiB pages inside the `bytes` at `base`. A hint: failure is harmless.
    static func advise(_ base: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let page = 2 << 20
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(aligned, end - start, 14)  // MADV_HUGEPAGE
        }
        #endif
    }

    /// Advises all of the storage an array has reserved, when it spans a few huge pages.
    static func advise<T>(_ array: inout [T]) {
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= 4 << 20 else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base), bytes: bytes) }
        }
    }
}
