/// The characters that draw Folio's frame. A UTF-8 locale gets lines and
/// arrows; anything else (a C locale on a minimal server, an old terminal)
/// gets plain ASCII that every terminal shows.
public struct Glyphs: Sendable, Equatable {
    public let ellipsis: String
    public let horizontal: Character
    public let vertical: Character
    public let topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public let up: String, down: String
    public let separator: String
    public let spinner: [String]

    public static let unicode = Glyphs(
        ellipsis: "…", horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        up: "↑", down: "↓", separator: "·",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"])

    public static let ascii = Glyphs(
        ellipsis: "~", horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        up: "^", down: "v", separator: "|",
        spinner: ["|", "/", "-", "\\"])
}
