// recscope-fuzz: feeds bytes to one importer parser (see `SourceParser`).
//
// Built with `-sanitize=fuzzer,address`, libFuzzer's driver runs: `recscope-fuzz PARSER [libFuzzer flags]
// [CORPUS…]`. In a normal build it replays files instead: `recscope-fuzz PARSER FILE…` prints each file's
// outcome (rows read, or the import error), which is how a crash input is checked after a fix.
import CFuzzDriver
import RecCatalog
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var fuzzedParser = SourceParser.recboleInter

/// libFuzzer's entry point: every input must come back (parsed or refused with an `ImportError`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let summary = try fuzzedParser.parse(bytes)
        precondition(summary.interactions >= 0 && summary.users >= 0 && summary.items >= 0)
    } catch {
        precondition(error.line.map { $0 >= 1 } ?? true, "an import error names line \(error.line!)")
    }
    return 0
}

func usage() -> Never {
    let names = SourceParser.allCases.map(\.rawValue).joined(separator: ", ")
    FileSystem.printError("usage: recscope-fuzz PARSER [libFuzzer flags | FILE…]\nparsers: \(names)")
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let parser = SourceParser(rawValue: arguments[1]) else { usage() }
fuzzedParser = parser
let rest = [arguments[0]] + arguments.dropFirst(2)

if rs_fuzz_driver_available() != 0 {
    var argc = CInt(rest.count)
    var cArgs: [UnsafeMutablePointer<CChar>?] = rest.map { strdup($0) } + [nil]
    let status = cArgs.withUnsafeMutableBufferPointer { buffer -> CInt in
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return rs_fuzz_run_driver(&argc, &argv) { fuzzOneInput($0, $1) }
    }
    exit(status)
}

// Replay: run each file through the parser, as the corpus regression tests do.
for path in rest.dropFirst() {
    guard let handle = fopen(path, "rb") else { FileSystem.printError("\(path): cannot open"); exit(1) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, handle)
        bytes += chunk[0..<n]
        if n < chunk.count { break }
    }
    fclose(handle)
    do {
        let s = try parser.parse(bytes)
        print("\(path): ok, \(s.users) users, \(s.items) items, \(s.interactions) interactions")
    } catch {
        print("\(path): refused: \(error)")
    }
}
