import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one field lies in the file's bytes.
struct FieldRange: Sendable {
    var start: Int
    var end: Int
    /// The field was quoted and may hold doubled quotes that need unescaping.
    var quoted: Bool
}

/// The text encoding of a source file.
enum TextEncoding: Sendable {
    /// UTF-8; invalid bytes are an error naming the line.
    case utf8
    /// ISO-8859-1 (MovieLens `u.item`): every byte is the Unicode scalar of the same value.
    case latin1
}

/// One record (row) of a delimited file, as byte ranges into the file, with its line number.
struct Record {
    let buffer: UnsafeBufferPointer<UInt8>
    let path: String
    let encoding: TextEncoding
    var fields: [FieldRange] = []
    /// 1-based line where the record starts.
    var line: Int = 0

    var count: Int { fields.count }

    func error(_ message: String) -> ImportError { ImportError(file: path, line: line, message) }

    func isEmpty(_ i: Int) -> Bool { fields[i].start == fields[i].end }

    /// The field as a String, decoded per the file's encoding, with quotes unescaped.
    func string(_ i: Int, column: String) throws(ImportError) -> String {
        let f = fields[i]
        let slice = UnsafeBufferPointer(rebasing: buffer[f.start..<f.end])
        var text: String
        switch encoding {
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for b in slice { scalars.append(Unicode.Scalar(b)) }
            text = String(scalars)
        case .utf8:
            guard let decoded = String(validating: slice, as: UTF8.self) else {
                throw error("column '\(column)' is not valid UTF-8 (expected UTF-8 text; convert the file, e.g. with iconv)")
            }
            text = decoded
        }
        // Two quote bytes in a row come before any doubled quote the (slower) text search could find.
        if f.quoted && Self.hasQuotePair(slice) && text.contains("\"\"") {
            text = text.replacingOccurrences(of: "\"\"", with: "\"")
        }
        return text
    }

    private static func hasQuotePair(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for b in bytes {
            if b == 34 && previous == 34 { return true }
            previous = b
        }
        return false
    }

    /// The field parsed as a finite number.
    func double(_ i: Int, column: String) throws(ImportError) -> Double {
        let f = fields[i]
        if let v = NumberParser.parse(buffer, f.start, f.end) { return v }
        let shown = (try? string(i, column: column)) ?? "<invalid bytes>"
        throw error("column '\(column)' expected a number, found '\(shown.prefix(40))'")
    }

    /// The field parsed as a number, nil when empty.
    func optionalDouble(_ i: Int, column: String) throws(ImportError) -> Double? {
        if isEmpty(i) { return nil }
        return try double(i, column: column)
    }
}

/// Reads delimited text (TSV, CSV with RFC 4180 quoting, pipe-separated) record by record.
enum DelimitedReader {
    /// Calls `body` for every non-blank record. `quoting` enables `"`-quoted fields (CSV).
    /// Lines end in LF or CRLF; a UTF-8 byte-order mark at the start is skipped.
    /// With `range`, reads only the records that start in it (it must start at a line start) and
    /// numbers lines from `firstLine`. Returns the number the line after the last one read would have.
    @discardableResult
    static func forEachRecord(
        in file: SourceFile, delimiter: UInt8, quoting: Bool, encoding: TextEncoding = .utf8,
        range: Range<Int>? = nil, firstLine: Int = 1,
        _ body: (inout Record) throws(ImportError) -> Void
    ) throws(ImportError) -> Int {
        try readRecords(in: file, delimiter: delimiter, quoting: quoting, encoding: encoding, range: range,
                        firstLine: firstLine, limit: .max, body).line
    }

