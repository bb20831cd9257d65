import RecCore

/// What an item says about itself: the fields content embeddings are made from.
public struct ItemContent: Sendable, Equatable {
    public var title: String
    public var year: Int?
    public var categories: [String]
    /// Free text (a description, a plot).
    public var text: String
    /// Other attributes as (name, value) pairs, e.g. ("director", "Jane Campion").
    public var attributes: [(String, String)]

    public init(title: String = "", year: Int? = nil, categories: [String] = [], text: String = "",
                attributes: [(String, String)] = []) {
        self.title = title
        self.year = year
        self.categories = categories
        self.text = text
        self.attributes = attributes
    }

    public static func == (a: ItemContent, b: ItemContent) -> Bool {
        a.title == b.title && a.year == b.year && a.categories == b.categories && a.text == b.text
            && a.attributes.elementsEqual(b.attributes) { $0 == $1 }
    }
}

/// Hashed TF-IDF features of item content, one block per field.
///
/// Tokens: title words, title word bigrams, title character trigrams (of `#word#`), each category, the
/// year and decade, words and bigrams of the free text, and `name=value` for short attributes (words for
/// long ones). A token is hashed (FNV-1a, 64-bit, with its field) into 2²⁰ buckets; the buckets that
/// occur become the matrix columns in order of first appearance. Within a field, an entry is
/// tf-idf = (1 + ln tf) · (ln((1 + n) / (1 + df)) + 1) (the smoothed IDF of scikit-learn), each field's
/// block of a row is L2-normalised and scaled by the field's weight, so a long title cannot drown the
/// categories. Words are lower-cased runs of letters and digits; a few English stop words are dropped
/// from words and bigrams (not from trigrams).
public struct ContentFeatures: Sendable {
    /// A field of `ItemContent` and its weight in the feature vector.
    public enum Field: Int, CaseIterable, Sendable {
        case titleWords, titleTrigrams, categories, year, text, attributes
    }

    /// Weight of each field's L2-normalised block (categories and text carry the most meaning).
    public var weights: [Field: Float] = [
        .titleWords: 0.5, .titleTrigrams: 0.35, .categories: 1.0, .year: 0.5, .text: 0.7, .attributes: 0.5,
    ]
    /// log₂ of the hash space.
    public var hashBits = 20

    public init() {}

    /// The items × features TF-IDF matrix.
    /// - Complexity: O(total text length) plus a sort of each row's distinct tokens.
    public func matrix(_ items: [ItemContent]) -> SparseMatrix {
        let mask = (UInt64(1) << UInt64(hashBits)) &- 1
        var column: [UInt64: Int32] = [:]
        // Per item, per field: bucket → raw count.
        var perItem: [[(field: Field, counts: [Int32: Int])]] = []
        perItem.reserveCapacity(items.count)
        var documentFrequency: [Int32: Int] = [:]
        for item in items {
            var fields: [(field: Field, counts: [Int32: Int])] = []
            for field in Field.allCases {
                var counts: [Int32: Int] = [:]
                for token in Self.tokens(of: item, field: field) {
                    let bucket = Self.hash(token, field: field) & mask
                    let col: Int32
                    if let existing = column[bucket] {
                        col = existing
                    } else {
                        col = Int32(column.count)
                        column[bucket] = col
                    }
                    counts[col, default: 0] += 1
                }
                for col in counts.keys { documentFrequency[col, default: 0] += 1 }
                if !counts.isEmpty { fields.append((field, counts)) }
            }
            perItem.append(fields)
        }
        let n = Double(items.count)
        var rowStart = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        for fields in perItem {
            var entries: [(Int32, Float)] = []
            for (field, counts) in fields {
                let block = counts.map { col, tf -> (Int32, Double) in
                    let idf = ((1 + n) / (1 + Double(documentFrequency[col]!))).log() + 1
                    return (col, (1 + Double(tf).log()) * idf)
                }
                let norm = block.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
                let weight = Double(weights[field] ?? 0)
                guard norm > 0, weight > 0 else { continue }
                for (col, v) in block { entries.append((col, Float(v / norm * weight))) }
            }
            // A bucket shared by two fields (a hash collision across fields) adds up.
            entries.sort { $0.0 < $1.0 }
            for (col, v) in entries {
                if let last = columns.last, columns.count > rowStart.last!, last == col {
                    values[values.count - 1] += v
                } else {
                    columns.append(col)
                    values.append(v)
                }
            }
            rowStart.append(columns.count)
        }
        return SparseMatrix(rows: items.count, cols: column.count, rowStart: rowStart, columns: columns, values: values)
    }

    static let stopWords: Set<String> = ["the", "a", "an", "of", "and", "in", "on", "to", "for", "with", "at", "by",
                                         "from", "is", "it", "its", "as", "or", "la", "le", "les", "de", "der", "die"]

    /// The tokens of one field of an item (repeats count as term frequency).
    static func tokens(of item: ItemContent, field: Field) -> [String] {
        switch field {
        case .titleWords:
            return wordsAndBigrams(words(item.title))
        case .titleTrigrams:
            var out: [String] = []
            for word in words(item.title) {
                let chars = Array("#" + word + "#")
                if chars.count < 3 { continue }
                for i in 0...(chars.count - 3) { out.append(String(chars[i..<(i + 3)])) }
            }
            return out
        case .categories:
            return item.categories.map { $0.lowercased() }
        case .year:
            guard let year = item.year else { return [] }
            return [String(year), "decade " + String(year / 10 * 10)]
        case .text:
            return wordsAndBigrams(words(item.text))
        case .attributes:
            var out: [String] = []
            for (name, value) in item.attributes {
                let key = name.lowercased()
                let w = words(value)
                if w.count <= 3 {
                    out.append(key + "=" + w.joined(separator: " "))
                } else {
                    out += w.filter { !stopWords.contains($0) }.map { key + ":" + $0 }
                }
            }
            return out
        }
    }

    /// Lower-cased runs of letters and digits.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Words without stop words, then bigrams of consecutive words (stop words kept inside bigrams).
    static func wordsAndBigrams(_ words: [String]) -> [String] {
        var out = words.filter { !stopWords.contains($0) }
        if words.count > 1 {
            for i in 0..<(words.count - 1) { out.append(words[i] + " " + words[i + 1]) }
        }
        return out
    }

    /// FNV-1a over the field number and the token's UTF-8 bytes.
    static func hash(_ token: String, field: Field) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        h = (h ^ UInt64(field.rawValue &+ 1)) &* 0x0000_0100_0000_01b3
        for byte in token.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}

extension Double {
    fileprivate func log() -> Double { _log(self) }
}

#if canImport(Glibc)
import Glibc
private func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
import Foundation
private func _log(_ x: Double) -> Double { Foundation.log(x) }
#endif
