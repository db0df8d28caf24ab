import Foundation
import GRDB
import Testing

@testable import FolioServer

/// Never over-invoice: many concurrent partial creates against a few orders.
@Suite struct ConcurrencyTests {
    @Test func concurrentPartialCreatesNeverOverInvoice() async throws {
        try await LiveServer.with(orders: 130) { s in
            let targets: [(OrderRow, [OrderItemRow])] = try await s.server.database.read { db in
                // Orders with nothing invoiced or canceled yet, so that their invoices must add up to them.
                let orders = try OrderRow.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM orders o WHERE status = 'pending' AND can_invoice = 1 AND entity_id <> 123
                        AND NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = o.entity_id AND (qty_canceled > 0 OR qty_invoiced > 0))
                        ORDER BY entity_id LIMIT 4
                        """)
                return try orders.map { ($0, try OrderItemRow.filter(Column("order_id") == $0.entityId).fetchAll(db)) }
            }
            #expect(targets.count == 4)
            let capacity = targets.flatMap(\.1).reduce(Int64(0)) { $0 + $1.qtyToInvoice.scaled / Quantity.scale }
            let attempts = 240
            #expect(Int64(attempts) > capacity, "more requests than units, so that requests race for the last units")

            // Each request asks for one unit of one item (by id or by sku), or occasionally everything left.
            let outcomes = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for n in 0..<attempts {
                    let (order, items) = targets[n % targets.count]
                    let item = items[(n / targets.count) % items.count]
                    let unit = item.isQtyDecimal ? "0.5" : "1"
                    let body =
                        n % 37 == 0
                        ? #"{"order_id": \#(order.entityId), "capture": "no_capture"}"#
                        : n % 2 == 0
                            ? #"{"order_id": \#(order.entityId), "items": [{"order_item_id": \#(item.itemId), "qty": \#(unit)}]}"#
                            : #"{"order_increment_id": "\#(order.incrementId)", "items": [{"sku": "\#(item.sku)", "qty": "\#(unit)"}]}"#
                    group.addTask {
                        let reply = try await s.post("/api2/invoice/create", json: body)
                        return (reply.status, reply.error)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let created = outcomes.filter { $0.0 == 201 }.count
            #expect(created > 0)
            for (status, error) in outcomes where status != 201 {
                #expect([400, 409, 503].contains(status), "a losing request got \(status)")
                if status == 400 { #expect(["Invalid item", "Cannot create invoice"].contains(error ?? "")) }
            }

            try await s.server.database.read { db in
                let ids = targets.map(\.0.entityId)
                let invoiceCount = try InvoiceRow.filter(ids.contains(Column("order_id"))).fetchCount(db)
                #expect(invoiceCount == created, "every 201 is one invoice, every refusal none")
                for id in ids {
                    let order = try #require(try OrderRow.fetchOne(db, key: id))
                    let items = try OrderItemRow.filter(Column("order_id") == id).fetchAll(db)
                    for item in items {
                        #expect(item.qtyInvoiced + item.qtyCanceled <= item.qtyOrdered)
                        let lines = try Int64.fetchOne(
                            db, sql: "SELECT COALESCE(SUM(qty), 0) FROM invoice_items WHERE order_item_id = ?",
                            arguments: [item.itemId])
                        #expect(lines == item.qtyInvoiced, "invoiced lines and the item's counter agree")
                    }
                    let invoices = try InvoiceRow.filter(Column("order_id") == id).fetchAll(db)
                    #expect(order.canInvoice == false, "240 requests exhaust every order")
                    #expect(invoices.reduce(0) { $0 + $1.grandTotal } == order.grandTotal, "invoices add up to the order exactly")
                    #expect(invoices.reduce(0) { $0 + $1.baseGrandTotal } == order.baseGrandTotal)
                    #expect(invoices.reduce(0) { $0 + $1.taxAmount } == order.taxAmount)
                    #expect(invoices.filter { $0.shippingAmount > 0 }.count == 1, "shipping on the first invoice only")
                }
            }
        }
    }
}
