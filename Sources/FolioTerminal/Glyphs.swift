/// The characters that draw Folio's frame: lines and arrows where the
/// terminal shows them, plain ASCII that every terminal shows elsewhere (a C
/// locale on a minimal server, a vt100).
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

extension Glyphs {
    /// Each glyph as drawn where `repertoire` shows it, its ASCII twin where
    /// not. The spinner's frames go together, so it never mixes styles.
    public init(for repertoire: Repertoire) {
        let u = Glyphs.unicode
        let a = Glyphs.ascii
        func pick(_ wide: String, _ plain: String) -> String { wide.allSatisfy(repertoire.shows) ? wide : plain }
        func pick(_ wide: Character, _ plain: Character) -> Character { repertoire.shows(wide) ? wide : plain }
        self.init(
            ellipsis: pick(u.ellipsis, a.ellipsis), horizontal: pick(u.horizontal, a.horizontal),
            vertical: pick(u.vertical, a.vertical), topLeft: pick(u.topLeft, a.topLeft), topRight: pick(u.topRight, a.topRight),
            bottomLeft: pick(u.bottomLeft, a.bottomLeft), bottomRight: pick(u.bottomRight, a.bottomRight),
            up: pick(u.up, a.up), down: pick(u.down, a.down), separator: pick(u.separator, a.separator),
            spinner: u.spinner.joined().allSatisfy(repertoire.shows) ? u.spinner : a.spinner)
    }
}
