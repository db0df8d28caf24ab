/// The characters a terminal can be trusted to show, decided once at start
/// from the locale and the terminal type.
///
/// The locale says what bytes mean; TERM says what is on the other end. A
/// UTF-8 locale on a vt100 still reaches a terminal that never had Unicode,
/// and the Linux console has lines and Latin-1 in its font but no CJK,
/// braille or ellipsis. A character outside the repertoire is sent as an
/// ASCII look-alike (`ASCIIFallback`) in its own columns, and Folio's own
/// glyphs are picked from what the repertoire shows (`Glyphs(for:)`).
///
/// To force plain ASCII on a terminal that claims more than it shows, run
/// Folio in the C locale: `LC_ALL=C folio`.
public enum Repertoire: Sendable {
    /// Everything: a UTF-8 locale on a Unicode terminal (xterm, tmux, screen…).
    case unicode
    /// The Linux console: Latin-1, box lines and arrows, what its fonts carry.
    case console
    /// Seven-bit ASCII: a non-UTF-8 locale, or a pre-Unicode terminal type.
    case ascii

    /// `codeset` is the locale's (`nl_langinfo(CODESET)`), `term` the
    /// terminal type in use (after any terminfo fallback).
    public static func detect(codeset: String, term: String) -> Repertoire {
        guard codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8" else { return .ascii }
        let name = term.lowercased()
        // vt52…vt520 (not vte, GNOME's Unicode terminal), ansi, dumb.
        let preUnicode =
            (name.hasPrefix("vt") && name.dropFirst(2).first?.isNumber == true)
            || name.hasPrefix("ansi") || name.hasPrefix("dumb")
        if preUnicode { return .ascii }
        if name.hasPrefix("linux") || name.hasSuffix(".linux") { return .console }
        return .unicode
    }

    /// Whether `character` reaches the glass as itself.
    public func shows(_ character: Character) -> Bool {
        switch self {
        case .unicode: return true
        case .ascii: return character.isASCII
        case .console:
            return character.unicodeScalars.allSatisfy { scalar in
                scalar.value <= 0xFF || (0x2500...0x257F).contains(scalar.value) || (0x2190...0x2193).contains(scalar.value)
            }
        }
    }
}
