/// What the server knows of a currency: its minor digits and symbol.
struct Currency: Sendable, Hashable {
    let code: String
    let minorDigits: Int
    let symbol: String

    static let known: [String: Currency] = [
        "USD": Currency(code: "USD", minorDigits: 2, symbol: "$"),
        "EUR": Currency(code: "EUR", minorDigits: 2, symbol: "€"),
        "GBP": Currency(code: "GBP", minorDigits: 2, symbol: "£"),
        "JPY": Currency(code: "JPY", minorDigits: 0, symbol: "¥"),
        "CHF": Currency(code: "CHF", minorDigits: 2, symbol: "CHF "),
    ]

    static func of(_ code: String) -> Currency {
        known[code] ?? Currency(code: code, minorDigits: 2, symbol: code + " ")
    }

    var scale: Int64 { (0..<minorDigits).reduce(1) { r, _ in r * 10 } }

    /// What one minor unit is in ten-thousandths of a unit: the factor that
    /// puts amounts of every currency on one scale for sorting.
    var faceFactor: Int64 { Quantity.scale / scale }
}

/// Money in integer minor units of its currency (cents, yen). Never floating point.
typealias MinorUnits = Int64

extension Currency {
    /// `12345` cents → `"123.45"`; with `fractionDigits` 4 → `"123.4500"` (Magento's style).
    func decimalText(_ amount: MinorUnits, fractionDigits: Int? = nil) -> String {
        let digits = fractionDigits ?? minorDigits
        let negative = amount < 0
        let magnitude = amount.magnitude
        let scale = UInt64(self.scale)
        let whole = magnitude / scale
        var text = String(whole)
        if digits > 0 {
            var fraction = minorDigits > 0 ? String(magnitude % scale) : ""
            fraction = String(repeating: "0", count: max(0, minorDigits - fraction.count)) + fraction
            fraction += String(repeating: "0", count: max(0, digits - fraction.count))
            text += "." + fraction.prefix(digits)
        }
        return negative ? "-" + text : text
    }

    /// `"€1,234.50"`, `"-$3.00"`, `"¥1,500"`: what a person reads.
    func formatted(_ amount: MinorUnits) -> String {
        let plain = decimalText(amount.magnitude == 0 ? 0 : Int64(amount.magnitude))
        let parts = plain.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let body = parts.count > 1 ? grouped + "." + parts[1] : grouped
        return (amount < 0 ? "-" : "") + symbol + body
    }
}

/// A quantity with four exact decimal places, stored as an integer (×10 000).
///
/// Most items are counted in whole units; items sold by length or weight
/// (`is_qty_decimal`) may be invoiced in fractions.
struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    static let scale: Int64 = 10_000
    let scaled: Int64

    init(scaled: Int64) { self.scaled = scaled }
    init(units: Int64) { self.scaled = units * Quantity.scale }

    /// Exact parse of `"2"`, `"1.5"`, `"0.25"`; at most four fraction digits, no exponent.
    init?(decimalText text: String) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCII),
              wholeText.allSatisfy(\.isNumber), wholeText.drop(while: { $0 == "0" }).count <= 12,
              let whole = Int64(wholeText) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard !f.isEmpty, f.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let trimmed = f.count > 4 ? f.dropLast(f.count - 4) : f[...]
            guard f.dropFirst(trimmed.count).allSatisfy({ $0 == "0" }) else { return nil }
            fraction = Int64(trimmed + String(repeating: "0", count: 4 - trimmed.count))!
        }
        let value = whole * Quantity.scale + fraction
        self.scaled = negative ? -value : value
    }

    var isWhole: Bool { scaled % Quantity.scale == 0 }
    static func < (a: Quantity, b: Quantity) -> Bool { a.scaled < b.scaled }

    /// `2`, `1.5`, `0.25`: the shortest exact text.
    var description: String {
        let whole = scaled / Quantity.scale
        var fraction = String((scaled % Quantity.scale).magnitude)
        if fraction == "0" { return String(whole) }
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (scaled < 0 && whole == 0 ? "-" : "") + String(whole) + "." + fraction
    }

    var json: JSON { .number(description) }
}

/// `amount × numerator / denominator`, rounded half away from zero, exactly.
func prorate(_ amount: MinorUnits, _ numerator: Int64, _ denominator: Int64) -> MinorUnits {
    precondition(denominator > 0)
    let product = amount.multipliedFullWidth(by: numerator)
    let (q, r) = denominator.dividingFullWidth(product)
    if r.magnitude * 2 >= denominator.magnitude { return q + (amount < 0 ? -1 : 1) * (numerator < 0 ? -1 : 1) }
    return q
}
