import RecCore

/// What an import wrote.
public struct ImportSummary: Sendable, Codable {
    public var importID: Int64
    public var format: String
    public var sources: [String]
    public var usersAdded: Int
    public var itemsAdded: Int
    public var itemsUpdated: Int
    public var interactionsAdded: Int
    public var sessionsAdded: Int
    /// Wall time of the whole import.
    public var seconds: Double
    /// Wall time of each phase, in the order they ran (`recscope import --json` prints them): where an
    /// import's time goes.
    public var phases: [ImportPhase] = []
    /// True when the same content had been imported before and nothing was written.
    public var alreadyImported: Bool
}

/// One phase of an import and its wall time.
public struct ImportPhase: Sendable, Codable, Equatable {
    public var name: String
    public var seconds: Double
}

/// Times consecutive phases: each `mark` closes the phase that began at the previous one.
struct PhaseClock {
    private(set) var phases: [ImportPhase] = []
    private var last = Monotonic.now()

    mutating func mark(_ name: String) {
        let now = Monotonic.now()
        phases.append(ImportPhase(name: name, seconds: now - last))
        last = now
    }
}
