#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines, fields and numbers of a run file, read in place from its bytes.
extension _Parser {
    /// Start and end of each field of a line (no quotes: TREC and TSV; `delimiter` nil splits on runs of blanks).
    static func split(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, delimiter: UInt8?, into fields: inout [(Int, Int)]) {
        fields.removeAll(keepingCapacity: true)
        var p = start
        if let delimiter {
            var fieldStart = p
            while p < end {
                if b[p] == delimiter { fields.append((fieldStart, p)); fieldStart = p + 1 }
                p += 1
            }
            fields.append((fieldStart, end))
        } else {
            while p < end {
                while p < end && (b[p] == 32 || b[p] == 9) { p += 1 }
                guard p < end else { break }
                let s = p
                while p < end && b[p] != 32 && b[p] != 9 { p += 1 }
                fields.append((s, p))
            }
        }
    }

    /// CSV fields with RFC 4180 quotes; a quote left open at the line's end is an error. Unquoted fields are
    /// ranges of the line; quoted ones are copied out (`quoted[n]` is set).
    static func splitCSV(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into fields: inout [(Int, Int)],
                         quoted: inout [String?]) -> Bool {
        fields.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        var p = start
        while true {
            if p < end && b[p] == 34 {
                var text: [UInt8] = []
                p += 1
                var closed = false
                while p < end {
                    if b[p] == 34 {
                        if p + 1 < end && b[p + 1] == 34 { text.append(34); p += 2; continue }
                        closed = true
                        p += 1
                        break
                    }
                    text.append(b[p])
                    p += 1
                }
                guard closed, p == end || b[p] == 44 else { return false }
                fields.append((p, p))
                quoted.append(String(decoding: text, as: UTF8.self))
            } else {
                let s = p
                while p < end && b[p] != 44 { p += 1 }
                fields.append((s, p))
                quoted.append(nil)
            }
            if p >= end { return true }
            p += 1  // the comma
        }
    }

    func text(_ f: (Int, Int)) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[f.0..<f.1]), as: UTF8.self)
    }

    /// The bytes of a field without surrounding blanks (and a CR at the end of a CRLF line).
    func trimmed(_ f: (Int, Int)) -> (Int, Int) {
        var (s, e) = f
        while s < e && (bytes[s] == 32 || bytes[s] == 9 || bytes[s] == 13) { s += 1 }
        while e > s && (bytes[e - 1] == 32 || bytes[e - 1] == 9 || bytes[e - 1] == 13) { e -= 1 }
        return (s, e)
    }

    func number(_ f: (Int, Int)) -> Double? {
        let (s, e) = trimmed(f)
        guard s < e else { return nil }
        var end: UnsafeMutablePointer<CChar>?
        let start = UnsafeRawPointer(bytes.baseAddress! + s).assumingMemoryBound(to: CChar.self)
        let v = strtod(start, &end)
        guard let end, start.distance(to: UnsafePointer(end)) == e - s, v.isFinite else { return nil }
        return v
    }

    func integer(_ f: (Int, Int)) -> Int? {
        let (s, e) = trimmed(f)
        guard s < e, e - s <= 18 else { return nil }
        var v = 0
        for p in s..<e {
            let d = Int(bytes[p]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// The lines as (start, end, number), blank lines skipped, a trailing CR not included.
    static func lineRanges(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int, Int) throws -> Void) rethrows {
        var p = 0, line = 0
        let n = bytes.count
        while p < n {
            line += 1
            var e = p
            while e < n && bytes[e] != 10 { e += 1 }
            var end = e
            if end > p && bytes[end - 1] == 13 { end -= 1 }
            var blank = true
            for q in p..<end where bytes[q] != 32 && bytes[q] != 9 { blank = false; break }
            if !blank { try body(p, end, line) }
            p = e + 1
        }
    }

    func firstLine() -> (Int, Int)? {
        var first: (Int, Int)?
        Self.lineRanges(bytes) { s, e, _ in if first == nil { first = (s, e) } }
        return first
    }
}
