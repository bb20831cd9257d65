#if canImport(Glibc)
import Glibc
#endif

/// Asks for transparent huge pages behind large buffers (THP is often `madvise`-only, so it has to be
/// asked for): a 2 MiB page is one fault and one TLB entry for 512 of the 4 KiB ones. Dense matrices scan
/// hundreds of MB; an import writes a 1M-row file and its columns into fresh memory.
public enum HugePages {
    public static let size = 2 << 20

    /// Advises the whole 2 MiB pages inside the `bytes` at `base`. A hint: failure is harmless.
    public static func advise(_ base: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        let page = size
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(page - 1)
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(aligned, end - start, 14)  // MADV_HUGEPAGE
        }
        #endif
    }

    /// Advises all of the storage an array has reserved, when it spans a few huge pages.
    public static func advise<T>(_ array: inout [T]) {
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= 4 << 20 else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { advise(UnsafeMutableRawPointer(base), bytes: bytes) }
        }
    }
}
