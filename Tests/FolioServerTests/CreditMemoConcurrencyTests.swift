import Foundation
import GRDB
import Testing

@testable import FolioServer

/// Never over-refund: hundreds of concurrent credit memos against a few items
/// of one invoice, over real HTTP.
@Suite struct CreditMemoConcurrencyTests {
    @Test func concurrentRefundsNeverTakeMoreThanWasInvoiced() async throws {
        try await LiveServer.with(orders: 150) { s in
            // A paid invoice in another currency than its base, with shipping and
            // several lines, the only invoice of its order.
            let (invoice, lines, items) = try await s.server.database.read { db in
                let invoice = try #require(
                    try InvoiceRow.fetchOne(
                        db,
                        sql: """
                            SELECT i.* FROM invoices i WHERE i.state = 2 AND i.order_currency_code <> i.base_currency_code
                            AND i.shipping_amount > 0 AND i.entity_id <> 456
                            AND NOT EXISTS (SELECT 1 FROM invoices j WHERE j.order_id = i.order_id AND j.entity_id <> i.entity_id AND j.state <> 3)
                            AND (SELECT COUNT(*) FROM invoice_items WHERE invoice_id = i.entity_id) >= 2
                            ORDER BY (SELECT SUM(qty) FROM invoice_items WHERE invoice_id = i.entity_id) DESC, i.entity_id LIMIT 1
                            """))
                let items = try OrderItemRow.of(order: invoice.orderId).fetchAll(db)
                return (
                    invoice, try InvoiceItemRow.of(invoice: invoice.entityId!).fetchAll(db),
                    Dictionary(uniqueKeysWithValues: items.map { ($0.itemId, $0) })
                )
            }
            let id = invoice.entityId!
            let currency = Currency.of(invoice.orderCurrencyCode)
            let attempts = 240
            let units = lines.reduce(Int64(0)) { $0 + $1.qty / (items[$1.orderItemId]!.isQtyDecimal ? 2_500 : Quantity.scale) }
            #expect(Int64(attempts) > units, "more requests than units, so that requests race for the last ones")

            // One unit (a quarter, by the metre) of a line by id or sku, from the invoice or from
            // its order; some shipping; a unit less a fee; once, everything left.
            let outcomes = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for n in 0..<attempts {
                    let line = lines[n % lines.count]
                    let unit = items[line.orderItemId]!.isQtyDecimal ? "0.25" : "1"
                    let shipping = currency.decimalText(max(1, invoice.shippingAmount / 7))
                    let fee = currency.decimalText(1)
                    let body: String
                    switch n % 8 {
                    case 0 where n == attempts / 2: body = #"{"invoice_id": \#(id)}"#
                    case 0, 1: body = #"{"invoice_id": \#(id), "items": [{"order_item_id": \#(line.orderItemId), "qty": \#(unit)}]}"#
                    case 2:
                        body =
                            #"{"invoice_increment_id": "\#(invoice.incrementId)", "items": [{"sku": "\#(line.sku)", "qty": "\#(unit)"}]}"#
                    case 3:
                        body = #"{"order_id": \#(invoice.orderId), "items": [{"order_item_id": \#(line.orderItemId), "qty": "\#(unit)"}]}"#
                    case 4: body = #"{"invoice_id": \#(id), "items": [], "shipping_amount": "\#(shipping)"}"#
                    case 5: body = #"{"order_id": \#(invoice.orderId), "items": [], "shipping_amount": \#(shipping)}"#
                    case 6:
                        body =
                            #"{"invoice_id": \#(id), "items": [{"order_item_id": \#(line.orderItemId), "qty": \#(unit)}], "adjustment_negative": "\#(fee)"}"#
                    default:
                        body = #"{"invoice_id": \#(id), "items": [{"sku": "\#(line.sku)", "qty": \#(unit)}], "refund_type": "offline"}"#
                    }
                    group.addTask {
                        let reply = try await s.post(n % 3 == 0 ? "/api2/creditmemo/create" : "/api2/creditmemo", json: body)
                        return (reply.status, reply.error)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { $0.0 == 201 }.count
            #expect(created > 0)
            let allowed = ["Invalid item", "Cannot create credit memo", "Invalid shipping amount", "Invalid adjustment"]
            for (status, error) in outcomes where status != 201 {
                #expect([400, 409, 503].contains(status), "a losing request got \(status) \(error ?? "")")
                if status == 400 { #expect(allowed.contains(error ?? ""), "\(error ?? "")") }
            }
            try await s.server.database.read { db in
                #expect(try CreditMemoRow.fetchCount(db) == created, "every 201 is one credit memo, every refusal none")
                try Self.checkTallies(db, invoice: invoice, complete: false)
            }

            // Whatever is left, in one: then every line and figure is back exactly, in both currencies.
            let rest = try await s.post("/api2/creditmemo", json: #"{"invoice_id": \#(id)}"#)
            #expect(rest.status == 201 || rest.error == "Cannot create credit memo", "\(rest.body)")
            try await s.server.database.read { db in try Self.checkTallies(db, invoice: invoice, complete: true) }
        }
    }

    /// The tallies agree with the credit memos and never pass what was invoiced;
    /// once `complete`, they are exactly what was invoiced.
    static func checkTallies(_ db: Database, invoice: InvoiceRow, complete: Bool) throws {
        let id = invoice.entityId!
        let lines = try InvoiceItemRow.of(invoice: id).fetchAll(db)
        for line in lines {
            #expect(line.qtyRefunded <= line.qty)
            let sums = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(qty), 0) AS qty, COALESCE(SUM(row_total), 0) AS row, COALESCE(SUM(base_row_total), 0) AS base_row,
                           COALESCE(SUM(tax_amount), 0) AS tax, COALESCE(SUM(base_tax_amount), 0) AS base_tax,
                           COALESCE(SUM(discount_amount), 0) AS discount, COALESCE(SUM(base_discount_amount), 0) AS base_discount
                    FROM creditmemo_items WHERE invoice_item_id = ?
                    """, arguments: [line.entityId])!
            let pairs: [(Int64, Int64, Int64)] = [
                (sums["qty"], line.qtyRefunded, line.qty), (sums["row"], line.rowRefunded, line.rowTotal),
                (sums["base_row"], line.baseRowRefunded, line.baseRowTotal), (sums["tax"], line.taxRefunded, line.taxAmount),
                (sums["base_tax"], line.baseTaxRefunded, line.baseTaxAmount),
                (sums["discount"], line.discountRefunded, line.discountAmount),
                (sums["base_discount"], line.baseDiscountRefunded, line.baseDiscountAmount),
            ]
            for (index, (memos, tally, invoiced)) in pairs.enumerated() {
                #expect(memos == tally, "line \(line.entityId!), figure \(index): the credit memos and the tally agree")
                #expect(tally <= invoiced && tally >= 0, "line \(line.entityId!), figure \(index): \(tally) of \(invoiced)")
                if complete { #expect(tally == invoiced, "line \(line.entityId!), figure \(index): all of it back") }
            }
            let item = try #require(try OrderItemRow.fetchOne(db, key: line.orderItemId))
            #expect(item.qtyRefunded == line.qtyRefunded && item.rowRefunded == line.rowRefunded, "the order item agrees")
        }
        let memos = try CreditMemoRow.filter(Column("order_id") == invoice.orderId).fetchAll(db)
        let sum = { (key: KeyPath<CreditMemoRow, Int64>) in memos.reduce(0) { $0 + $1[keyPath: key] } }
        let refunds = try InvoiceRefundRow.of(invoice: id, db)
        let order = try OrderRefundRow.of(order: invoice.orderId, db)
        #expect(refunds.totalRefunded == sum(\.grandTotal) && order.totalRefunded == sum(\.grandTotal))
        #expect(refunds.baseTotalRefunded == sum(\.baseGrandTotal) && order.baseTotalRefunded == sum(\.baseGrandTotal))
        #expect(refunds.totalRefunded <= invoice.grandTotal && refunds.baseTotalRefunded <= invoice.baseGrandTotal)
        #expect(refunds.shippingRefunded == sum(\.shippingAmount) && refunds.shippingRefunded <= invoice.shippingAmount)
        #expect(sum(\.adjustmentPositive) == 0)
        if complete {
            // Every unit and all shipping back: the money is the invoice's, less the fees kept.
            #expect(sum(\.grandTotal) + sum(\.adjustmentNegative) == invoice.grandTotal)
            #expect(sum(\.baseGrandTotal) + sum(\.baseAdjustmentNegative) == invoice.baseGrandTotal)
            #expect(sum(\.shippingAmount) == invoice.shippingAmount && sum(\.baseShippingAmount) == invoice.baseShippingAmount)
            #expect(sum(\.shippingTaxAmount) == invoice.shippingTaxAmount)
            #expect(sum(\.baseShippingTaxAmount) == invoice.baseShippingTaxAmount)
        }
    }
}
