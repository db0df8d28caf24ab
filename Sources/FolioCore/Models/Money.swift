import Foundation

/// An exact amount in a currency. Never a `Double`: amounts arrive as JSON
/// numbers or decimal strings and are decoded straight into `Decimal`.
///
/// An amount decoded from a store keeps the text the store sent (`exact`):
/// scripts get `"123.4500"` back as `123.4500` and `"25.8123"` as `25.8123`,
/// since Folio cannot know which digits the store's books rely on. For people,
/// when the server sent its own formatted text (`"€118.04"`) that is shown;
/// otherwise the amount is formatted with the currency's ISO 4217 minor
/// digits, widened so that no digit the store sent is rounded away.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public let amount: Decimal
    public let currency: String
    /// The server's own rendering, preferred for display.
    public let formatted: String?
    /// The decimal text as the store sent it (trimmed, without a leading `+`);
    /// nil for an amount Folio computed.
    public let sent: String?

    public init(_ amount: Decimal, _ currency: String, formatted: String? = nil, sent: String? = nil) {
        self.amount = amount
        self.currency = currency
        self.formatted = formatted
        self.sent = sent.map(Money.tidy)
    }

    /// Equal amounts in one currency with the same server text; `123.45` and
    /// `123.4500` are the same money, so the sent spelling is not compared.
    public static func == (a: Money, b: Money) -> Bool {
        a.amount == b.amount && a.currency == b.currency && a.formatted == b.formatted
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(amount)
        hasher.combine(currency)
        hasher.combine(formatted)
    }

    public var description: String {
        formatted ?? Money.format(amount, currency: currency, places: Money.places(amount, currency: currency, sent: sent))
    }

    /// The amount for scripts (JSON, CSV): what the store sent, digit for digit;
    /// for a computed amount, its plain text at the currency's minor digits.
    public var exact: String { sent ?? plain }

    /// `€1,234.50`, `-$3.00`, `¥1,500`, `CHF 12.00`, `XYZ 1.00`.
    public static func format(_ amount: Decimal, currency code: String, places: Int? = nil) -> String {
        let info = CurrencyInfo.of(code)
        let places = places ?? info.minorDigits
        let rounded = amount.rounded(toPlaces: places)
        let negative = rounded < 0
        let text = (negative ? -rounded : rounded).plainText(places: places)
        let parts = text.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        grouped = whole + grouped
        let body = parts.count > 1 ? grouped + "." + parts[1] : grouped
        return (negative ? "-" : "") + info.symbol + body
    }

    /// Fraction digits to show: the currency's minor digits, or more when the
    /// store sent more significant ones (`25.8123` USD shows as `$25.8123`,
    /// `123.4500` as `$123.45`). For a currency Folio does not know, the
    /// digits exactly as sent (`XYZ 123.4500`), since its minor unit is unknown.
    static func places(_ amount: Decimal, currency: String, sent: String?) -> Int {
        let info = CurrencyInfo.of(currency)
        guard let sent else { return info.minorDigits }
        // Empty pieces kept: `.8819` (no leading zero) has the fraction 8819, not none.
        let fraction =
            sent.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first
            .map(String.init) ?? ""
        let significant = fraction.reversed().drop { $0 == "0" }.count
        return info.isKnown ? max(info.minorDigits, significant) : max(fraction.count, significant)
    }

    /// The plain decimal text a form wants, at the currency's minor digits: `1234.50`.
    public var plain: String { amount.plainText(places: CurrencyInfo.of(currency).minorDigits) }

    static func tidy(_ text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        return t.hasPrefix("+") ? String(t.dropFirst()) : t
    }
}

/// Symbol and ISO 4217 minor digits of a currency.
public struct CurrencyInfo: Sendable {
    public let symbol: String
    public let minorDigits: Int
    /// False for a code outside ISO 4217's active list: its minor digits are a guess (2).
    public let isKnown: Bool

    static let symbols: [String: String] = [
        "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "KRW": "₩", "CNY": "CN¥",
        "INR": "₹", "PLN": "zł ",
    ]

    /// ISO 4217's active codes by minor digits; every code not listed under 0, 3 or 4 has 2.
    static let digits: [String: Int] = {
        var table: [String: Int] = [:]
        let groups: [(Int, String)] = [
            (0, "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"),
            (3, "BHD IQD JOD KWD LYD OMR TND"),
            (4, "CLF UYW"),
            (
                2,
                """
                AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN                 BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP                 GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP                 LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR                 NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN                 SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR                 ZMW ZWG
                """
            ),
        ]
        for (places, codes) in groups {
            for code in codes.split(separator: " ") { table[String(code)] = places }
        }
        return table
    }()

    public static func of(_ code: String) -> CurrencyInfo {
        let upper = code.uppercased()
        let symbol = symbols[upper] ?? (code.isEmpty ? "" : code + " ")
        guard let places = digits[upper] else { return CurrencyInfo(symbol: symbol, minorDigits: 2, isKnown: false) }
        return CurrencyInfo(symbol: symbol, minorDigits: places, isKnown: true)
    }
}

extension Decimal {
    /// Rounded half away from zero (the way shops round) to `places` fraction digits.
    public func rounded(toPlaces places: Int) -> Decimal {
        var value = self
        var result = Decimal()
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
        var digits = 0
        var points = 0
        for (i, c) in t.enumerated() {
            if c.isASCII && c.isNumber {
                digits += 1
            } else if c == "." {
                points += 1
            } else if (c == "-" || c == "+") && i == 0 {
                continue
            } else {
                return nil
            }
        }
        guard digits > 0, points <= 1, let value = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")) else {
            return nil
        }
        self = value
    }
}
