/// Store-supplied text made safe for a terminal: every character a terminal
/// would act on instead of showing is written as a visible escape.
///
/// A customer named `Eve\e[2K\r…` would otherwise erase and rewrite the row
/// above it, an OSC 52 sequence would set the clerk's clipboard, and a
/// right-to-left override would show `0.01` for `10.0`. What is escaped:
/// C0 controls, DEL and C1 controls (`\x1b`, `\x7f`, `\x9b`; tab, newline and
/// carriage return as `\t`, `\n`, `\r`), and the invisible characters that
/// reorder text — the bidi embeddings, overrides and isolates U+202A–202E and
/// U+2066–2069, the marks U+200E, U+200F and U+061C — plus the line and
/// paragraph separators U+2028/2029 (`\u202e`). Everything else, accents,
/// CJK and emoji included, is left as it is. A backslash is not doubled: the
/// text is for reading, and a literal `\x1b` in a name is as harmless as the
/// escape that stands for one.
public enum VisibleText {
    /// True for a scalar a terminal acts on or that reorders what follows it.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with each hidden scalar replaced by its escape; the same string
    /// when there is none (the usual case, checked first so that it costs no copy).
    public static func of(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isHidden(scalar) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: escape(scalar).unicodeScalars)
        }
        return String(out)
    }

    /// `\t`, `\n`, `\r`, `\xHH` up to U+00FF, `\uHHHH` above.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0...0xFF: return "\\x" + hex(scalar.value, digits: 2)
        default: return "\\u" + hex(scalar.value, digits: 4)
        }
    }

    public static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
