import Foundation

/// One free attribute of an item or user (a column of the source the catalog has no place for), as text.
public struct Attribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The one reader of the JSON the importers write into `items.categories` and the `attributes` columns.
enum ItemFields {
    /// The names in a JSON array of strings (the `categories` column); empty when it is not one.
    static func categories(_ json: String?) -> [String] {
        guard let json else { return [] }
        if !json.utf8.contains(UInt8(ascii: "\\")), json.utf8.first == UInt8(ascii: "["), json.utf8.last == UInt8(ascii: "]") {
            // What the importer writes for plain names: ["a","b"] without escapes; the quoted parts are the
            // names, read off the bytes (every item's categories are read when the explorer opens).
            let names = json.utf8.withContiguousStorageIfAvailable { bytes -> [String] in
                var names: [String] = []
                var open: Int?
                for i in bytes.indices where bytes[i] == UInt8(ascii: "\"") {
                    if let start = open {
                        names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<i]), as: UTF8.self))
                        open = nil
                    } else {
                        open = i
                    }
                }
                if let start = open {
                    names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)...]), as: UTF8.self))
                }
                return names
            }
            return names ?? json.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }

    /// The members of a JSON object (an `attributes` column) as text, sorted by name: strings as they are,
    /// numbers as written, arrays (`token_seq`, `float_seq` columns) joined with ", ", objects as JSON text;
    /// nulls are left out. Empty when the text is not a JSON object.
    static func attributes(_ json: String?) -> [Attribute] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return []
        }
        return object.keys.sorted().compactMap { name in text(object[name]!).map { Attribute(name, $0) } }
    }

    private static func text(_ value: Any) -> String? {
        switch value {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        case let a as [Any]: return a.compactMap(text).joined(separator: ", ")
        case is NSNull: return nil
        default:
            guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
