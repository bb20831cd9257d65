import Foundation
import GRDBSQLite
import Synchronization

/// Write-behind for the one file a new catalog is built in: SQLite's page writes are copied into a few
/// reused buffers and written to the file by a thread of their own, so the connection's thread spends its
/// time in SQLite, not in the kernel.
///
/// A 24M-row import writes 1.5 GB of pages; `pwrite` of them took 3-4 s of the writer thread (copying into
/// fresh page-cache pages), while the second core was mostly idle. The file is a temporary one no other
/// connection opens (`Catalog.create` builds there, journal off, and links it into place at the end), so
/// nobody can observe the writes late. Anything that reads or sizes the file (`xRead`, `xFileSize`,
/// `xTruncate`, `xSync`, `xClose`, file controls but the size hint) first waits for every pending write,
/// and a failed write fails the next call, which fails the import (and the temporary file is removed).
///
/// It is a VFS wrapping the default one, registered as the default once: any other file opens straight
/// through the wrapped VFS (the wrapper's `xOpen` hands it the file object, whose methods are then the
/// wrapped VFS's own), so only a path passed to `building` ever sees it.
enum WriteBehind {
    /// Runs `body` with writes to the database file `path` (opened inside `body`) going through the write
    /// thread. Falls back to plain writes if the VFS cannot be installed.
    /// `failingAfter` (tests): writes past that many bytes fail as a full disk would.
    static func building<R>(_ path: String, failingAfter: Int = .max, _ body: () throws -> R) rethrows -> R {
        guard let full = install(path) else { return try body() }
        paths.withLock { $0[full] = failingAfter }
        defer { paths.withLock { _ = $0.removeValue(forKey: full) } }
        return try body()
    }

    /// Bytes a write buffer holds (consecutive page writes are coalesced into one `pwrite`), and how many
    /// buffers there are: at most this much of the file is waiting at a time.
    static let bufferBytes = 1 << 20
    static let buffers = 24

    /// The files being built, by full path, with the byte count past which writes fail (tests).
    private static let paths = Mutex<[String: Int]>([:])

    /// The wrapped (default) VFS and ours, made once.
    nonisolated(unsafe) private static let vfs: (base: UnsafeMutablePointer<sqlite3_vfs>, ours: UnsafeMutablePointer<sqlite3_vfs>)? = {
        guard let base = sqlite3_vfs_find(nil) else { return nil }
        let ours = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        ours.initialize(to: base.pointee)
        // Every method but xOpen is the wrapped VFS's own; they read only pAppData and mxPathname from
        // the VFS they are given, which are copied too.
        ours.pointee.pNext = nil
        ours.pointee.zName = UnsafePointer(strdup("recscope-write-behind"))
        ours.pointee.szOsFile = Int32(fileOffset) + base.pointee.szOsFile
        ours.pointee.xOpen = writeBehindOpen
        guard sqlite3_vfs_register(ours, 1) == SQLITE_OK else { return nil }
        return (base, ours)
    }()

    /// Installs the VFS (once) and gives `path` as SQLite will name it when opening it.
    private static func install(_ path: String) -> String? {
        guard let vfs else { return nil }
        let size = Int(vfs.base.pointee.mxPathname) + 1
        var out = [CChar](repeating: 0, count: size)
        guard vfs.base.pointee.xFullPathname!(vfs.base, path, Int32(size), &out) == SQLITE_OK else { return nil }
        return out.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// For a file being built, the byte count past which its writes fail; nil for any other file.
    fileprivate static func building(_ name: UnsafePointer<CChar>?) -> Int? {
        guard let name else { return nil }
        let path = String(cString: name)
        return paths.withLock { $0[path] }
    }

    /// Where the wrapped VFS's file object starts inside ours (after `Header`).
    fileprivate static let fileOffset = (MemoryLayout<Header>.stride + 15) & ~15

    fileprivate static var base: UnsafeMutablePointer<sqlite3_vfs> { vfs!.base }
}

/// The start of our file object: SQLite's base struct (its methods ours) and the write queue.
private struct Header {
    var base: sqlite3_file
    var queue: Unmanaged<WriteQueue>
}

/// The pending writes of one file and the thread that writes them, in the order they were made.
private final class WriteQueue: @unchecked Sendable {
    private let fd: Int32
    private let condition = NSCondition()
    private var queued: [(buffer: UnsafeMutableRawPointer, offset: Int64, count: Int)] = []
    private var free: [UnsafeMutableRawPointer]
    private var busy = 0
    private var failure: Int32 = 0
    private var stopping = false
    private var thread: Thread?
    /// The buffer the SQLite thread is filling (not yet queued): only that thread touches it.
    private var filling: (buffer: UnsafeMutableRawPointer, offset: Int64, count: Int)?

    /// Bytes the thread may still write before it reports a full disk (tests; else effectively unbounded).
    private var allowance: Int

    init(fd: Int32, failingAfter: Int) {
        self.fd = fd
        allowance = failingAfter
        free = (0..<WriteBehind.buffers).map { _ in
            UnsafeMutableRawPointer.allocate(byteCount: WriteBehind.bufferBytes, alignment: 4096)
        }
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "recscope write-behind"
        self.thread = thread
        thread.start()
    }

