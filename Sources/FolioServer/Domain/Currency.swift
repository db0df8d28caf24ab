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

    /// ISO 4217's currencies whose minor digits are not 2 (the client
    /// previews refunds in the same minor units, so both sides must agree).
    static let isoDigits: [String: Int] = {
        var table: [String: Int] = [:]
        for (places, codes) in [
            (0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"), (3, "BHD IQD JOD KWD LYD OMR TND"),
            (4, "CLF UYW"),
        ] {
            for code in codes.split(separator: " ") { table[String(code)] = places }
        }
        return table
    }()

    static func of(_ code: String) -> Currency {
        known[code] ?? Currency(code: code, minorDigits: isoDigits[code.uppercased()] ?? 2, symbol: code + " ")
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
