import Foundation
import GRDB
import Testing

@testable import FolioServer

extension LiveServer {
    /// Every row count and tally a refused credit memo must leave as it was.
    func refundFootprint() async throws -> [String: Int64] {
        try await server.database.read { db in
            var print: [String: Int64] = [:]
            for table in [
                "creditmemos", "creditmemo_items", "creditmemo_comments", "outbox", "order_history", "invoice_refunds",
                "order_refunds", "idempotency_keys",
            ] {
                print[table] = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            let tallies = [
                "qty_refunded", "row_refunded", "base_row_refunded", "tax_refunded", "base_tax_refunded", "discount_refunded",
                "base_discount_refunded",
            ]
            for table in ["invoice_items", "order_items"] {
                for column in tallies {
                    print["\(table).\(column)"] = try Int64.fetchOne(db, sql: "SELECT SUM(\(column)) FROM \(table)")
                }
            }
            for column in ["total_refunded", "base_total_refunded", "shipping_refunded", "shipping_tax_refunded"] {
                print["invoice_refunds.\(column)"] = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(\(column)), 0) FROM invoice_refunds")
                print["order_refunds.\(column)"] = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(\(column)), 0) FROM order_refunds")
            }
            print["number"] = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(last_issued), 0) FROM creditmemo_numbers")
            print["orders.updated"] = try Int64.fetchOne(db, sql: "SELECT COUNT(DISTINCT updated_at) FROM orders")
            return print
        }
    }

    /// `POST /api2/creditmemo` with `json`, and the credit memo of a 201.
    func refund(_ json: String, path: String = "/api2/creditmemo") async throws -> (Reply, JSON?) {
        let reply = try await post(path, json: json)
        return (reply, reply.status == 201 ? try reply.json["creditmemo"] : nil)
    }

    func invoiceJSON(_ id: Int64) async throws -> JSON {
        try #require(try await get("/api2/invoice?id=\(id)").json["invoice"])
    }
}

/// `POST /api2/creditmemo` and its look-up, over real HTTP, checked against
/// the server's own tables.
@Suite struct CreditMemoTests {
    /// `"4.6300"` → 463 in a currency of `scale` minor units.
    static func units(_ json: JSON?, _ scale: Int64) -> Int64? { ProRatingTests.minorUnits(json, scale: scale) }

    /// The invoice's totals as a credit memo names them: field, minor units, and the
    /// currency's scale (EUR, or its USD base), for the fixture invoice 456.
    static func totals(of invoice: InvoiceRow) -> [(field: String, amount: Int64, scale: Int64)] {
        let eur = Currency.of("EUR").scale
        let usd = Currency.of("USD").scale
        return [
            ("grand_total", invoice.grandTotal, eur), ("base_grand_total", invoice.baseGrandTotal, usd),
            ("subtotal", invoice.subtotal, eur), ("base_subtotal", invoice.baseSubtotal, usd),
            ("tax_amount", invoice.taxAmount, eur), ("base_tax_amount", invoice.baseTaxAmount, usd),
            ("discount_amount", invoice.discountAmount, eur), ("base_discount_amount", invoice.baseDiscountAmount, usd),
            ("shipping_amount", invoice.shippingAmount, eur), ("base_shipping_amount", invoice.baseShippingAmount, usd),
            ("shipping_tax_amount", invoice.shippingTaxAmount, eur), ("base_shipping_tax_amount", invoice.baseShippingTaxAmount, usd),
        ]
    }

    /// The fixture invoice 456 (100000045, order 44, EUR on a USD base, card, captured online), as stored.
    static func fixture(_ s: LiveServer) async throws -> (InvoiceRow, [InvoiceItemRow], [Int64: OrderItemRow]) {
        try await s.server.database.read { db in
            let invoice = try #require(try InvoiceRow.fetchOne(db, key: 456))
            let items = try OrderItemRow.of(order: invoice.orderId).fetchAll(db)
            return (
                invoice, try InvoiceItemRow.of(invoice: 456).fetchAll(db),
                Dictionary(uniqueKeysWithValues: items.map { ($0.itemId, $0) })
            )
        }
    }

