/// Model parameters as the command line spells them (`--param factors=64`), read with types and defaults.
///
/// Each model's `Configuration.init(_:)` reads the names it knows; `finish()` then refuses any name that
/// nobody read, so a typo (`factor=32`) is an error instead of a silent default.
public struct ModelParameters: Sendable {
    public let model: String
    private let values: [String: String]
    private var known: [String] = []

    public init(_ values: [String: String], model: String) {
        self.values = values
        self.model = model
    }

    public mutating func int(_ name: String, default value: Int, range: ClosedRange<Int> = 0...Int.max) throws -> Int {
        known.append(name)
        guard let text = values[name] else { return value }
        guard let v = Int(text), range.contains(v) else {
            throw ModelError.badParameter(model: model, name: name, value: text,
                                          expected: "an integer in \(range.lowerBound)...\(range.upperBound == Int.max ? "∞" : String(range.upperBound))")
        }
        return v
    }

    public mutating func float(_ name: String, default value: Float, minimum: Float = 0) throws -> Float {
        known.append(name)
        guard let text = values[name] else { return value }
        guard let v = Float(text), v.isFinite, v >= minimum else {
            throw ModelError.badParameter(model: model, name: name, value: text,
                                          expected: "a finite number ≥ \(minimum)")
        }
        return v
    }

    public mutating func seed(_ name: String = "seed", default value: UInt64 = 42) throws -> UInt64 {
        known.append(name)
        guard let text = values[name] else { return value }
        guard let v = UInt64(text) else {
            throw ModelError.badParameter(model: model, name: name, value: text, expected: "a non-negative integer seed")
        }
        return v
    }

    public mutating func choice(_ name: String, default value: String, among options: [String]) throws -> String {
        known.append(name)
        guard let text = values[name] else { return value }
        guard options.contains(text) else {
            throw ModelError.badParameter(model: model, name: name, value: text,
                                          expected: "one of \(options.joined(separator: ", "))")
        }
        return text
    }

    /// A free-form name (e.g. a catalog space), or nil when not given; an empty value is an error.
    public mutating func name(_ name: String) throws -> String? {
        known.append(name)
        guard let text = values[name] else { return nil }
        guard !text.isEmpty else {
            throw ModelError.badParameter(model: model, name: name, value: text, expected: "a non-empty name")
        }
        return text
    }

    /// The parameters named `PREFIX.name`, as `name`, for a model inside this one (`sid.beam=16`); they
    /// count as read here, and the nested parameters' own `finish()` refuses the unknown ones.
    public mutating func nested(_ prefix: String) -> ModelParameters {
        var inner: [String: String] = [:]
        for (k, v) in values where k.hasPrefix(prefix + ".") {
            known.append(k)
            inner[String(k.dropFirst(prefix.count + 1))] = v
        }
        return ModelParameters(inner, model: model + "." + prefix)
    }

    /// Whether `name` was given (it does not count as read).
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// Throws for the first (alphabetically) parameter no configuration read.
    public func finish() throws {
        for name in values.keys.sorted() where !known.contains(name) {
            throw ModelError.unknownParameter(model: model, name: name, known: known.sorted())
        }
    }
}

/// Formats a parameter value the way `ModelParameters` reads it back exactly.
func _param(_ v: Float) -> String { "\(v)" }