    /// Like `forEachRecord`, but stops once `body` has had `limit` records (blank lines do not count) and
    /// also returns where reading stopped: a record start, or the end of the range.
    static func readRecords(
        in file: SourceFile, delimiter: UInt8, quoting: Bool, encoding: TextEncoding = .utf8,
        range: Range<Int>? = nil, firstLine: Int = 1, limit: Int,
        _ body: (inout Record) throws(ImportError) -> Void
    ) throws(ImportError) -> (end: Int, line: Int) {
        try file.bytes.withUnsafeBufferPointer { (buf: UnsafeBufferPointer<UInt8>) throws(ImportError) -> (end: Int, line: Int) in
            var records = 0
            var record = Record(buffer: buf, path: file.path, encoding: encoding)
            record.fields.reserveCapacity(32)
            let n = range?.upperBound ?? buf.count
            var pos = range?.lowerBound ?? 0
            if pos == 0 && n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF { pos = 3 }
            var line = firstLine
            while pos < n {
                record.fields.removeAll(keepingCapacity: true)
                record.line = line
                var fieldStart = pos
                var endOfRecord = false
                while !endOfRecord {
                    if quoting && pos < n && buf[pos] == 34 /* " */ && pos == fieldStart {
                        // Quoted field: runs to the closing quote; doubled quotes are literal quotes.
                        var p = pos + 1
                        let contentStart = p
                        var closed = false
                        while p < n {
                            let c = buf[p]
                            if c == 34 {
                                if p + 1 < n && buf[p + 1] == 34 { p += 2; continue }
                                closed = true
                                break
                            }
                            if c == 10 { line += 1 }
                            p += 1
                        }
                        if !closed {
                            throw ImportError(file: file.path, line: record.line,
                                              "unterminated quoted field (expected a closing '\"')")
                        }
                        record.fields.append(FieldRange(start: contentStart, end: p, quoted: true))
                        p += 1
                        if p >= n {
                            endOfRecord = true
                            pos = p
                        } else if buf[p] == delimiter {
                            pos = p + 1
                            fieldStart = pos
                        } else if buf[p] == 10 || buf[p] == 13 {
                            if buf[p] == 13 && p + 1 < n && buf[p + 1] == 10 { p += 1 }
                            pos = p + 1
                            line += 1
                            endOfRecord = true
                        } else {
                            throw ImportError(file: file.path, line: line,
                                              "unexpected text after a closing quote (expected a delimiter or end of line)")
                        }
                        continue
                    }
                    // Unquoted field: scan to the delimiter or the end of the line.
                    var p = pos
                    while p < n {
                        let c = buf[p]
                        if c == delimiter || c == 10 || c == 13 { break }
                        p += 1
                    }
                    record.fields.append(FieldRange(start: pos, end: p, quoted: false))
                    if p >= n {
                        pos = p
                        endOfRecord = true
                    } else if buf[p] == delimiter {
                        pos = p + 1
                        fieldStart = pos
                    } else {
                        if buf[p] == 13 && p + 1 < n && buf[p + 1] == 10 { p += 1 }
                        pos = p + 1
                        line += 1
                        endOfRecord = true
                    }
                }
                // Skip blank lines (a lone empty field).
                if record.fields.count == 1 && record.fields[0].start == record.fields[0].end
                    && !record.fields[0].quoted {
                    continue
                }
                try body(&record)
                records &+= 1
                if records == limit { break }
            }
            return (pos, line)
        }
    }
}

extension DelimitedReader {
    /// The end of the line starting at `start` (just past its LF, CRLF or lone CR) and whether a line
    /// ended there (false at the end of the bytes).
    static func endOfLine(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, ended: Bool) {
        var p = start
        while p < buf.count {
            let c = buf[p]
            if c == 10 { return (p + 1, true) }
            if c == 13 { return (p + 1 < buf.count && buf[p + 1] == 10 ? p + 2 : p + 1, true) }
            p += 1
        }
        return (p, false)
    }

    /// Line ends (LF, CRLF or lone CR, as the reader counts them) in `range`.
    static func lineEnds(_ buf: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> Int {
        var count = 0
        var p = range.lowerBound
        while p < range.upperBound {
            let c = buf[p]
            if c == 10 { count &+= 1 } else if c == 13 && !(p + 1 < buf.count && buf[p + 1] == 10) { count &+= 1 }
            p &+= 1
        }
        return count
    }
}

/// Parses decimal numbers from bytes without allocating.
enum NumberParser {
    /// A finite Double from `buf[start..<end]`, or nil when the text is not a plain number.
    @inline(__always)
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var p = start
        var e = end
        while p < e && (buf[p] == 32) { p += 1 }
        while e > p && (buf[e - 1] == 32) { e -= 1 }
        if p == e { return nil }
        var negative = false
        if buf[p] == 45 { negative = true; p += 1 } else if buf[p] == 43 { p += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDot = false
        while p < e {
            let c = buf[p]
            if c >= 48 && c <= 57 {
                if digits < 18 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    if sawDot { fractionDigits += 1 }
                } else {
                    // 18+ digits (leading zeros included) do not fit the fast path exactly.
                    return slowParse(buf, start, end)
                }
                digits += 1
                p += 1
            } else if c == 46 && !sawDot {
                sawDot = true
                p += 1
            } else if c == 101 || c == 69 {
                return slowParse(buf, start, end)
            } else {
                return nil
            }
        }
        if digits == 0 { return nil }
        // mantissa / 10^k is correctly rounded only while the mantissa is exact in a Double (< 2^53):
        // beyond it the conversion and the division each round, and 17-digit values came back 1 ulp off.
        if mantissa > 1 << 53 { return slowParse(buf, start, end) }
        var value = Double(mantissa)
        if fractionDigits > 0 { value /= pow10[fractionDigits] }
        return negative ? -value : value
    }

    private static let pow10: [Double] = (0...18).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    private static func slowParse(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var text = [CChar](repeating: 0, count: end - start + 1)
        for i in start..<end { text[i - start] = CChar(bitPattern: buf[i]) }
        return text.withUnsafeBufferPointer { tp -> Double? in
            var endPtr: UnsafeMutablePointer<CChar>?
            let v = strtod(tp.baseAddress!, &endPtr)
            guard let endPtr else { return nil }
            var rest = endPtr
            while rest.pointee == 32 { rest += 1 }
            guard rest.pointee == 0, endPtr != UnsafeMutablePointer(mutating: tp.baseAddress!) else { return nil }
            return v.isFinite ? v : nil
        }
    }
}
