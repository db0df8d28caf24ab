import FolioCLIOutput
import FolioCore
import Foundation

/// Decimal text and money: `Decimal(exactly:)` takes exactly the decimals
/// (checked against a hand-written reader), an amount keeps the text it
/// was sent as, a decoded amount reads the same as a string or a number,
/// and the text for people shows every digit sent.
enum MoneyTargets {
    static func money(_ b: inout FuzzBytes) throws(PropertyViolation) {
        let text = b.below(4) == 0 ? b.text(limit: 8) : b.decimalText()
        let currency = b.currency()
        let value = Decimal(exactly: text)
        try require(
            (value != nil) == Oracle.isDecimal(text), .money,
            "Decimal(exactly: \"\(text)\") is \(value.map { "\($0)" } ?? "nil")")
        if let value {
            try Checks.money(Money(value, currency, sent: text), .money)
            // An amount Folio computed: its plain text at the currency's minor digits.
            let computed = Money(value, currency)
            let minor = CurrencyInfo.of(currency).minorDigits
            try require(
                Decimal(exactly: computed.exact) == value.rounded(toPlaces: minor), .money,
                "\(value) \(currency) computed reads as \(computed.exact)")
        }

        // The same amount in an answer, as a JSON string and as a JSON number.
        for json: FuzzJSON in [.string(text), .number(text)] {
            let row: FuzzJSON = [
                "entity_id": 1, "increment_id": "1", "grand_total": json,
                "order_currency_code": .string(currency), "total_qty": json,
            ]
            let decoded = try? JSONDecoder().decode(InvoiceSummary.self, from: Data(row.bytes))
            if case .string = json {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if let value, !trimmed.isEmpty {
                    try require(
                        decoded?.grandTotal.amount == value && decoded?.totalQty == value, .money,
                        "\"\(text)\" in an answer read as \(decoded.map { "\($0.grandTotal.amount)" } ?? "an error")")
                } else if !text.isEmpty {
                    try require(decoded == nil, .money, "\"\(text)\" in an answer read as an amount")
                }
            }
            guard let decoded else { continue }
            try Checks.money(decoded.grandTotal, .money)
            try OutputTargets.checkCSV(InvoiceCSV.cells(decoded), numeric: InvoiceCSV.moneyColumns, .money)
        }
    }
}
