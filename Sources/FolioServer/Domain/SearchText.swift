import Foundation

/// How the invoice listing's customer filters (a Folio extension) compare
/// text: the keys stored beside each invoice, and what a request's value must
/// be. Both sides go through the same function, so "what matches" is only
/// what these functions say (README, "Finding invoices by customer").
enum SearchText {
    /// The longest value a filter takes, in Unicode code points (as JSON
    /// Schema's `maxLength` counts): longer than any name or address.
    static let maximumLength = 500

    /// `customer_email`'s key — Unicode's canonical caseless match: canonical
    /// decomposition, full case folding (`ß` ≡ `ss`, `İ` ≡ `i̇`, `Σ`/`ς` ≡ `σ`),
    /// recomposed; surrounding white space trimmed. Nothing else: accents are
    /// part of an address (`josé@…` is not `jose@…`).
    static func emailKey(_ text: String) -> String {
        let trimmed = trimmingWhiteSpace(text)
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) { return trimmed.lowercased() }
        return caseFolded(trimmed).precomposedStringWithCanonicalMapping
    }

    /// `billing_name`'s key, searched for as a substring:
    /// 1. canonical decomposition (NFD), so a precomposed `é` and `e` + U+0301 are one;
    /// 2. full case folding;
    /// 3. the combining marks of Latin, Greek and Cyrillic letters removed
    ///    (`é` → `e`, `Ñ` → `n`, `ё` → `е`) — other scripts' marks are letters'
    ///    parts there (Japanese voiced marks, Indic vowel signs) and stay;
    /// 4. the Latin letters that have no decomposition folded to their base:
    ///    `ø` → `o`, `æ` → `ae`, `œ` → `oe`, `ł` → `l`, `đ`/`ð` → `d`, `ħ` → `h`,
    ///    `ŧ` → `t`, `þ` → `th` (case folding has already made `ß` `ss`);
    /// 5. format characters (zero-width space and joiners, soft hyphen, bidi
    ///    marks, BOM) removed; every run of white space one space, none at the ends;
    /// 6. recomposed (NFC), so Hangul syllables and kana stay whole.
    /// Compatibility forms (full-width letters, ligatures other than by case
    /// folding, superscripts) are not folded.
    static func nameKey(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var strippingMarks = true
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let folded = ascii ? text.lowercased() : caseFolded(text)
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                strippingMarks = true
                continue
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark:
                if strippingMarks { continue }
            case .format:
                continue
            default:
                strippingMarks = foldsMarks(scalar)
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            if let base = letterFolds[scalar] {
                out.append(contentsOf: base.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        let key = String(out)
        return ascii ? key : key.precomposedStringWithCanonicalMapping
    }

    /// Canonical decomposition, then full case folding. Swift has no case-fold
    /// mapping; lowercasing the uppercase is the same on every character
    /// whose folding differs from its lowercase (`ß`, `ſ`, `ς`, ligatures,
    /// Cherokee), and decomposing again catches what the mappings composed.
    static func caseFolded(_ text: String) -> String {
        text.decomposedStringWithCanonicalMapping.uppercased().lowercased().decomposedStringWithCanonicalMapping
    }

    /// Latin, Greek and Cyrillic letters (and the combining blocks), whose
    /// combining marks are accents to fold.
    static func foldsMarks(_ base: Unicode.Scalar) -> Bool {
        switch base.value {
        case 0...0x052F, 0x1C80...0x1C8F, 0x1D00...0x1FFF, 0x2C60...0x2C7F, 0xA640...0xA69F, 0xA720...0xA7FF, 0xAB30...0xAB6F:
            return true
        default:
            return false
        }
    }

    /// Latin letters with a stroke or a ligature: no canonical decomposition,
    /// yet a clerk types the base letter. Keys are lowercase: case folding ran first.
    static let letterFolds: [Unicode.Scalar: String] = [
        "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "þ": "th", "ı": "i",
    ]

    static func trimmingWhiteSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// A filter's value from a request, as its key; nil when the filter is
    /// absent. Refused (400): more than `maximumLength` code points, a control
    /// character other than white space (NUL included), or a value with
    /// nothing to search for once folded (empty, only spaces, accents or
    /// invisible characters) — an empty filter is a mistake to say, not
    /// "every invoice".
    static func filter(_ input: RequestInput, _ name: String, key: (String) -> String) throws -> String? {
        guard let value = try input.text(name) else { return nil }
        if value.unicodeScalars.count > maximumLength {
            throw APIError.invalidParameter(name, "at most \(maximumLength) characters")
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !$0.properties.isWhitespace }) {
            throw APIError.invalidParameter(name, "control characters are not allowed")
        }
        let folded = key(value)
        if folded.isEmpty {
            throw APIError.invalidParameter(name, "empty: nothing to search for")
        }
        return folded
    }
}
