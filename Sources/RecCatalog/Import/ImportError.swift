/// Why an import was refused. Every case names the file and, where there is one, the line.
public struct ImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    /// 1-based line number in `file`, or nil when the problem is with the file as a whole.
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
