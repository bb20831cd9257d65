#if canImport(Glibc)
import Glibc
import Testing
@testable import TUIKit

/// glibc's `wcwidth`, which the Glibc module hides without `_XOPEN_SOURCE`.
@_silgen_name("wcwidth") private func c_wcwidth(_ c: Int32) -> Int32

/// The terminal backend draws a glyph only where the C library's `wcwidth` agrees with
/// `DisplayWidth`; this checks that they agree on the scripts and emoji people actually use.
@Suite struct WcwidthAgreementTests {
    static let ranges: [(String, ClosedRange<UInt32>)] = [
        ("Latin", 0x20...0x24F), ("Greek+Cyrillic", 0x370...0x4FF), ("Hangul Jamo", 0x1100...0x115F),
        ("CJK symbols+kana", 0x3000...0x30FF), ("CJK unified", 0x4E00...0x9FFF), ("Hangul syllables", 0xAC00...0xD7A3),
        ("fullwidth forms", 0xFF01...0xFF60), ("emoji pictographs", 0x1F300...0x1F64F),
        ("transport emoji", 0x1F680...0x1F6C5), ("box drawing+blocks", 0x2500...0x259F), ("braille", 0x2800...0x28FF),
    ]

    @Test func agreesWithTheCLibraryInAUTF8Locale() throws {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { return }
        var disagreements: [String] = []
        var compared = 0
        for (name, range) in Self.ranges {
            for v in range {
                guard let s = Unicode.Scalar(v), s.properties.generalCategory != .unassigned,
                      s.properties.generalCategory != .control else { continue }
                let c = Int(c_wcwidth(Int32(v)))
                guard c >= 0 else { continue }  // unknown to this C library: drawn as `?`
                compared += 1
                if c != DisplayWidth.of(s) { disagreements.append("\(name) U+\(String(v, radix: 16)): C \(c), ours \(DisplayWidth.of(s))") }
            }
        }
        #expect(compared > 30_000)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
}
#endif
