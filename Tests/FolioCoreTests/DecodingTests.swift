import Foundation
import Testing

@testable import FolioCore

/// What real servers send, and what Folio makes of it.
@Suite struct DecodingTests {
    /// The seed document's admin invoice, as Bagisto serves it: bare, numbers as numbers.
    static let admin = """
        {"id": 456, "incrementId": "100000045", "orderId": 44, "orderIncrementId": "100000044", "state": "paid",
         "emailSent": true, "totalQty": 3, "orderCurrencyCode": "EUR", "baseCurrencyCode": "USD", "channelCurrencyCode": "EUR",
         "subTotal": 88.47, "formattedSubTotal": "€88.47", "baseSubTotal": 96.00, "formattedBaseSubTotal": "$96.00",
         "subTotalInclTax": 106.16, "grandTotal": 118.04, "formattedGrandTotal": "€118.04", "baseGrandTotal": 128.08,
         "taxAmount": 19.67, "baseTaxAmount": 21.34, "discountAmount": 0, "shippingAmount": 9.90, "baseShippingAmount": 10.74,
         "shippingAmountInclTax": 11.88, "shippingTaxAmount": 1.98, "transactionId": "txn_1", "reminders": 0,
         "nextReminderAt": null, "createdAt": "2025-01-06 22:58:27", "updatedAt": "2025-01-06 23:00:27",
         "orderStatus": "processing", "orderStatusLabel": "Processing", "orderDate": "2025-01-06 21:58:27",
         "channelName": "EU Store", "customerName": "Zoë Faßbender", "customerEmail": "zoe@example.com",
         "billingAddress": {"id": 1, "addressType": "order_billing", "firstName": "Zoë", "lastName": "Faßbender",
            "companyName": null, "address": "Keizersgracht 123", "city": "Utrecht", "state": null, "country": "NL",
            "postcode": "3511", "email": "zoe@example.com", "phone": "+31 20 123"},
         "shippingAddress": {"id": 2, "addressType": "order_shipping", "firstName": "Zoë", "lastName": "Faßbender",
            "companyName": "Acme", "address": "Keizersgracht 123", "city": "Utrecht", "state": null, "country": "NL",
            "postcode": "3511", "email": "zoe@example.com", "phone": null},
         "items": [{"id": 9, "orderItemId": 88, "sku": "MH01", "name": "Chaz Kangeroo Hoodie", "qty": 3, "price": 29.49,
            "formattedPrice": "€29.49", "basePrice": 32.00, "basePriceInclTax": 39.11, "total": 88.47, "formattedTotal": "€88.47",
            "baseTotal": 96.00, "baseTotalInclTax": 115.19, "taxAmount": 17.69, "formattedTaxAmount": "€17.69",
            "discountAmount": 0, "formattedDiscountAmount": "€0.00", "productId": 1001, "productType": "configurable",
            "baseImageUrl": null, "additional": {"attributes": [{"label": "Size", "value": "M"}, {"label": "Colour", "value": "Blue"}]}}]}
        """

    @Test func theSeedDocumentsAdminInvoice() throws {
        let d = try InvoiceDetail.decodeAdmin(Data(Self.admin.utf8))
        #expect(d.source == .admin && d.unavailable.isEmpty)
        #expect(d.id == 456 && d.incrementId == "100000045" && d.state == .paid)
        #expect(d.totals.grandTotal == Money(Decimal(string: "118.04")!, "EUR", formatted: "€118.04"))
        #expect(d.totals.grandTotal?.description == "€118.04")
        #expect(d.baseTotals.grandTotal?.description == "$128.08", "no formatted text: formatted by Folio")
        #expect(d.showsBaseCurrency)
        #expect(d.billingAddress?.name == "Zoë Faßbender")
        #expect(d.shippingAddress?.company == "Acme")
        #expect(d.items.first?.options == [.init(label: "Size", value: "M"), .init(label: "Colour", value: "Blue")])
        #expect(d.items.first?.taxAmount?.amount == Decimal(string: "17.69"))
    }

