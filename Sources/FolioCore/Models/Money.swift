import Foundation

/// An exact amount in a currency. Never a `Double`: amounts arrive as JSON
/// numbers or decimal strings and are decoded straight into `Decimal`.
///
/// When the server sent its own formatted text (`"€118.04"`), that is what a
/// person is shown; otherwise the amount is formatted with the currency's
/// symbol and minor digits.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public let amount: Decimal
    public let currency: String
    /// The server's own rendering, preferred for display.
    public let formatted: String?

    public init(_ amount: Decimal, _ currency: String, formatted: String? = nil) {
        self.amount = amount
        self.currency = currency
        self.formatted = formatted
    }

    public var description: String { formatted ?? Money.format(amount, currency: currency) }

    /// `€1,234.50`, `-$3.00`, `¥1,500`, `CHF 12.00`, `XYZ 1.00`.
    public static func format(_ amount: Decimal, currency code: String) -> String {
        let info = CurrencyInfo.of(code)
        let rounded = amount.rounded(toPlaces: info.minorDigits)
        let negative = rounded < 0
        let text = (negative ? -rounded : rounded).plainText(places: info.minorDigits)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let body = parts.count > 1 ? grouped + "." + parts[1] : grouped
        return (negative ? "-" : "") + info.symbol + body
    }

    /// The plain decimal text a form or a CSV wants: `1234.50`.
    public var plain: String { amount.plainText(places: CurrencyInfo.of(currency).minorDigits) }
}

/// Symbol and minor digits of the currencies a store is likely to use.
public struct CurrencyInfo: Sendable {
    public let symbol: String
    public let minorDigits: Int

    static let table: [String: CurrencyInfo] = [
        "USD": .init(symbol: "$", minorDigits: 2), "EUR": .init(symbol: "€", minorDigits: 2),
        "GBP": .init(symbol: "£", minorDigits: 2), "JPY": .init(symbol: "¥", minorDigits: 0),
        "CHF": .init(symbol: "CHF ", minorDigits: 2), "CAD": .init(symbol: "CA$", minorDigits: 2),
        "AUD": .init(symbol: "A$", minorDigits: 2), "SEK": .init(symbol: "SEK ", minorDigits: 2),
        "KRW": .init(symbol: "₩", minorDigits: 0), "CNY": .init(symbol: "CN¥", minorDigits: 2),
        "INR": .init(symbol: "₹", minorDigits: 2), "PLN": .init(symbol: "zł ", minorDigits: 2),
        "BHD": .init(symbol: "BHD ", minorDigits: 3), "KWD": .init(symbol: "KWD ", minorDigits: 3),
    ]

    public static func of(_ code: String) -> CurrencyInfo {
        table[code.uppercased()] ?? CurrencyInfo(symbol: code.isEmpty ? "" : code + " ", minorDigits: 2)
    }
}

extension Decimal {
    /// Rounded half away from zero (the way shops round) to `places` fraction digits.
    public func rounded(toPlaces places: Int) -> Decimal {
        var value = self, result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }

    /// Exactly `places` fraction digits, no exponent, no grouping: `1234.50`.
    public func plainText(places: Int) -> String {
        let rounded = self.rounded(toPlaces: places)
        var text = rounded.description
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        var parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 1 { parts.append("") }
        let fraction = String(parts[1].prefix(places)).padding(toLength: places, withPad: "0", startingAt: 0)
        let body = places > 0 ? parts[0] + "." + fraction : parts[0]
        return (negative && rounded != 0 ? "-" : "") + body
    }

    /// Parses decimal text strictly: digits with an optional sign and point, nothing else.
    public init?(exactly text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        var digits = 0, points = 0
        for (i, c) in t.enumerated() {
            if c.isASCII && c.isNumber { digits += 1 } else if c == "." { points += 1 }
            else if (c == "-" || c == "+") && i == 0 { continue } else { return nil }
        }
        guard digits > 0, points <= 1, let value = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) else {
            return nil
        }
        self = value
    }
}