    @Test func theSeededInvoiceRefundedInFullGivesBackExactlyItsTotals() async throws {
        try await LiveServer.with(orders: 60) { s in
            let (invoice, lines, _) = try await Self.fixture(s)
            #expect(invoice.incrementId == "100000045" && invoice.orderIncrementId == "100000044")
            #expect(invoice.orderCurrencyCode == "EUR" && invoice.baseCurrencyCode == "USD")
            #expect(invoice.captureMode == "online" && invoice.transactionId != nil)
            let before = try await s.invoiceJSON(456)
            #expect(before["total_refunded"]?.string == "0.0000")
            #expect(before["items"]?.array?.allSatisfy { $0["qty_refunded"]?.numberText == "0" } == true)

            let marker = "[folio-op 7K3M-9QX2-H4TD-ZP1R] Goods returned"
            let (reply, memo) = try await s.refund(#"{"invoice_increment_id": "100000045", "comment": "\#(marker)"}"#)
            #expect(reply.status == 201, "\(reply.body)")
            let m = try #require(memo)
            #expect(m["increment_id"]?.string == "100000001")
            #expect(m["invoice_id"]?.int == 456 && m["invoice_increment_id"]?.string == "100000045")
            #expect(m["order_id"]?.int == 44 && m["order_increment_id"]?.string == "100000044")
            #expect(m["refund_type"]?.string == "offline" && m["transaction_id"] == .null && m["state"]?.int == 2)
            #expect(m["email_sent"]?.int == 0)
            #expect(m["comments"]?.array?.first?["comment"]?.string == marker)
            #expect(m["order_currency_code"]?.string == "EUR" && m["base_currency_code"]?.string == "USD")
            // Exactly the invoice's totals, in both currencies.
            let eur = Currency.of("EUR").scale
            let usd = Currency.of("USD").scale
            let figures = Self.totals(of: invoice) + [("adjustment_positive", 0, eur), ("adjustment_negative", 0, eur)]
            for (field, expected, scale) in figures { #expect(Self.units(m[field], scale) == expected, "\(field)") }
            let items = try #require(m["items"]?.array)
            #expect(items.map { $0["order_item_id"]?.int.map(Int64.init) } == lines.map(\.orderItemId))
            #expect(items.map { $0["qty"]?.numberText } == lines.map { Quantity(scaled: $0.qty).description })
            #expect(items.map { Self.units($0["row_total"], eur) } == lines.map(\.rowTotal))
            #expect(items.map { Self.units($0["base_tax_amount"], usd) } == lines.map(\.baseTaxAmount))

            // The invoice, its admin detail and the order say what was refunded.
            let after = try await s.invoiceJSON(456)
            #expect(after["state"]?.int == 2, "the /api2 state stays paid")
            #expect(Self.units(after["total_refunded"], eur) == invoice.grandTotal)
            #expect(Self.units(after["base_total_refunded"], usd) == invoice.baseGrandTotal)
            #expect(Self.units(after["shipping_refunded"], eur) == invoice.shippingAmount)
            #expect(Self.units(after["base_shipping_refunded"], usd) == invoice.baseShippingAmount)
            #expect(after["items"]?.array?.map { $0["qty_refunded"]?.numberText } == lines.map { Quantity(scaled: $0.qty).description })
            let admin = try await s.get("/api/admin/invoices/456").json
            #expect(admin["state"]?.string == "refunded")
            #expect(admin["totalRefunded"]?.decimal == after["grand_total"]?.decimal)
            #expect(admin["items"]?.array?.allSatisfy { $0["qtyRefunded"] == $0["qty"] } == true)
            let order = try #require(try await s.get("/api2/order?id=44").json["order"])
            #expect(order["total_refunded"]?.decimal == after["grand_total"]?.decimal)
            #expect(order["base_total_refunded"]?.decimal == after["base_grand_total"]?.decimal)
            #expect(order["total_invoiced"]?.decimal == after["grand_total"]?.decimal)
            #expect(order["items"]?.array?.allSatisfy { $0["qty_refunded"] == $0["qty_invoiced"] } == true)

            // The order's history carries it, with the comment and its marker.
            let history = try #require(try await s.get("/api2/history?order_id=44").json["history"]?.array)
            let total = try #require(m["grand_total"]?.decimal)
            #expect(history.first?["source"]?.string == "creditmemo")
            #expect(
                history.first?["comment"]?.string
                    == "Credit memo 100000001 for invoice 100000045: refunded \(Currency.of("EUR").decimalText(invoice.grandTotal)) EUR "
                    + "(offline): \(marker)", "\(total)")

            // Nothing is left: a second one is refused, and writes nothing.
            let footprint = try await s.refundFootprint()
            let again = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456}"#)
            #expect(again.status == 400 && again.error == "Cannot create credit memo", "\(again.body)")
            #expect(try await s.refundFootprint() == footprint)

            // The look-up (a Folio extension) answers the same object.
            let id = try #require(m["entity_id"]?.int)
            #expect(try await s.get("/api2/creditmemo?id=\(id)").json["creditmemo"] == m)
            #expect(try await s.get("/api2/creditmemo?increment_id=100000001").json["creditmemo"] == m)
            let unknown = try await s.get("/api2/creditmemo?increment_id=999999999")
            #expect(unknown.status == 404 && unknown.error == "Credit memo not found")
            #expect(try await s.get("/api2/creditmemo").status == 400)
            #expect(try await s.get("/api2/creditmemo?id=1", token: nil).status == 401)
        }
    }