    /// Adds one write; false when an earlier write failed (errno in `failure`).
    func write(_ data: UnsafeRawPointer, count: Int, at offset: Int64) -> Bool {
        if var f = filling, f.offset + Int64(f.count) == offset, f.count + count <= WriteBehind.bufferBytes {
            (f.buffer + f.count).copyMemory(from: data, byteCount: count)
            f.count += count
            filling = f
            return true
        }
        submit()
        if count > WriteBehind.bufferBytes {
            // Larger than a buffer (never with the catalog's page size): written here, in order.
            guard drain() else { return false }
            let error = Self.writeAll(fd, data, count: count, at: offset)
            return error == 0 || fail(error)
        }
        condition.lock()
        while free.isEmpty && failure == 0 { condition.wait() }
        let ok = failure == 0
        let buffer = ok ? free.removeLast() : nil
        condition.unlock()
        guard ok, let buffer else { return false }
        buffer.copyMemory(from: data, byteCount: count)
        filling = (buffer, offset, count)
        return true
    }

    /// Waits until every write made so far is in the file; false when one failed.
    func drain() -> Bool {
        submit()
        condition.lock()
        defer { condition.unlock() }
        while busy > 0 { condition.wait() }
        return failure == 0
    }

    /// Drains, stops the thread and closes the descriptor; false when a write failed.
    func finish() -> Bool {
        let ok = drain()
        condition.lock()
        stopping = true
        condition.broadcast()
        while thread != nil { condition.wait() }
        condition.unlock()
        for buffer in free { buffer.deallocate() }
        free = []
        close(fd)
        return ok
    }

    private func submit() {
        guard let f = filling else { return }
        filling = nil
        condition.lock()
        queued.append(f)
        busy += 1
        condition.broadcast()
        condition.unlock()
    }

    private func fail(_ code: Int32) -> Bool {
        condition.lock()
        if failure == 0 { failure = code == 0 ? EIO : code }
        condition.unlock()
        return false
    }

    /// How many bytes are written between writeback starts.
    private static let writebackBytes = 64 << 20

