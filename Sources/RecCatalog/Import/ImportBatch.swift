import RecCore

/// What the importer read for one item.
struct ItemInfo: Sendable {
    var title: String?
    var year: Int?
    var categories: [String] = []
    var description: String?
    /// JSON object text of the other columns, or nil.
    var attributes: String?
}

/// Everything one import read, parsed and checked, before anything touches the catalog.
///
/// Importers fill it; `CatalogWriter` writes it in one transaction. Interactions are held as columns in
/// source order; `line` keeps each one's line in its file.
struct ImportBatch {
    var format: String
    /// The files read, in order (paths and fingerprints; their bytes are not kept).
    var sources: [SourceRecord] = []

    var users = TokenInterner()
    /// JSON attributes for users declared in a user file, by user token index.
    var userAttributes: [Int32: String] = [:]
    var items = TokenInterner()
    /// Item metadata, by item token index (nil for items known only from interactions).
    var itemInfo: [Int32: ItemInfo] = [:]
    /// Whether ids are Latin-1 bytes (MovieLens 100k); otherwise UTF-8.
    var latin1Tokens = false

    var interUser: [Int32] = []
    var interItem: [Int32] = []
    var interTime: [Double] = []
    /// Rating or weight; NaN when the source had none.
    var interValue: [Double] = []
    /// Index into `eventNames`, or -1; empty when the source has no event column (4 bytes a row saved).
    var interEvent: [Int32] = []
    var eventNames = TokenInterner()
    /// Index into `sessionNames`, or -1 for a row without one; empty when the source has no session
    /// column (RecBole, MovieLens; a CSV has -1 throughout).
    var interSession: [Int32] = []
    var sessionNames = TokenInterner()
    var hasSourceSessions = false
    var interLine: [Int32] = []
    /// JSON object text of extra columns per interaction; empty when the source had none.
    var interExtra: [String?] = []

    init(format: String) { self.format = format }

    var interactionCount: Int { interUser.count }

    mutating func reserve(_ n: Int) {
        interUser.reserveCapacity(n)
        interItem.reserveCapacity(n)
        interTime.reserveCapacity(n)
        interValue.reserveCapacity(n)
        interEvent.reserveCapacity(n)
        interSession.reserveCapacity(n)
        interLine.reserveCapacity(n)
    }

    /// Appends the session and event labels (interned, -1 when absent) and the source line of one row.
    mutating func appendSessionEventAndLine(_ record: Record, session: Int?, event: Int?) throws(ImportError) {
        if let s = session, !record.isEmpty(s) {
            let f = record.fields[s]
            let (label, isNew) = sessionNames.intern(record.buffer, f.start, f.end)
            if isNew && !sessionNames.isValidUTF8(label) { throw record.error("session id is not valid UTF-8") }
            interSession.append(label)
        } else {
            interSession.append(-1)
        }
        if let e = event, !record.isEmpty(e) {
            let f = record.fields[e]
            let (name, isNew) = eventNames.intern(record.buffer, f.start, f.end)
            if isNew && !eventNames.isValidUTF8(name) { throw record.error("event is not valid UTF-8") }
            interEvent.append(name)
        } else {
            interEvent.append(-1)
        }
        interLine.append(Int32(truncatingIfNeeded: record.line))
    }

    /// The fingerprint of the whole import: format plus every source's content, in order.
    var fingerprint: String {
        var h = Fingerprint.of(Array(format.utf8))
        for s in sources { h = Fingerprint.combine(h, s.fingerprint) }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Minimal JSON text building for attribute objects (keys and values are strings or numbers).
enum JSONText {
    static func object(_ pairs: [(String, JSONValue)]) -> String? {
        if pairs.isEmpty { return nil }
        var out = "{"
        for (n, (key, value)) in pairs.enumerated() {
            if n > 0 { out += "," }
            out += quote(key)
            out += ":"
            out += value.json
        }
        return out + "}"
    }

    static func array(_ values: [String]) -> String {
        "[" + values.map(quote).joined(separator: ",") + "]"
    }

    static func quote(_ s: String) -> String { JSONEscaping.quote(s) }
}

enum JSONValue {
    case string(String)
    case number(Double)
    case strings([String])
    case numbers([Double])

    var json: String {
        switch self {
        case .string(let s): return JSONText.quote(s)
        case .number(let d): return JSONValue.format(d)
        case .strings(let a): return JSONText.array(a)
        case .numbers(let a): return "[" + a.map(JSONValue.format).joined(separator: ",") + "]"
        }
    }

    static func format(_ d: Double) -> String {
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
