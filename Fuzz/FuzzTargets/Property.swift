import Foundation

/// A property the code under test broke, with the input that broke it.
public struct PropertyViolation: Error, CustomStringConvertible {
    public let target: String
    public let what: String
    public var description: String { "\(target): \(what)" }
}

/// Throws when `holds` is false. The message is built only then.
func require(_ holds: Bool, _ target: FuzzTarget, _ what: @autoclosure () -> String) throws(PropertyViolation) {
    if !holds { throw PropertyViolation(target: "\(target)", what: what()) }
}

/// Checks written without Folio's code, so that a check cannot share a bug
/// with what it checks.
enum Oracle {
    /// The scalars Folio promises never to print raw: C0, DEL, C1, the bidi
    /// embeddings, overrides, isolates and marks, and the line and paragraph separators.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C || v == 0x2028 || v == 0x2029
    }

    /// Whether `text` is a decimal as Folio accepts one: blanks (Foundation's `.whitespaces`) around, an
    /// optional sign, digits with at most one point, at least one digit.
    static func isDecimal(_ text: String) -> Bool {
        func blank(_ s: Unicode.Scalar?) -> Bool { s.map(CharacterSet.whitespaces.contains) ?? false }
        var scalars = Substring(text).unicodeScalars[...]
        while blank(scalars.first) { scalars.removeFirst() }
        while blank(scalars.last) { scalars.removeLast() }
        if scalars.first == "+" || scalars.first == "-" { scalars.removeFirst() }
        var digits = 0
        var points = 0
        for s in scalars {
            if ("0"..."9").contains(s) { digits += 1 } else if s == "." { points += 1 } else { return false }
        }
        return digits > 0 && points <= 1
    }

    /// A spreadsheet's plain number: optional minus, digits, at most one point,
    /// a digit on at least one side of it (`-.5` and `5.` are numbers to a sheet).
    static func isPlainNumber(_ text: String) -> Bool {
        // A decimal without the blanks or the plus sign that `isDecimal` allows.
        !text.hasPrefix("+") && !text.unicodeScalars.contains(where: CharacterSet.whitespaces.contains) && isDecimal(text)
    }

    /// One CSV record (RFC 4180) split into its cells; nil if it is not one.
    static func csvCells(_ record: String) -> [String]? {
        var cells: [String] = []
        var cell = String.UnicodeScalarView()
        var scalars = Array(record.unicodeScalars)[...]
        var quoted = false
        var wasQuoted = false
        while let s = scalars.popFirst() {
            if quoted {
                if s == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        cell.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(s)
                }
            } else if s == "," {
                cells.append(String(cell))
                cell = .init()
                wasQuoted = false
            } else if s == "\"" {
                guard cell.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            } else {
                guard !wasQuoted, s != "\n", s != "\r" else { return nil }
                cell.append(s)
            }
        }
        guard !quoted else { return nil }
        cells.append(String(cell))
        return cells
    }

    /// The reference a comment names by the marker rule, read by hand:
    /// after leading spaces, `[folio-op `, then up to the first `]` a
    /// reference in any case, with dashes and spaces anywhere.
    static func markedReference(_ comment: String) -> String? {
        var text = Substring(comment)
        while text.first == " " { text.removeFirst() }
        guard text.starts(with: "[folio-op ") else { return nil }
        text.removeFirst(10)
        guard let end = text.firstIndex(of: "]") else { return nil }
        let plain = String(text[..<end]).uppercased().filter { $0 != "-" && $0 != " " }
        guard plain.count == 16, plain.allSatisfy({ "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) }) else { return nil }
        let characters = Array(plain)
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// Whether `haystack`'s UTF-8 holds `needle`'s: a secret is leaked by its
    /// bytes, whatever characters they are drawn as.
    static func bytes(of haystack: String, contain needle: String) -> Bool {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        guard !n.isEmpty, h.count >= n.count else { return false }
        for start in 0...(h.count - n.count) where h[start] == n[0] && Array(h[start..<(start + n.count)]) == n {
            return true
        }
        return false
    }

    /// Strings compared scalar by scalar (`==` on String would equate `é` and `e` + U+0301).
    static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let a?, let b?): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        default: return false
        }
    }
}