    @Test func numbersAsStringsTheDataWrapperNestedAddressesAndUnknownThings() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(Self.admin.utf8)) as? [String: Any])
        object["grandTotal"] = "118.0400"
        object["emailSent"] = "1"
        object["state"] = "partially_refunded"
        // Newer servers of the family nest the addresses: order.addresses[].
        object["order"] = ["addresses": [object.removeValue(forKey: "billingAddress")!, object.removeValue(forKey: "shippingAddress")!]]
        object["loyaltyPoints"] = 120
        let wrapped = String(decoding: try JSONSerialization.data(withJSONObject: ["data": object]), as: UTF8.self)
        let d = try InvoiceDetail.decodeAdmin(Data(wrapped.utf8))
        #expect(d.totals.grandTotal?.amount == Decimal(string: "118.04"))
        #expect(d.emailSent == true)
        #expect(d.state == .unknown("partially_refunded"))
        #expect(d.state.description == "partially_refunded")
        #expect(d.billingAddress?.type == "order_billing")
        #expect(d.shippingAddress?.company == "Acme")
        #expect(d.extraFields["loyaltyPoints"] == .number(120))
    }

    @Test func listingRowsAcceptNumbersStringsAndEveryBooleanSpelling() throws {
        let page = """
            {"invoices": [
              {"entity_id": 1, "increment_id": "100000001", "state": 2, "grand_total": "123.4500", "order_currency_code": "USD",
               "email_sent": 1, "created_at": "2026-01-01 10:00:00"},
              {"entity_id": "2", "increment_id": 100000002, "state": "1", "grand_total": 0.1, "order_currency_code": "JPY",
               "email_sent": "0"},
              {"entity_id": 3, "increment_id": "100000003", "state": 9, "grand_total": 5, "email_sent": false, "brand_new_field": [1]}
            ], "page": 1, "limit": 20, "total": 3, "last_page": 1, "has_next": false}
            """
        let envelope = try JSONDecoder().decode(PageEnvelope<InvoiceSummary>.self, from: Data(page.utf8))
        let rows = envelope.items
        #expect(rows.map(\.id) == [1, 2, 3])
        #expect(rows[0].grandTotal.amount == Decimal(string: "123.45"))
        #expect(rows[0].grandTotal.description == "$123.45")
        #expect(rows[1].grandTotal.amount == Decimal(string: "0.1"), "exact, not 0.1000000000000000055")
        #expect(rows[1].incrementId == "100000002")
        #expect(rows.map(\.emailSent) == [true, false, false])
        #expect(rows.map(\.state) == [.paid, .open, .unknown("9")])
        #expect(envelope.total == 3 && envelope.hasNext == false)
    }

    @Test func aMalformedAnswerIsATypedErrorNamingTheField() {
        let bad = #"{"invoices": [{"entity_id": 1, "increment_id": "1", "state": 1, "grand_total": "12,50"}]}"#
        #expect(throws: FolioError.malformedResponse(field: "invoices[0].grand_total", reason: "expected a number or a decimal string")) {
            _ = try APIClient.decode(PageEnvelope<InvoiceSummary>.self, Data(bad.utf8))
        }
        let missing = #"{"invoices": [{"increment_id": "1", "grand_total": 1}]}"#
        #expect(throws: FolioError.malformedResponse(field: "invoices[0].entity_id", reason: "entity_id is missing")) {
            _ = try APIClient.decode(PageEnvelope<InvoiceSummary>.self, Data(missing.utf8))
        }
        #expect(throws: FolioError.malformedResponse(field: "(answer)", reason: "not JSON")) {
            _ = try APIClient.decode(PageEnvelope<InvoiceSummary>.self, Data("<html>502</html>".utf8))
        }
    }

    @Test func errorBodiesInEveryConvention() {
        func read(_ text: String, _ status: Int) -> [String?] {
            let body = ErrorBody(Data(text.utf8), status: status)
            return [body.message, body.detail]
        }
        #expect(read(#"{"error": "Invalid item", "detail": "sku X: only 2 left"}"#, 400) == ["Invalid item", "sku X: only 2 left"])
        #expect(
            read(#"{"message": "The given data was invalid.", "errors": {"qty": ["must be positive"]}}"#, 422)
                == ["The given data was invalid.", "qty: must be positive"])
        #expect(
            read(#"{"type": "about:blank", "title": "Conflict", "status": 409, "detail": "Order changed"}"#, 409)
                == ["Conflict", "Order changed"])
        #expect(read("<html>gateway</html>", 502) == ["Bad Gateway", nil])
        #expect(read("", 503) == ["Service Unavailable", nil])
    }

    @Test func moneyIsExactAndFormattedPerCurrency() {
        #expect(Money(Decimal(string: "1234.5")!, "EUR").description == "€1,234.50")
        #expect(Money(Decimal(string: "1500")!, "JPY").description == "¥1,500")
        #expect(Money(Decimal(string: "-3")!, "USD").description == "-$3.00")
        #expect(Money(Decimal(string: "0.125")!, "USD").description == "$0.13", "half away from zero")
        #expect(Money(Decimal(string: "1.2345")!, "BHD").description == "BHD 1.235")
        #expect(Money(Decimal(string: "9.99")!, "XTS").description == "XTS 9.99")
        #expect(Money(Decimal(string: "12345678901234567.89")!, "USD").plain == "12345678901234567.89")
        #expect(Money(1, "EUR", formatted: "1,00 €").description == "1,00 €", "the server's own text wins")
        #expect(Decimal(exactly: "12,50") == nil && Decimal(exactly: "1e3") == nil && Decimal(exactly: "-0.5") == Decimal(string: "-0.5"))
    }

    @Test func statesOfBothFamilies() {
        #expect(InvoiceState(code: 1) == .open && InvoiceState(code: 2) == .paid && InvoiceState(code: 3) == .canceled)
        #expect(InvoiceState(text: "pending_payment") == .pendingPayment && InvoiceState(text: "overdue").code == 1)
        #expect(InvoiceState(text: "cancelled") == .canceled)
        #expect(InvoiceState(text: "on_hold") == .unknown("on_hold") && InvoiceState(text: "on_hold").code == nil)
    }
}
