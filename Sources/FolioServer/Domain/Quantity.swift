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
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCII),
            wholeText.allSatisfy(\.isNumber), wholeText.drop(while: { $0 == "0" }).count <= 12,
            let whole = Int64(wholeText)
        else { return nil }
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
