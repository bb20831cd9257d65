/// One of the eight ANSI colours, or the terminal's own default.
public enum Color: UInt8, Hashable, Sendable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
}

/// Text attributes a terminal can show without colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let reverse = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let dim = Attributes(rawValue: 1 << 3)
}

/// How a cell looks: foreground and background from a small palette, plus attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()
    public static let bold = Style(attributes: .bold)
    public static let dim = Style(attributes: .dim)
    public static let reverse = Style(attributes: .reverse)
    public static let underline = Style(attributes: .underline)

    public func with(_ extra: Attributes) -> Style {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    public func foreground(_ color: Color) -> Style {
        var s = self
        s.foreground = color
        return s
    }

    public func background(_ color: Color) -> Style {
        var s = self
        s.background = color
        return s
    }

    /// The same style for a terminal without colours (or with NO_COLOR): a coloured background
    /// becomes reverse video so highlighted rows stay visible; foreground colours are dropped.
    public var monochrome: Style {
        var s = Style(attributes: attributes)
        if background != .default { s.attributes.insert(.reverse) }
        return s
    }
}

/// The explorer's palette, in one place so panes agree.
public enum Theme {
    public static let selected = Style(foreground: .black, background: .cyan)
    public static let selectedUnfocused = Style(attributes: .reverse)
    public static let header = Style(foreground: .yellow, attributes: .bold)
    public static let title = Style(foreground: .cyan, attributes: .bold)
    public static let border = Style(foreground: .blue)
    public static let statusBar = Style(foreground: .black, background: .white)
    public static let accent = Style(foreground: .green)
    public static let muted = Style(attributes: .dim)
    public static let warning = Style(foreground: .red, attributes: .bold)
}