    private func run() {
        var next = 0, written = 0
        while true {
            condition.lock()
            while next >= queued.count && !stopping { condition.wait() }
            if next >= queued.count {
                thread = nil
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = queued[next]
            next += 1
            if next == queued.count { queued.removeAll(keepingCapacity: true); next = 0 }
            let skip = failure != 0
            condition.unlock()
            allowance -= job.count
            let error = skip ? 0 : allowance < 0 ? ENOSPC : Self.writeAll(fd, job.buffer, count: job.count, at: job.offset)
            written += job.count
            if written >= Self.writebackBytes {
                // Starts the kernel's writeback of what is written so far (it returns without waiting), so
                // the fsync that ends the build finds little left to write.
                written = 0
                _ = startWriteback(fd, 0, 0, 2)  // SYNC_FILE_RANGE_WRITE
            }
            condition.lock()
            if error != 0 && failure == 0 { failure = error }
            free.append(job.buffer)
            busy -= 1
            condition.broadcast()
            condition.unlock()
        }
    }

    /// `pwrite` until all is written; 0, or the errno that stopped it.
    private static func writeAll(_ fd: Int32, _ data: UnsafeRawPointer, count: Int, at offset: Int64) -> Int32 {
        var done = 0
        while done < count {
            let n = pwrite(fd, data + done, count - done, off_t(offset) + off_t(done))
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return n < 0 ? errno : ENOSPC }
        }
        return 0
    }
}

// MARK: - The VFS and file methods

/// Linux's `sync_file_range` (not in the Glibc module): starts writeback of a range without waiting for it.
@_silgen_name("sync_file_range")
private func startWriteback(_ fd: Int32, _ offset: Int64, _ count: Int64, _ flags: UInt32) -> Int32

private func header(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<Header> {
    UnsafeMutableRawPointer(file!).assumingMemoryBound(to: Header.self)
}

private func wrapped(_ file: UnsafeMutablePointer<sqlite3_file>?) -> UnsafeMutablePointer<sqlite3_file> {
    (UnsafeMutableRawPointer(file!) + WriteBehind.fileOffset).assumingMemoryBound(to: sqlite3_file.self)
}

private func queue(_ file: UnsafeMutablePointer<sqlite3_file>?) -> WriteQueue {
    header(file).pointee.queue.takeUnretainedValue()
}

/// Waits for the pending writes, then calls the wrapped file's method.
private func drained(_ file: UnsafeMutablePointer<sqlite3_file>?, _ body: (UnsafeMutablePointer<sqlite3_file>) -> Int32) -> Int32 {
    guard queue(file).drain() else { return SQLITE_IOERR | (3 << 8) }  // SQLITE_IOERR_WRITE
    return body(wrapped(file))
}

private let writeBehindOpen: @convention(c) (UnsafeMutablePointer<sqlite3_vfs>?, UnsafePointer<CChar>?,
                                              UnsafeMutablePointer<sqlite3_file>?, Int32,
                                              UnsafeMutablePointer<Int32>?) -> Int32 = { _, name, file, flags, outFlags in
    let base = WriteBehind.base
    guard flags & SQLITE_OPEN_MAIN_DB != 0, let failingAfter = WriteBehind.building(name) else {
        // Any other file: the wrapped VFS fills the object, and its own methods serve it.
        return base.pointee.xOpen!(base, name, file, flags, outFlags)
    }
    let rc = base.pointee.xOpen!(base, name, wrapped(file), flags, outFlags)
    guard rc == SQLITE_OK else {
        file!.pointee.pMethods = nil
        return rc
    }
    let fd = open(name!, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else {
        _ = wrapped(file).pointee.pMethods?.pointee.xClose?(wrapped(file))
        file!.pointee.pMethods = nil
        return SQLITE_CANTOPEN
    }
    header(file).initialize(to: Header(base: sqlite3_file(pMethods: UnsafePointer(writeBehindMethods)),
                                       queue: Unmanaged.passRetained(WriteQueue(fd: fd, failingAfter: failingAfter))))
    return SQLITE_OK
}

private typealias File = UnsafeMutablePointer<sqlite3_file>?

nonisolated(unsafe) private let writeBehindMethods: UnsafeMutablePointer<sqlite3_io_methods> = {
    let methods = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
    var m = sqlite3_io_methods()
    m.iVersion = 3
    m.xClose = { (file: File) -> Int32 in
        let queue = header(file).pointee.queue
        let ok = queue.takeUnretainedValue().finish()
        queue.release()
        let inner = wrapped(file)
        let rc = inner.pointee.pMethods?.pointee.xClose?(inner) ?? SQLITE_OK
        return ok ? rc : SQLITE_IOERR | (3 << 8)
    }
    m.xRead = { (file: File, buffer: UnsafeMutableRawPointer?, count: Int32, offset: sqlite3_int64) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xRead!($0, buffer, count, offset) }
    }
    m.xWrite = { (file: File, data: UnsafeRawPointer?, count: Int32, offset: sqlite3_int64) -> Int32 in
        queue(file).write(data!, count: Int(count), at: offset) ? SQLITE_OK : SQLITE_IOERR | (3 << 8)
    }
    m.xTruncate = { (file: File, size: sqlite3_int64) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xTruncate!($0, size) }
    }
    m.xSync = { (file: File, flags: Int32) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xSync!($0, flags) }
    }
    m.xFileSize = { (file: File, size: UnsafeMutablePointer<sqlite3_int64>?) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xFileSize!($0, size) }
    }
    m.xLock = { (file: File, lock: Int32) -> Int32 in
        let inner = wrapped(file)
        return inner.pointee.pMethods.pointee.xLock!(inner, lock)
    }
    m.xUnlock = { (file: File, lock: Int32) -> Int32 in
        let inner = wrapped(file)
        return inner.pointee.pMethods.pointee.xUnlock!(inner, lock)
    }
    m.xCheckReservedLock = { (file: File, out: UnsafeMutablePointer<Int32>?) -> Int32 in
        let inner = wrapped(file)
        return inner.pointee.pMethods.pointee.xCheckReservedLock!(inner, out)
    }
    m.xFileControl = { (file: File, op: Int32, arg: UnsafeMutableRawPointer?) -> Int32 in
        // The size hint comes with every cache spill and only grows the file (when a chunk size is set):
        // no need to wait for the writes. Anything else might look at the file.
        if op == SQLITE_FCNTL_SIZE_HINT {
            let inner = wrapped(file)
            return inner.pointee.pMethods.pointee.xFileControl!(inner, op, arg)
        }
        return drained(file) { $0.pointee.pMethods.pointee.xFileControl!($0, op, arg) }
    }
    m.xSectorSize = { (file: File) -> Int32 in
        let inner = wrapped(file)
        return inner.pointee.pMethods.pointee.xSectorSize!(inner)
    }
    m.xDeviceCharacteristics = { (file: File) -> Int32 in
        let inner = wrapped(file)
        return inner.pointee.pMethods.pointee.xDeviceCharacteristics!(inner)
    }
    m.xShmMap = { (file: File, region: Int32, size: Int32, extend: Int32, out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xShmMap!($0, region, size, extend, out) }
    }
    m.xShmLock = { (file: File, offset: Int32, count: Int32, flags: Int32) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xShmLock!($0, offset, count, flags) }
    }
    m.xShmBarrier = { (file: File) in
        let inner = wrapped(file)
        inner.pointee.pMethods.pointee.xShmBarrier!(inner)
    }
    m.xShmUnmap = { (file: File, delete: Int32) -> Int32 in
        drained(file) { $0.pointee.pMethods.pointee.xShmUnmap!($0, delete) }
    }
    // No memory mapping of a file being written behind: SQLite then reads through xRead.
    m.xFetch = { (_: File, _: sqlite3_int64, _: Int32, out: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 in
        out?.pointee = nil
        return SQLITE_OK
    }
    m.xUnfetch = { (_: File, _: sqlite3_int64, _: UnsafeMutableRawPointer?) -> Int32 in SQLITE_OK }
    methods.initialize(to: m)
    return methods
}()
