import Foundation

/// What a terminal is sent instead of a character outside its `Repertoire`
/// (a C locale, a vt100, a glyph the Linux console lacks): the letter without
/// its accent, a look-alike for Folio's own symbols, and `?` for the rest —
/// always as many columns as the character takes, so that columns stay
/// aligned.
public enum ASCIIFallback {
    static let lookalikes: [Character: String] = [
        "€": "E", "£": "L", "¥": "Y", "¢": "c", "ß": "s", "æ": "a", "Æ": "A", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
        "đ": "d", "Đ": "D", "ı": "i", "œ": "o", "Œ": "O", "þ": "p", "Þ": "P", "ð": "d",
        "…": "~", "·": "|", "—": "-", "–": "-", "−": "-", "×": "x", "“": "\"", "”": "\"", "‘": "'", "’": "'",
        "↑": "^", "↓": "v", "←": "<", "→": ">", "✓": "y", "✗": "!", "─": "-", "│": "|",
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "⠋": "|", "⠙": "/", "⠹": "-", "⠸": "\\", "⠼": "|", "⠴": "/", "⠦": "-", "⠧": "\\", "⠇": "|", "⠏": "/",
    ]

    /// `character` as ASCII in exactly `width` columns.
    public static func text(for character: Character, width: Int) -> String {
        if character.isASCII { return String(character) }
        if let known = lookalikes[character] { return pad(known, width) }
        // An accented Latin letter: its base letter (é → e, Ø handled above).
        let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first!
        if base.isASCII, base.properties.isAlphabetic { return pad(String(base), width) }
        return String(repeating: "?", count: max(1, width))
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
