import CNcursesw

/// How many terminal columns text takes: 2 for CJK and most emoji, 0 for
/// combining marks and zero-width joiners, 1 otherwise. Measured per
/// grapheme cluster (a flag or a family emoji is one glyph), as terminals draw.
public enum TextWidth {
    /// The columns one character (grapheme cluster) takes.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
        // C1 controls and format characters (bidi overrides and isolates, zero-width
        // spaces, a lone joiner) take no cell, so no screen ever draws them: a
        // store's text cannot reorder or hide what Folio shows.
        switch first.properties.generalCategory {
        case .control, .format: return 0
        default: break
        }
        if isRegionalIndicator(first) {
            // A flag is a pair: two columns. A lone one takes one (and is
            // drawn as its letter: terminals disagree on its width).
            let second = scalars.dropFirst().first
            return second.map(isRegionalIndicator) == true ? 2 : 1
        }
        // Emoji presentation (a VS16 or a multi-scalar emoji sequence) is two columns.
        if scalars.contains(where: { $0.value == 0xFE0F }) || (scalars.count > 1 && first.properties.isEmojiPresentation) {
            return 2
        }
        var width = 0
        for scalar in scalars {
            let w = Int(folio_wcwidth(scalar.value))
            if w > 0 { width = max(width, w) } else if w < 0 && width == 0 && scalar == first { width = Self.fallback(scalar) }
        }
        return width
    }

    /// 🇦…🇿: two of them make a flag.
    public static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(scalar.value) }

    /// The letter a regional indicator stands for (🇩 → D).
    public static func regionalLetter(_ scalar: Unicode.Scalar) -> Character? {
        guard isRegionalIndicator(scalar) else { return nil }
        return Character(Unicode.Scalar(UInt8(0x41 + scalar.value - 0x1F1E6)))
    }

    /// The columns a string takes.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// Text cut to at most `columns`, ending in `…` when cut; never splits a wide character.
    public static func truncate(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        guard of(text) > columns else { return text }
        let room = columns - of(ellipsis)
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > room { break }
            out.append(character)
            used += w
        }
        return room >= 0 ? out + ellipsis : String(ellipsis.prefix(columns))
    }

    /// Text padded with spaces to exactly `columns` (cut first when longer).
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let gap = String(repeating: " ", count: max(0, columns - of(cut)))
        return alignRight ? gap + cut : cut + gap
    }

    /// wcwidth says -1 for what the C locale does not know; guess from the block.
    static func fallback(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F:
            return 0
        default:
            return 1
        }
    }
}