    @Test func refusalsSayWhyAndWriteNothing() async throws {
        try await LiveServer.with(orders: 60) { s in
            let (_, lines, items) = try await Self.fixture(s)
            let whole = try #require(lines.first { items[$0.orderItemId]?.isQtyDecimal == false })
            let item = whole.orderItemId
            let cases: [(String, Int, String)] = [
                ("{}", 400, "invoice_id, invoice_increment_id, order_id or order_increment_id is required"),
                (
                    #"{"invoice_id": 456, "order_id": 44}"#, 400,
                    "Use only one of invoice_id, invoice_increment_id, order_id or order_increment_id"
                ),
                (
                    #"{"invoice_increment_id": "100000045", "order_increment_id": "100000044"}"#, 400,
                    "Use only one of invoice_id, invoice_increment_id, order_id or order_increment_id"
                ),
                (#"{"invoice_id": "x"}"#, 400, "Invalid parameter: invoice_id"),
                (#"{"order_id": 1.5}"#, 400, "Invalid parameter: order_id"),
                (#"{"invoice_id": 999999}"#, 404, "Invoice not found"),
                (#"{"invoice_increment_id": "999999999"}"#, 404, "Invoice not found"),
                (#"{"order_id": 999999}"#, 404, "Order not found"),
                (#"{"order_increment_id": "100000123"}"#, 400, "Cannot create credit memo"),
                (#"{"invoice_id": 456, "refund_type": "cash"}"#, 400, "Invalid refund type"),
                (#"{"invoice_id": 456, "send_email": "maybe"}"#, 400, "Invalid parameter: send_email"),
                (#"{"invoice_id": 456, "comment": 5}"#, 400, "Invalid parameter: comment"),
                (#"{"invoice_id": 456, "items": [{"qty": 1}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item)}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": 0}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": -1}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": "two"}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": 0.5}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": 1000}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "sku": "\#(whole.sku)", "qty": 1}]}"#, 400, "Invalid item"),
                (
                    #"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": 1}, {"sku": "\#(whole.sku)", "qty": 1}]}"#, 400,
                    "Invalid item"
                ),
                (#"{"invoice_id": 456, "items": [{"order_item_id": 10, "qty": 1}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": [{"sku": "NO-SUCH-SKU", "qty": 1}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "items": {"sku": "\#(whole.sku)", "qty": 1}}"#, 400, "Invalid item"),
                (#"{"order_id": 44, "items": [{"order_item_id": 99999, "qty": 1}]}"#, 400, "Invalid item"),
                (#"{"invoice_id": 456, "shipping_amount": -1}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "shipping_amount": "abc"}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "shipping_amount": true}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "shipping_amount": 1.234}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "shipping_amount": 1e2}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "shipping_amount": 10000}"#, 400, "Invalid shipping amount"),
                (#"{"invoice_id": 456, "adjustment_positive": 100000}"#, 400, "Invalid adjustment"),
                (#"{"invoice_id": 456, "adjustment_negative": 100000}"#, 400, "Invalid adjustment"),
                (#"{"invoice_id": 456, "adjustment_positive": "0.001"}"#, 400, "Invalid adjustment"),
                (#"{"invoice_id": 456, "adjustment_negative": -5}"#, 400, "Invalid adjustment"),
                (#"{"invoice_id": 456, "items": [], "adjustment_positive": 100000}"#, 400, "Invalid adjustment"),
                (#"{"invoice_id": 456, "items": []}"#, 400, "Cannot create credit memo"),
                (#"{"invoice_id": 456, "items": [], "adjustment_negative": 1}"#, 400, "Cannot create credit memo"),
                (#"{"invoice_id": 456"#, 400, "Invalid JSON"),
            ]
            let before = try await s.refundFootprint()
            for (body, status, error) in cases {
                let reply = try await s.post("/api2/creditmemo", json: body)
                #expect(reply.status == status, "\(body) → \(reply.status) \(reply.body)")
                #expect(reply.error == error, "\(body) → \(reply.body)")
                if status == 400, error != "Invalid JSON", body != "{}" { #expect(reply.body.contains("detail") || error.hasPrefix("Use")) }
            }
            #expect(try await s.refundFootprint() == before, "a refused credit memo wrote something")

            // The details name the item and the quantities.
            let over = try await s.post(
                "/api2/creditmemo", json: #"{"invoice_id": 456, "items": [{"order_item_id": \#(item), "qty": 1000}]}"#)
            #expect(
                try over.json["detail"]?.string
                    == "order_item_id \(item): qty 1000 requested, only \(Quantity(scaled: whole.qty)) left to refund on invoice 100000045")
            let elsewhere = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "items": [{"order_item_id": 10, "qty": 1}]}"#)
            #expect(try elsewhere.json["detail"]?.string == "order_item_id 10 is not an item of invoice 100000045")
            let digits = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "shipping_amount": 1.234}"#)
            #expect(try digits.json["detail"]?.string == "shipping_amount 1.234: EUR has 2 decimals")
        }
    }

    @Test func aCanceledInvoiceCannotBeRefundedNorAnOrderWithoutInvoices() async throws {
        try await LiveServer.with(orders: 150) { s in
            let (canceled, uninvoiced) = try await s.server.database.read { db in
                (
                    try #require(try InvoiceRow.filter(Column("state") == 3).fetchOne(db)),
                    try #require(try OrderRow.filter(Column("status") == "canceled").fetchOne(db))
                )
            }
            let before = try await s.refundFootprint()
            let reply = try await s.post("/api2/creditmemo", json: #"{"invoice_id": \#(canceled.entityId!)}"#)
            #expect(reply.status == 400 && reply.error == "Cannot create credit memo")
            #expect(try reply.json["detail"]?.string == "invoice \(canceled.incrementId) is canceled")
            let order = try await s.post("/api2/creditmemo", json: #"{"order_id": \#(uninvoiced.entityId)}"#)
            #expect(order.status == 400 && order.error == "Cannot create credit memo")
            #expect(try order.json["detail"]?.string == "order \(uninvoiced.incrementId) has no invoice to refund")
            #expect(try await s.refundFootprint() == before)
        }
    }

    @Test func partialRefundsAddUpExactlyToTheInvoiceInBothCurrencies() async throws {
        try await LiveServer.with(orders: 60) { s in
            let (invoice, lines, items) = try await Self.fixture(s)
            var memos: [JSON] = []
            // Every unit (or quarter, by the metre) of every line on its own, by id and by sku in turn.
            for (n, line) in lines.enumerated() {
                let unit = items[line.orderItemId]?.isQtyDecimal == true ? 2_500 : Quantity.scale
                for step in 0..<(line.qty / unit) {
                    let reference = (n + Int(step)) % 2 == 0 ? #""order_item_id": \#(line.orderItemId)"# : #""sku": "\#(line.sku)""#
                    let (reply, memo) = try await s.refund(
                        #"{"invoice_id": 456, "items": [{\#(reference), "qty": "\#(Quantity(scaled: unit))"}]}"#)
                    #expect(reply.status == 201, "\(reply.body)")
                    #expect(try #require(memo)["shipping_amount"]?.string == "0.0000", "items named, shipping not: none")
                    memos.append(try #require(memo))
                }
            }
            // Shipping in three parts, the last what is left.
            let third = invoice.shippingAmount / 3
            for amount in [third, third, invoice.shippingAmount - 2 * third] {
                let text = Currency.of("EUR").decimalText(amount)
                let (reply, memo) = try await s.refund(#"{"invoice_id": 456, "items": [], "shipping_amount": "\#(text)"}"#)
                #expect(reply.status == 201, "\(reply.body)")
                memos.append(try #require(memo))
            }
            let eur = Currency.of("EUR").scale
            let usd = Currency.of("USD").scale
            let sums = Self.totals(of: invoice)
            for (field, expected, scale) in sums {
                let parts = memos.compactMap { Self.units($0[field], scale) }
                #expect(parts.count == memos.count)
                #expect(parts.reduce(0, +) == expected, "\(field): \(parts) add up to the invoice's \(expected)")
            }
            // Each line's shares differ by at most one minor unit per unit refunded.
            for line in lines {
                let shares = memos.compactMap { $0["items"]?.array?.first { $0["order_item_id"]?.int == Int(line.orderItemId) } }
                    .compactMap { Self.units($0["base_row_total"], usd) }
                #expect(shares.max()! - shares.min()! <= 1, "\(shares)")
            }
            let after = try await s.invoiceJSON(456)
            #expect(Self.units(after["total_refunded"], eur) == invoice.grandTotal)
            #expect(Self.units(after["base_total_refunded"], usd) == invoice.baseGrandTotal)
            #expect(try await s.get("/api/admin/invoices/456").json["state"]?.string == "refunded")
            let numbers = memos.compactMap { $0["increment_id"]?.string }
            #expect(numbers == (1...memos.count).map { String(100_000_000 + $0) }, "numbered in turn, never twice")
        }
    }

    @Test func anOrderSourceTakesItemsFromItsInvoicesOldestFirst() async throws {
        try await LiveServer.with(orders: 60) { s in
            // Order 123 in two invoices: one unit of item 10 and 1.25 m of linen (with the shipping), then the rest.
            let first = try await s.post(
                "/api2/invoice/create",
                json: #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 1}, {"order_item_id": 12, "qty": "1.25"}]}"#)
            let second = try await s.post("/api2/invoice/create", json: #"{"order_id": 123}"#)
            let a = try #require(try first.json["invoice"])
            let b = try #require(try second.json["invoice"])
            let (aId, bId) = (try #require(a["entity_id"]?.int), try #require(b["entity_id"]?.int))
            let (aNumber, bNumber) = (try #require(a["increment_id"]?.string), try #require(b["increment_id"]?.string))

            // An invoice source refunds its own lines only.
            let notOnIt = try await s.post(
                "/api2/creditmemo", json: #"{"invoice_id": \#(aId), "items": [{"order_item_id": 11, "qty": 1}]}"#)
            #expect(notOnIt.status == 400 && notOnIt.error == "Invalid item")
            #expect(try notOnIt.json["detail"]?.string == "order_item_id 11 is not an item of invoice \(aNumber)")
            let tooMany = try await s.post(
                "/api2/creditmemo", json: #"{"invoice_id": \#(aId), "items": [{"order_item_id": 10, "qty": 2}]}"#)
            #expect(try tooMany.json["detail"]?.string == "order_item_id 10: qty 2 requested, only 1 left to refund on invoice \(aNumber)")

            // An order source takes item 10 from the older invoice first, then the newer.
            let (reply, memo) = try await s.refund(
                #"{"order_increment_id": "100000123", "items": [{"sku": "24-MB01", "qty": 3}, {"order_item_id": 12, "qty": "1.5"}]}"#)
            #expect(reply.status == 201, "\(reply.body)")
            let m = try #require(memo)
            #expect(m["invoice_id"]?.int == aId, "the credit memo's invoice is the oldest it refunds")
            #expect(m["items"]?.array?.map { $0["qty"]?.numberText } == ["3", "1.5"], "one line per item")
            #expect(m["shipping_amount"]?.string == "0.0000")
            let qtyRefunded = { (invoice: JSON, item: Int) in
                invoice["items"]?.array?.first { $0["order_item_id"]?.int == item }?["qty_refunded"]?.numberText
            }
            let aAfter = try await s.invoiceJSON(Int64(aId))
            let bAfter = try await s.invoiceJSON(Int64(bId))
            #expect(qtyRefunded(aAfter, 10) == "1" && qtyRefunded(bAfter, 10) == "2")
            #expect(qtyRefunded(aAfter, 12) == "1.25" && qtyRefunded(bAfter, 12) == "0.25")
            let history = try #require(try await s.get("/api2/history?order_id=123").json["history"]?.array)
            #expect(
                history.first?["comment"]?.string?.hasPrefix("Credit memo 100000001 for invoices \(aNumber), \(bNumber): refunded ") == true
            )

            // The rest of the order in one: every invoice then refunded in full, exactly.
            let (restReply, rest) = try await s.refund(#"{"order_id": 123}"#)
            #expect(restReply.status == 201, "\(restReply.body)")
            #expect(try #require(rest)["shipping_amount"]?.decimal == Decimal(string: "7.99"), "a full refund takes the shipping")
            for (invoice, id) in [(a, aId), (b, bId)] {
                let after = try await s.invoiceJSON(Int64(id))
                #expect(after["total_refunded"]?.decimal == invoice["grand_total"]?.decimal)
                #expect(after["base_total_refunded"]?.decimal == invoice["base_grand_total"]?.decimal)
            }
            let order = try #require(try await s.get("/api2/order?id=123").json["order"])
            #expect(order["total_refunded"]?.decimal == order["grand_total"]?.decimal)
            #expect(order["total_invoiced"]?.decimal == order["grand_total"]?.decimal)
            #expect(order["items"]?.array?.allSatisfy { $0["qty_refunded"] == $0["qty_ordered"] } == true)
            #expect(try await s.post("/api2/creditmemo", json: #"{"order_id": 123}"#).error == "Cannot create credit memo")
        }
    }

    @Test func shippingAndAdjustmentsFollowTheRules() async throws {
        try await LiveServer.with(orders: 60) { s in
            let (invoice, lines, _) = try await Self.fixture(s)
            let eur = Currency.of("EUR")
            let usd = Currency.of("USD")
            // Shipping alone: its tax and base share are the cumulative rule's.
            let (reply, memo) = try await s.refund(#"{"invoice_id": 456, "items": [], "shipping_amount": "1.00"}"#)
            #expect(reply.status == 201, "\(reply.body)")
            let m = try #require(memo)
            #expect(Self.units(m["shipping_amount"], eur.scale) == 100)
            #expect(Self.units(m["shipping_tax_amount"], eur.scale) == prorate(invoice.shippingTaxAmount, 100, invoice.shippingAmount))
            #expect(Self.units(m["base_shipping_amount"], usd.scale) == prorate(invoice.baseShippingAmount, 100, invoice.shippingAmount))
            #expect(m["items"]?.array?.isEmpty == true)
            // More shipping than is left: refused, naming both.
            let left = invoice.shippingAmount - 100
            let over = try await s.post(
                "/api2/creditmemo", json: #"{"invoice_id": 456, "shipping_amount": "\#(eur.decimalText(left + 1))"}"#)
            #expect(over.status == 400 && over.error == "Invalid shipping amount")
            #expect(
                try over.json["detail"]?.string
                    == "shipping_amount \(eur.decimalText(left + 1)) EUR requested, only \(eur.decimalText(left)) EUR left to refund on invoice 100000045"
            )
            // Adjustments: base twins pro-rated by the invoice's own rate.
            let (adjusted, adjustedMemo) = try await s.refund(
                #"{"invoice_id": 456, "items": [{"order_item_id": \#(lines[0].orderItemId), "qty": 1}], "adjustment_positive": 5, "adjustment_negative": "2.50"}"#
            )
            #expect(adjusted.status == 201, "\(adjusted.body)")
            let a = try #require(adjustedMemo)
            #expect(Self.units(a["base_adjustment_positive"], usd.scale) == prorate(500, invoice.baseGrandTotal, invoice.grandTotal))
            #expect(Self.units(a["base_adjustment_negative"], usd.scale) == prorate(250, invoice.baseGrandTotal, invoice.grandTotal))
            let parts = ["subtotal", "tax_amount", "shipping_amount", "adjustment_positive"].compactMap { Self.units(a[$0], eur.scale) }
            let minus = ["discount_amount", "adjustment_negative"].compactMap { Self.units(a[$0], eur.scale) }
            #expect(Self.units(a["grand_total"], eur.scale) == parts.reduce(0, +) - minus.reduce(0, +))
            // A positive adjustment alone is a credit memo; more than is left is not.
            #expect(
                try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "items": [], "adjustment_positive": "0.01"}"#).status
                    == 201)
            let tooMuch = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "items": [], "adjustment_positive": 100000}"#)
            #expect(tooMuch.status == 400 && tooMuch.error == "Invalid adjustment")
            #expect(try tooMuch.json["detail"]?.string?.hasPrefix("the credit memo comes to 100000.00 EUR (") == true)
            let negative = try await s.post(
                "/api2/creditmemo", json: #"{"invoice_id": 456, "items": [], "shipping_amount": "0.01", "adjustment_negative": 1}"#)
            #expect(negative.status == 400 && negative.error == "Invalid adjustment")
            #expect(try negative.json["detail"]?.string?.contains("a credit memo is never negative") == true)
        }
    }

    @Test func onlineRefundsOnlyWhatWasCapturedOnlineAndSavesNothingOtherwise() async throws {
        try await LiveServer.with(orders: 150) { s in
            let (checkmo, offlineCard) = try await s.server.database.read { db in
                let sql = """
                    SELECT i.* FROM invoices i JOIN orders o ON o.entity_id = i.order_id
                    WHERE i.state = 2 AND o.payment_method = ? AND i.capture_mode = ? ORDER BY i.entity_id LIMIT 1
                    """
                return (
                    try #require(try InvoiceRow.fetchOne(db, sql: sql, arguments: ["checkmo", "offline"])),
                    try #require(try InvoiceRow.fetchOne(db, sql: sql, arguments: ["card", "offline"]))
                )
            }
            let before = try await s.refundFootprint()
            for invoice in [checkmo, offlineCard] {
                let reply = try await s.post("/api2/creditmemo", json: #"{"invoice_id": \#(invoice.entityId!), "refund_type": "online"}"#)
                #expect(reply.status == 500 && reply.error == "Payment gateway error", "\(invoice.incrementId): \(reply.body)")
            }
            #expect(try await s.refundFootprint() == before, "a refused online refund wrote something, or took a number")
            // Offline is the default and works for any of them.
            let (offline, offlineMemo) = try await s.refund(#"{"invoice_id": \#(checkmo.entityId!)}"#)
            #expect(offline.status == 201)
            #expect(offlineMemo?["refund_type"]?.string == "offline" && offlineMemo?["transaction_id"] == .null)
            #expect(offlineMemo?["increment_id"]?.string == "100000001", "the refused requests took no number")
            // The fixture was captured online by card: refunded online, with a transaction.
            let (online, onlineMemo) = try await s.refund(#"{"invoice_id": 456, "refund_type": "online"}"#)
            #expect(online.status == 201, "\(online.body)")
            #expect(onlineMemo?["refund_type"]?.string == "online")
            #expect(onlineMemo?["transaction_id"]?.string?.hasPrefix("txn_") == true)
            let history = try #require(try await s.get("/api2/history?order_id=44").json["history"]?.array)
            #expect(history.first?["comment"]?.string?.hasSuffix("EUR (online)") == true)
        }
    }

    @Test func theEmailGoesAfterTheCreditMemoIsSavedAndAFailedOneKeepsIt() async throws {
        try await LiveServer.with(orders: 60) { s in
            let invoiceEmails = try await s.get("/sandbox/outbox?invoice_id=456").json["emails"]?.array?.count
            let (reply, memo) = try await s.refund(
                #"{"invoice_id": 456, "items": [], "shipping_amount": 1, "send_email": true, "comment": "Sorry for the delay"}"#)
            #expect(reply.status == 201)
            let m = try #require(memo)
            #expect(m["email_sent"]?.int == 1)
            #expect(m["comments"]?.array?.first?["is_customer_notified"]?.int == 1)
            let id = try #require(m["entity_id"]?.int)
            let sent = try #require(try await s.get("/sandbox/outbox?creditmemo_id=\(id)").json["emails"]?.array)
            #expect(sent.count == 1)
            #expect(sent.first?["increment_id"] == m["increment_id"] && sent.first?["comment"]?.string == "Sorry for the delay")
            #expect(try await s.get("/sandbox/outbox?invoice_id=456").json["emails"]?.array?.count == invoiceEmails, "not an invoice email")
            let history = try #require(try await s.get("/api2/history?order_id=44").json["history"]?.array)
            #expect(history.first?["source"]?.string == "email" && history.first?["is_customer_notified"]?.int == 1)
            #expect(history.first?["comment"]?.string?.hasPrefix("Credit memo \(m["increment_id"]?.string ?? "") emailed to ") == true)

            // The mail server refuses: the credit memo is saved all the same, with email_sent 0.
            _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": true}"#)
            let (failedReply, failed) = try await s.refund(#"{"invoice_id": 456, "items": [], "shipping_amount": 1, "send_email": true}"#)
            #expect(failedReply.status == 201)
            #expect(failed?["email_sent"]?.int == 0)
            let failedId = try #require(failed?["entity_id"]?.int)
            #expect(try await s.get("/sandbox/outbox?creditmemo_id=\(failedId)").json["emails"]?.array?.isEmpty == true)
            let after = try #require(try await s.get("/api2/history?order_id=44").json["history"]?.array)
            #expect(after.first?["comment"]?.string?.hasSuffix("failed: the mail server did not take it") == true)
            #expect(after.dropFirst().first?["source"]?.string == "creditmemo", "the credit memo itself is in the history")
        }
    }

    @Test func anIdempotencyKeyMakesOneCreditMemo() async throws {
        try await LiveServer.with(orders: 60) { s in
            let body = #"{"invoice_id": 456, "items": [], "shipping_amount": "0.50", "comment": "[folio-op AAAA-BBBB-CCCC-DDDD]"}"#
            let first = try await s.post("/api2/creditmemo", key: "refund-1", json: body)
            #expect(first.status == 201)
            let footprint = try await s.refundFootprint()
            // The alias is the same operation: a replay, byte for byte.
            let again = try await s.post("/api2/creditmemo/create", key: "refund-1", json: body)
            #expect(again.status == 201 && again.body == first.body)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await s.refundFootprint() == footprint)
            let other = try await s.post("/api2/creditmemo", key: "refund-1", json: #"{"invoice_id": 456}"#)
            #expect(other.status == 422 && other.error == "Idempotency key reused with a different request")
            #expect(try await s.refundFootprint() == footprint)

            // Twenty at once with one key: one credit memo; every answer its replay or "in progress".
            let concurrent = #"{"invoice_id": 456, "items": [], "shipping_amount": "0.25"}"#
            let replies = try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
                for _ in 0..<20 { group.addTask { try await s.post("/api2/creditmemo", key: "refund-2", json: concurrent) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { [201, 409].contains($0.status) }, "\(replies.map(\.status))")
            let bodies = Set(replies.filter { $0.status == 201 }.map(\.body))
            #expect(bodies.count == 1, "one credit memo, answered alike")
            let count = try await s.server.database.read { db in try CreditMemoRow.fetchCount(db) }
            #expect(count == 2)
        }
    }

    @Test func theFaultSwitchesApplyToCreditMemosToo() async throws {
        try await LiveServer.with(orders: 60, faults: Faults(dropAfterCreate: true)) { s in
            await #expect(throws: (any Error).self) {
                _ = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "comment": "[folio-op DROP-AFTR-0000-0001]"}"#)
            }
            let history = try #require(try await s.get("/api2/history?order_id=44").json["history"]?.array)
            #expect(history.first?["comment"]?.string?.hasSuffix(": [folio-op DROP-AFTR-0000-0001]") == true, "committed, then dropped")
        }
        try await LiveServer.with(orders: 60, faults: Faults(dropBeforeCreate: true)) { s in
            let before = try await s.refundFootprint()
            await #expect(throws: (any Error).self) { _ = try await s.post("/api2/creditmemo/create", json: #"{"invoice_id": 456}"#) }
            #expect(try await s.refundFootprint() == before)
        }
        try await LiveServer.with(orders: 60, faults: Faults(lockContention: true)) { s in
            let before = try await s.refundFootprint()
            let reply = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456}"#)
            #expect(reply.status == 503)
            #expect(try await s.refundFootprint() == before)
        }
    }
}
