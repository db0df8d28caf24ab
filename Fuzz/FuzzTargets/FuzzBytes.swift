/// The fuzzer's bytes read as a stream of decisions. Every read takes what
/// it needs from the front and reads zeros once the bytes run out, so that
/// any input is a complete run and a shorter input makes a simpler one.
struct FuzzBytes {
    private var bytes: ArraySlice<UInt8>

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 { self.bytes = ArraySlice(bytes) }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// 0 ..< n (n ≥ 1), from one byte when n ≤ 256, else two.
    mutating func below(_ n: Int) -> Int {
        precondition(n >= 1)
        if n <= 256 { return Int(byte()) % n }
        return (Int(byte()) << 8 | Int(byte())) % n
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    mutating func uint64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    /// What is left, taken whole.
    mutating func rest() -> [UInt8] {
        defer { bytes = [] }
        return Array(bytes)
    }

    // MARK: Text

    /// Characters chosen to reach the corners of text handling: controls,
    /// bidi marks, combining marks, wide and astral characters, JSON's and
    /// CSV's own punctuation, the marker's pieces, and any scalar at all.
    static let hostile: [String] = [
        "\u{0}", "\u{1}", "\u{7}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{1B}", "\u{1B}[2K", "\u{1B}]52;c;",
        "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{A0}", "\u{AD}", "\u{61C}", "\u{200B}", "\u{200D}",
        "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{FEFF}",
        "\u{FFFD}", "\u{301}", "\u{20DD}", "é", "e\u{301}", "ß", "ﬀ", "İ", "ı", "日本", "💶", "👍🏽", "🇫🇷", "\u{1F1FA}",
        "\"", "\\", "/", ",", ";", "'", "=", "+", "-", "@", "[", "]", "{", "}", ":", ".", "0", "1", "9", " ", "  ",
        "[folio-op ", "[folio-op", "(folio-op", "7K3M-9QX2-H4TD-ZP1R", "0000000000000000", "\\u0000", "\\ud800",
        "=HYPERLINK(\"x\")", "-25.00", "+1", "@SUM(A1)", "null", "true", "1e400", "<html>",
    ]

    /// Text of up to `limit` pieces: printable ASCII, hostile pieces, or any scalar.
    mutating func text(limit: Int = 24) -> String {
        var out = ""
        for _ in 0..<below(limit + 1) {
            let kind = byte()
            switch kind % 4 {
            case 0, 1: out.unicodeScalars.append(Unicode.Scalar(0x20 + byte() % 0x5F))
            case 2: out += pick(Self.hostile)
            default:
                let value = UInt32(byte()) << 16 | UInt32(byte()) << 8 | UInt32(byte())
                out.unicodeScalars.append(Unicode.Scalar(value % 0x110000) ?? "\u{FFFD}")
            }
        }
        return out
    }

    /// Decimal text as stores write it, and as they should not: signs,
    /// blanks, leading zeros, long fractions, exponents, stray characters.
    mutating func decimalText() -> String {
        var out = pick(["", "", "", "-", "+", " ", "-0", " -", "+-", "--"])
        let whole = below(4) == 0 ? below(60) : below(8)
        for index in 0..<whole { out.append(Character(String(index == 0 && bool() ? 0 : byte() % 10))) }
        switch below(6) {
        case 0: break
        case 1: out += "."
        default:
            out += "."
            let fraction = below(3) == 0 ? below(60) : below(6)
            for _ in 0..<fraction { out.append(Character(String(byte() % 10))) }
        }
        switch below(12) {
        case 0: out += pick(["e", "E", "e+", "e-"]) + String(below(400))
        case 1: out += pick(Self.hostile)
        case 2: out += " "
        default: break
        }
        return out
    }

    /// A currency code: known ones with 0, 2, 3 and 4 minor digits, unknown ones, or anything.
    mutating func currency() -> String {
        switch below(8) {
        case 0: return text(limit: 4)
        case 1: return ""
        default: return pick(["USD", "EUR", "JPY", "KWD", "CLF", "XYZ", "usd", "BHD", "GBP", "ISK", "PLN", "ZWG"])
        }
    }
}

/// A generator that plays back the fuzzer's bytes, for what Folio draws from randomness.
struct ReplayedRandom: RandomNumberGenerator {
    var bytes: FuzzBytes
    mutating func next() -> UInt64 { bytes.uint64() }
}
