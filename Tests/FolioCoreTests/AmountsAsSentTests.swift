import Foundation
import Testing

@testable import FolioCore

/// Amounts keep the store's own digits for scripts, and are shown to people
/// with each currency's ISO 4217 minor digits, never rounding a sent digit away.
@Suite struct AmountsAsSentTests {
    /// A listed invoice whose grand total is `total` (a JSON fragment) in `currency`.
    func summary(_ total: String, _ currency: String) throws -> InvoiceSummary {
        let json = """
            {"entity_id": 1, "increment_id": "100000001", "state": 2, "grand_total": \(total),
             "base_grand_total": \(total), "order_currency_code": "\(currency)", "base_currency_code": "\(currency)"}
            """
        return try JSONDecoder().decode(InvoiceSummary.self, from: Data(json.utf8))
    }

    @Test func scriptsGetTheDigitsTheStoreSent() throws {
        #expect(try summary(#""25.8123""#, "USD").grandTotal.exact == "25.8123")
        #expect(try summary(#""123.4500""#, "USD").grandTotal.exact == "123.4500", "trailing zeros are the store's too")
        #expect(try summary(#"" 7.50 ""#, "EUR").grandTotal.exact == "7.50", "surrounding blanks are not part of the number")
        #expect(try summary(#""+5.00""#, "EUR").grandTotal.exact == "5.00", "no leading +, which a spreadsheet runs as a formula")
        #expect(try summary("25.8123", "USD").grandTotal.exact == "25.8123", "a JSON number keeps its digits")
        #expect(try summary(#""-0.0100""#, "USD").grandTotal.exact == "-0.0100")
        #expect(Money(Decimal(string: "0.125")!, "USD").exact == "0.13", "an amount Folio computed: the currency's digits")
    }

    @Test func peopleSeeMinorDigitsButNoSentDigitIsRoundedAway() throws {
        #expect(try summary(#""123.4500""#, "USD").grandTotal.description == "$123.45")
        #expect(try summary(#""25.8123""#, "USD").grandTotal.description == "$25.8123", "not $25.81")
        #expect(try summary(#""12.5000""#, "KWD").grandTotal.description == "KWD 12.500", "three minor digits")
        #expect(try summary(#""1.2345""#, "BHD").grandTotal.description == "BHD 1.2345")
        #expect(try summary(#""7.0000""#, "OMR").grandTotal.description == "OMR 7.000")
        #expect(try summary(#""0.1000""#, "JOD").grandTotal.description == "JOD 0.100")
        #expect(try summary(#""2030.0000""#, "JPY").grandTotal.description == "¥2,030", "no minor digits")
        #expect(try summary(#""1500.5""#, "JPY").grandTotal.description == "¥1,500.5", "but not rounded to ¥1,501")
        #expect(try summary(#""99000""#, "KRW").grandTotal.description == "₩99,000")
        #expect(try summary(#""4990.0000""#, "CLP").grandTotal.description == "CLP 4,990")
        #expect(try summary(#""120.0000""#, "ISK").grandTotal.description == "ISK 120")
        #expect(try summary(#""-3.1""#, "EUR").grandTotal.description == "-€3.10")
        #expect(
            try summary(#""123.4500""#, "XYZ").grandTotal.description == "XYZ 123.4500",
            "an unknown currency shows the digits as sent")
        #expect(try summary(#""12.5""#, "XYZ").grandTotal.description == "XYZ 12.5")
    }

    /// A fuzz run found it: `".8819"` has no digit before the point, and the
    /// split that found the fraction dropped the empty whole part, taking the
    /// fraction for the whole — `zł 0.88` was shown for 0.8819.
    @Test func anAmountWithoutALeadingZeroKeepsItsDigits() throws {
        #expect(try summary(#"".8819""#, "PLN").grandTotal.description == "zł 0.8819")
        #expect(try summary(#""-.5""#, "JPY").grandTotal.description == "-¥0.5")
        #expect(try summary(#"".10""#, "XYZ").grandTotal.description == "XYZ 0.10")
        #expect(try summary(#""5.""#, "USD").grandTotal.description == "$5.00")
    }

    @Test func theSpellingIsNotPartOfTheAmount() throws {
        let sent = try summary(#""123.4500""#, "USD").grandTotal
        #expect(sent == Money(Decimal(string: "123.45")!, "USD"))
        #expect(Set([sent, Money(Decimal(string: "123.45")!, "USD")]).count == 1)
    }

    @Test func iso4217MinorDigits() {
        for code in ["KWD", "BHD", "OMR", "JOD", "TND", "IQD", "LYD"] { #expect(CurrencyInfo.of(code).minorDigits == 3, "\(code)") }
        for code in ["JPY", "KRW", "CLP", "ISK", "VND", "XOF", "XAF", "PYG", "UGX"] {
            #expect(CurrencyInfo.of(code).minorDigits == 0, "\(code)")
        }
        #expect(CurrencyInfo.of("CLF").minorDigits == 4)
        #expect(CurrencyInfo.of("usd").minorDigits == 2 && CurrencyInfo.of("usd").isKnown)
        #expect(!CurrencyInfo.of("XYZ").isKnown && !CurrencyInfo.of("").isKnown)
    }

    @Test func everyAmountOfAnInvoiceDetailAndAnOrderKeepsItsText() throws {
        let detail = try InvoiceDetail.decodeAdmin(
            Data(
                DecodingTests.admin.replacingOccurrences(
                    of: #""price": 29.49"#, with: #""price": "29.4900""#
                ).utf8))
        #expect(detail.items.first?.price?.exact == "29.4900")
        #expect(detail.totals.grandTotal?.exact == "118.04" && detail.totals.grandTotal?.description == "€118.04")
        let order = try JSONDecoder().decode(
            Order.self,
            from: Data(
                """
                {"entity_id": 1, "increment_id": "1", "order_currency_code": "KWD", "grand_total": "10.1234",
                 "items": [{"item_id": 1, "sku": "A", "name": "a", "qty_ordered": 1, "price": "10.1230"}]}
                """.utf8))
        #expect(order.grandTotal?.exact == "10.1234" && order.grandTotal?.description == "KWD 10.1234")
        #expect(order.items.first?.price?.description == "KWD 10.123")
    }
}
