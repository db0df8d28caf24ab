/// How a cell looks: colours and attributes, as the terminal layer knows them.
/// Screens never pick colours themselves; a `Theme` maps their meaning
/// (selection, error, state.paid …) to a `Style`.
public struct Style: Sendable, Hashable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()
}

public enum Color: Sendable, Hashable {
    /// The terminal's own foreground or background.
    case `default`
    /// 0–7 the classic colours, 8–15 their bright twins, 16–255 the 256-colour cube and greys.
    case indexed(UInt8)
    /// 24-bit, used only when the terminal says it can (COLORTERM=truecolor).
    case rgb(UInt8, UInt8, UInt8)
}

public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)
}
